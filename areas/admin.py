from django.contrib import admin

from .models import Area, AreaSuccession


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "era", "level", "kind", "valid_from", "valid_to"]
    list_filter = ["era", "level", "kind"]
    search_fields = ["name", "search_key", "code"]
    readonly_fields = ["path", "depth", "numchild", "search_key"]
    ordering = ["path"]


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "is_partial", "effective_on"]
    list_filter = ["is_partial"]
    autocomplete_fields = ["predecessor", "successor"]
