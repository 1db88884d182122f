"""Drill-downs below an area: its volunteers and teams, and an old campaign's wards carried
onto today's communes."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext

from areas.models import Area, AreaSuccession, Level
from volunteers.models import Membership

from ..models import TALLY_FIELDS, Campaign, CampaignAreaTally, CampaignVolunteerTally
from ..tallies.compute import INDICATORS
from .batch import read_of, read_together
from .figures import Counts
from .rows import Row, make_cells


def volunteer_reads(*, campaign: Campaign, area: Area) -> dict[str, QuerySet]:
    """The reads behind `volunteer_rows`: per-volunteer totals in `area` with their names, and
    the teams of those volunteers."""
    tallies = CampaignVolunteerTally.objects.filter(campaign=campaign, area=area, active_days__gt=0)
    return {
        "volunteers": tallies.values_list(
            "volunteer_id", "volunteer__full_name", "active_days", *INDICATORS
        ),
        "teams": Membership.objects.filter(
            user_id__in=tallies.values("volunteer_id"), team__isnull=False, is_active=True
        ).values_list("user_id", "team_id", "team__name"),
    }


def volunteer_rows_from(
    campaign: Campaign, reads: dict[str, list[tuple]]
) -> tuple[list[Row], list[Row]]:
    """`volunteer_rows`' answer from its reads' rows."""
    per_volunteer = {row[0]: row for row in reads["volunteers"]}
    teams: dict[int, tuple[str, set[int]]] = {}
    for user_id, team_id, team_name in reads["teams"]:
        teams.setdefault(team_id, (team_name, set()))[1].add(user_id)

    def counts_of(volunteer_ids: Iterable[int]) -> Counts:
        counts = dict.fromkeys(TALLY_FIELDS, 0)
        for volunteer_id in volunteer_ids:
            _pk, _name, active_days, *values = per_volunteer[volunteer_id]
            for key, value in zip(INDICATORS, values, strict=True):
                counts[key] += value or 0
            counts["volunteer_participations"] += active_days
        return counts

    volunteers = [
        Row(
            name=name,
            url=None,
            cells=make_cells(campaign, counts_of([pk]), {}),
            extra={"volunteer_id": pk},
        )
        for pk, name, *_counts in per_volunteer.values()
    ]
    volunteers.sort(key=lambda row: (-sum(cell.achieved for cell in row.cells), row.name))
    team_rows = [
        Row(
            name=name,
            url=None,
            cells=make_cells(campaign, counts_of(members), {}),
            extra={"members": len(members)},
        )
        for name, members in teams.values()
    ]
    team_rows.sort(key=lambda row: row.name)
    return team_rows, volunteers


def volunteer_rows(*, campaign: Campaign, area: Area) -> tuple[list[Row], list[Row]]:
    """One query: per-volunteer totals in `area`, and per-team sums of their members."""
    reads = volunteer_reads(campaign=campaign, area=area)
    rows = read_together(**{name: read_of(queryset) for name, queryset in reads.items()})
    return volunteer_rows_from(campaign, rows)


def legacy_on_current(*, campaign: Campaign, area: Area) -> list[Row]:
    """An old campaign's ward totals carried onto today's communes through AreaSuccession.

    A ward merged whole adds exactly; a ward split between communes is given to the one the
    records would map to (as areas.selectors.area_as_of does) and the row is marked approximate.
    """
    ward_ids = list(
        Area.objects.filter(path__startswith=area.path, level=Level.WARD).values_list(
            "pk", flat=True
        )
    )
    totals = {
        row["area_id"]: row
        for row in CampaignAreaTally.objects.filter(
            campaign=campaign, area__path__startswith=area.path, area__level=Level.WARD
        ).values("area_id", *TALLY_FIELDS)
    }
    links: dict[int, list[tuple[bool, str, Area]]] = defaultdict(list)
    for link in AreaSuccession.objects.filter(predecessor_id__in=ward_ids).select_related(
        "successor"
    ):
        links[link.predecessor_id].append((link.is_partial, link.successor.path, link.successor))
    merged: dict[int, Counts] = {}
    successors: dict[int, Area] = {}
    approximate: set[int] = set()
    unmapped = dict.fromkeys(TALLY_FIELDS, 0)
    for ward_id in ward_ids:
        candidates = links.get(ward_id)
        row = totals.get(ward_id)
        if not candidates:
            if row:
                for key in TALLY_FIELDS:
                    unmapped[key] += row[key] or 0
            continue
        is_partial, _path, successor = min(candidates, key=lambda item: (item[0], item[1]))
        successors[successor.pk] = successor
        counts = merged.setdefault(successor.pk, dict.fromkeys(TALLY_FIELDS, 0))
        if is_partial:
            approximate.add(successor.pk)
        if row:
            for key in TALLY_FIELDS:
                counts[key] += row[key] or 0
    rows = [
        Row(
            name=successors[pk].name,
            url=None,
            cells=make_cells(campaign, counts, {}),
            approximate=pk in approximate,
        )
        for pk, counts in sorted(merged.items(), key=lambda item: successors[item[0]].path)
    ]
    if any(unmapped.values()):
        rows.append(
            Row(
                name=gettext("Chưa xác định đơn vị mới"),
                url=None,
                cells=make_cells(campaign, unmapped, {}),
                approximate=True,
            )
        )
    return rows
