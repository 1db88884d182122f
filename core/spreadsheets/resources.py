"""django-import-export's Resource as the one declaration of a kind's columns.

A `SheetResource` names each column of one kind of list once (`SheetField`): the header that
templates and exports write and imports read, the other spellings an import accepts, whether an
import needs it, the template's example. The import's reader columns, its template and the
export's headers all come from it, so they cannot drift apart; exports write their rows in the
order of `export_keys`. `SafeResource` is a ModelResource whose exported cells all go through
the one neutraliser.
"""

from collections.abc import Sequence

from django.utils.functional import Promise
from import_export import fields, resources

from .reader import Column
from .writer import neutralise_row


class SafeResource(resources.ModelResource):
    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return neutralise_row(row)


class SheetField(fields.Field):
    """One column of a kind's sheet."""

    def __init__(
        self,
        key: str,
        label: str | Promise,
        *,
        aliases: Sequence[str] = (),
        required: bool = False,
        example: str = "",
        imported: bool = True,
    ) -> None:
        super().__init__(attribute=key, column_name=label)
        self.key = key
        self.label = label
        self.aliases = tuple(aliases)
        self.required = required
        self.example = example
        self.imported = imported

    def as_column(self) -> Column:
        return Column(self.key, self.label, self.aliases, self.required, self.example)


class SheetResource(resources.Resource):
    """The columns of one kind of list; subclasses declare SheetFields and `export_keys`."""

    # The columns an export writes, in its order (keys of the declared fields).
    export_keys: tuple[str, ...] = ()

    @classmethod
    def sheet_fields(cls) -> list[SheetField]:
        return [field for field in cls.fields.values() if isinstance(field, SheetField)]

    @classmethod
    def import_columns(cls) -> list[Column]:
        """What the import reads (and its template writes), in declaration order."""
        return [field.as_column() for field in cls.sheet_fields() if field.imported]

    @classmethod
    def export_headers(cls) -> list[str]:
        by_key = {field.key: field for field in cls.sheet_fields()}
        return [str(by_key[key].label) for key in cls.export_keys]
