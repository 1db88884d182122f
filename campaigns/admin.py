from django.contrib import admin

from .models import (
    ApiToken,
    Campaign,
    CampaignRecount,
    DriftReport,
    ReportJob,
    ServiceAccount,
    Target,
)
from .recount import campaign_store


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ["area"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "scope", "era", "status"]
    list_filter = ["status", "era"]
    search_fields = ["name", "theme"]
    raw_id_fields = ["scope", "created_by"]
    inlines = [TargetInline]

    def save_model(self, request, obj: Campaign, form, change: bool) -> None:
        # As the campaign form: a moved period or scope is recounted by a job, not inline.
        campaign_store(campaign=obj, user=request.user)


@admin.register(CampaignRecount)
class CampaignRecountAdmin(admin.ModelAdmin):
    list_display = ["campaign", "status", "processed", "total", "attempts", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["campaign", "created_by"]


@admin.register(DriftReport)
class DriftReportAdmin(admin.ModelAdmin):
    list_display = ["checked_at", "kind", "drift_count", "area_rows", "volunteer_rows"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind",
        "checked_at",
        "drift_count",
        "area_rows",
        "volunteer_rows",
        "samples",
    ]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["campaign", "area", "created_by", "status", "attempts", "created_at"]
    raw_id_fields = ["campaign", "area", "created_by"]
    exclude = ["content"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "service_account",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    raw_id_fields = ["user", "service_account", "created_by"]


@admin.register(ServiceAccount)
class ServiceAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "created_by", "created_at", "revoked_at"]
    raw_id_fields = ["scope", "created_by"]
