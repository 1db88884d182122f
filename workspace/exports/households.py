"""Household and visit lists written by the workspace export jobs, streamed row by row."""

import datetime
from collections.abc import Iterator

from django.utils import timezone

from areas.models import Area
from core.phones import display_phone
from core.spreadsheets.writer import CHUNK, ExportSpec
from households.models import COUNT_FIELDS, DigitalStatus, VisitResult, VisitStatus

from ..filters import HouseholdFilter, VisitFilter
from ..resources import HouseholdSheet, VisitSheet
from ..selectors import ward_households, ward_visits


def household_rows(*, ward: Area, filters: dict) -> ExportSpec:
    queryset = HouseholdFilter(filters, queryset=ward_households(ward=ward), ward=ward).qs
    columns = (
        "pk",
        "area__name",
        "house_number",
        "alley",
        "street",
        "apartment",
        "contact_name",
        "contact_phone",
        "members",
        "digital_status",
        "last_visit_at",
    )
    statuses = dict(DigitalStatus.choices)

    def rows() -> Iterator[list]:
        values = queryset.order_by("area__path", "pk").values_list(*columns)
        for row in values.iterator(chunk_size=CHUNK):
            last = row[10]
            yield [
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                display_phone(row[7]) if row[7] else "",
                row[8],
                str(statuses.get(row[9], row[9])),
                timezone.localtime(last).strftime("%d/%m/%Y %H:%M") if last else "",
            ]

    headers = HouseholdSheet.export_headers()
    return ExportSpec(headers, queryset.count(), rows())


def visit_rows(*, ward: Area, filters: dict) -> ExportSpec:
    queryset = VisitFilter(filters, queryset=ward_visits(ward=ward), ward=ward).qs
    columns = (
        "pk",
        "day",
        "device_time",
        "volunteer__full_name",
        "household_id",
        "household__area__name",
        "household__house_number",
        "household__alley",
        "household__street",
        "result",
        "status",
        *COUNT_FIELDS,
    )

    def rows() -> Iterator[list]:
        # Per export, not per row: the labels in the language the export runs in, the zone,
        # and each day's text (an export spans few days and many visits a day).
        results = {key: str(label) for key, label in VisitResult.choices}
        statuses = {key: str(label) for key, label in VisitStatus.choices}
        zone = timezone.get_current_timezone()
        days: dict[datetime.date, str] = {}
        values = queryset.order_by("pk").values_list(*columns)
        for row in values.iterator(chunk_size=CHUNK):
            day = days.get(row[1])
            if day is None:
                day = days[row[1]] = row[1].strftime("%d/%m/%Y")
            at = row[2].astimezone(zone)
            yield [
                row[0],
                day,
                f"{at.hour:02d}:{at.minute:02d}",
                row[3],
                row[4],
                row[5],
                ", ".join(part for part in row[6:9] if part),
                results.get(row[9], row[9]),
                statuses.get(row[10], row[10]),
                *row[11:],
            ]

    headers = VisitSheet.export_headers()
    return ExportSpec(headers, queryset.count(), rows())
