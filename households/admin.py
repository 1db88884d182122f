from django.contrib import admin

from .models import Tally


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    list_display = ("area", "day", "households_visited", "install_guidance", "source")
    list_filter = ("source",)
    raw_id_fields = ("area", "entered_by")
    date_hierarchy = "day"
