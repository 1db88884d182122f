"""The coordinators' import and export jobs, for an administrator looking into a stuck one.

Read-only: a job changes through the runner (core.jobs) only. The uploaded file and the
previewed rows hold people's data and stay out of the admin's pages."""

from django.contrib import admin
from django.http import HttpRequest

from .models import ExportJob, ImportJob


class _JobAdmin(admin.ModelAdmin):
    list_filter = ["status", "kind"]
    search_fields = ["ward__name", "created_by__full_name"]
    raw_id_fields = ["ward", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(_JobAdmin):
    list_display = ["kind", "ward", "filename", "status", "total", "attempts", "created_at"]
    exclude = ["content", "records"]


@admin.register(ExportJob)
class ExportJobAdmin(_JobAdmin):
    list_display = ["kind", "fmt", "ward", "status", "total", "attempts", "created_at"]
    exclude = ["path"]
