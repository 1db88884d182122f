from django.contrib import admin

from .models import AwarenessPost, Document, SessionImport, Topic, TrainingSession


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "area", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["area"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    """Read-mostly: sessions change through the app's services, which keep the counts."""

    list_display = ["__str__", "start", "area", "state", "attendee_count"]
    list_filter = ["state", "audience"]
    search_fields = ["title", "address", "area__name"]
    readonly_fields = [field.name for field in TrainingSession._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "area", "uploaded_by", "created_at"]
    search_fields = ["title"]
    readonly_fields = [field.name for field in Document._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AwarenessPost)
class AwarenessPostAdmin(admin.ModelAdmin):
    list_display = ["url", "platform", "published_on", "area", "author"]
    list_filter = ["platform"]
    search_fields = ["url", "title"]
    readonly_fields = [field.name for field in AwarenessPost._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SessionImport)
class SessionImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "area", "created_by", "status", "created_at"]
    readonly_fields = [field.name for field in SessionImport._meta.concrete_fields]
