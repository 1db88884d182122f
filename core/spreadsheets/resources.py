"""django-import-export's Resource, with every exported cell through the one neutraliser."""

from import_export import resources

from .writer import neutralise_row


class SafeResource(resources.ModelResource):
    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return neutralise_row(row)
