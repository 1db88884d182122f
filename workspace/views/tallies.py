"""The tally grid: one unit, one month, a row per day of the campaign indicators as counts.

Each row shows the visits already recorded in the unit that day; a row entered there counts
on top of them only when its box "other work than these visits" is ticked. Saving replaces the
unit-day's stored tally (an emptied row deletes it): nothing is ever added twice.
"""

import calendar
import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, Level
from households.tallies.models import COUNT_FIELDS, Tally, TallySource
from households.tallies.selectors import tallies_by_day, visit_counts_by_day
from households.tallies.services import TallyEntry, TallyRefused, tallies_save, tally_scope

from ..models import ImportKind
from ..resources import TallySheet
from .common import coordinator

LABELS = {field.key: field.label for field in TallySheet.sheet_fields()}


def _month(text: str, unit: Area) -> datetime.date:
    """The first day of the month asked (YYYY-MM), else of the last month the unit stood."""
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        last = min(filter(None, [unit.valid_to, timezone.localdate()]))
        return last.replace(day=1)


def _days(first: datetime.date, unit: Area) -> list[datetime.date]:
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    last = min(filter(None, [last, unit.valid_to, timezone.localdate()]))
    start = max(filter(None, [first, unit.valid_from]))
    return [start + datetime.timedelta(days=n) for n in range((last - start).days + 1)]


def _number(text: str) -> int | None:
    text = (text or "").strip().replace(".", "").replace(" ", "")
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        return None


def _entries(request: HttpRequest, unit: Area, days, stored) -> tuple[list, dict]:
    """The rows posted that say something (or change a stored tally), and the cells that are
    not numbers."""
    entries, bad = [], {}
    for day in days:
        prefix = day.isoformat()
        counts = {}
        for name in COUNT_FIELDS:
            value = _number(request.POST.get(f"{prefix}-{name}", ""))
            if value is None:
                bad[(day, name)] = _("Phải là số nguyên (không âm).")
                value = 0
            counts[name] = value
        names = request.POST.get(f"{prefix}-volunteer_names", "")
        entry = TallyEntry(
            area=unit,
            day=day,
            counts=counts,
            volunteer_names=names,
            visits_confirmed=bool(request.POST.get(f"{prefix}-visits_confirmed")),
            row=day.day,
        )
        tally: Tally | None = stored.get(day)
        if tally is None and entry.is_empty:
            continue
        if (
            tally is not None
            and tally.counts() == counts
            and tally.volunteer_names == names.strip()
        ):
            continue
        entries.append(entry)
    return entries, bad


@coordinator
def tally_grid(request: HttpRequest, ward_pk: int) -> HttpResponse:
    scope = tally_scope(user=request.user)
    area = get_object_or_404(Area.objects.filter(scope.q(field="")), pk=ward_pk)
    unit = area
    if request.GET.get("unit"):
        unit = get_object_or_404(
            Area.objects.filter(scope.q(field=""), path__startswith=area.path),
            pk=request.GET["unit"],
        )
    first = _month(request.GET.get("month", ""), unit)
    days = _days(first, unit)
    stored = tallies_by_day(area=unit, start=days[0], end=days[-1]) if days else {}
    visits = visit_counts_by_day(area=unit, start=days[0], end=days[-1]) if days else {}
    problems: dict = {}
    status = 200
    if request.method == "POST":
        entries, bad = _entries(request, unit, days, stored)
        problems = dict(bad)
        if not bad:
            try:
                saved = tallies_save(user=request.user, entries=entries, source=TallySource.GRID)
            except TallyRefused as refused:
                for problem in refused.problems:
                    day = first.replace(day=problem.row)
                    problems.setdefault((day, problem.field), problem.message)
            else:
                messages.success(
                    request,
                    _("Đã lưu: %(created)d ngày mới, %(replaced)d ngày sửa, %(deleted)d ngày xoá.")
                    % {
                        "created": saved.created,
                        "replaced": saved.replaced,
                        "deleted": saved.deleted,
                    },
                )
                return redirect(request.get_full_path())
        status = 400
    rows = []
    for day in days:
        prefix = day.isoformat()
        tally = stored.get(day)
        posted = request.method == "POST"

        def value(name: str, prefix=prefix, tally=tally, posted=posted) -> str:
            if posted:
                return request.POST.get(f"{prefix}-{name}", "")
            return str(getattr(tally, name)) if tally is not None else ""

        rows.append(
            {
                "day": day,
                "prefix": prefix,
                "cells": [
                    {
                        "name": name,
                        "label": LABELS[name],
                        "value": value(name),
                        "error": problems.get((day, name)),
                    }
                    for name in COUNT_FIELDS
                ],
                "names": value("volunteer_names"),
                "visits": visits.get(day, 0),
                "confirmed": bool(request.POST.get(f"{prefix}-visits_confirmed"))
                or bool(tally and tally.visits_acknowledged),
                "errors": [
                    message
                    for (when, name), message in problems.items()
                    if when == day and name not in COUNT_FIELDS
                ],
            }
        )
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "ward": area if area.level == Level.WARD else None,
        "area": area,
        "unit": unit,
        "units": Area.objects.filter(
            scope.q(field=""), path__startswith=area.path, depth__lte=area.depth + 1
        ).only("pk", "name", "depth"),
        "month": first,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m") if following <= timezone.localdate() else "",
        "headers": [LABELS[name] for name in COUNT_FIELDS],
        "rows": rows,
        "has_errors": bool(problems),
        "import_url": reverse("workspace:import-start", args=[area.pk, ImportKind.TALLIES]),
    }
    return render(request, "workspace/tally_grid.html", context, status=status)
