"""Reads: campaigns a user may see, and the totals of their areas from the summary tables.

A campaign's totals per area are one CampaignAreaTally row each (kept over its whole period,
with its participations and unique volunteers); its per-volunteer drill-down is one
CampaignVolunteerTally row per volunteer shown; only the daily trend reads AreaDayTally, one
row per day. So a dashboard's cost follows the areas, days and volunteers it SHOWS, never the
number of visits or volunteer-days behind them. Each function here issues a fixed number of
queries, however many areas it returns.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import get_format, localize, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from areas.models import Area, AreaSuccession, Level
from volunteers.access import COORDINATION
from volunteers.models import Membership, User
from volunteers.scoping import Scope, scope_for

from .models import (
    INDICATOR_LABELS,
    TALLY_FIELDS,
    AreaDayTally,
    Campaign,
    CampaignAreaTally,
    CampaignStatus,
    CampaignVolunteerTally,
    Target,
    VolunteerDayTally,
)
from .tallies import INDICATORS

Counts = dict[str, int]


# --- Which campaigns and areas --------------------------------------------------------------
def coordination_scope(user: User) -> Scope:
    return scope_for(user=user, roles=COORDINATION)


def campaign_list_for(*, user: User) -> QuerySet[Campaign]:
    return Campaign.objects.visible_in(coordination_scope(user)).select_related("scope")


def campaign_get_for(*, user: User, pk: int) -> Campaign:
    return get_object_or_404(campaign_list_for(user=user), pk=pk)


def campaign_roots_for(*, user: User, campaign: Campaign) -> list[Area]:
    """Where this user's view of the campaign starts: its scope, or the user's own units in it."""
    scope = coordination_scope(user)
    if scope.contains(campaign.scope):
        return [campaign.scope]
    return list(
        scope.areas()
        .filter(path__startswith=campaign.scope.path)
        .filter(path__in=list(scope.paths))
    )


def campaign_area_for(*, user: User, campaign: Campaign, area_pk: int) -> Area:
    """A unit inside both the campaign's scope and the user's; 404 otherwise."""
    scope = coordination_scope(user)
    return get_object_or_404(
        Area.objects.filter(scope.q(field=""), path__startswith=campaign.scope.path), pk=area_pk
    )


def overlapping_campaigns(*, campaign: Campaign, user: User) -> QuerySet[Campaign]:
    """Campaigns counting some of the same records: periods meet and scopes nest. Only those
    `user` may see: another ward's campaign inside a city one is neither named nor linked."""
    scope = campaign.scope
    return (
        campaign_list_for(user=user)
        .exclude(pk=campaign.pk)
        .filter(start__lte=campaign.end, end__gte=campaign.start, era=campaign.era)
        .filter(Q(scope__path__startswith=scope.path) | Q(scope__path__in=scope.ancestor_paths()))
        .select_related("scope")
    )


# --- Figures ----------------------------------------------------------------------------------
def _period(campaign: Campaign) -> Q:
    return Q(day__gte=campaign.start, day__lte=campaign.end)


def has_own_rows(campaign: Campaign) -> bool:
    """Whether the campaign's CampaignAreaTally rows describe it as it stands: saved, with the
    period and scope it was last saved with. Otherwise (an unsaved campaign used as a mere
    period, or one changed in memory) the figures come from the day tables, summed over the
    period: correct, but costing a row per area and day."""
    return campaign.pk is not None and campaign._tally_key == campaign.tally_key()


def _day_sums(campaign: Campaign, area_ids: list[int]) -> dict[int, dict]:
    """Fallback for campaigns without their own rows: two queries over the day tables."""
    rows = {
        row["area_id"]: {
            **{name: row[name] or 0 for name in TALLY_FIELDS},
            "unique_volunteers": 0,
            "revision": 0,
            "updated_at": row["updated_at"],
        }
        for row in AreaDayTally.objects.filter(_period(campaign), area_id__in=area_ids)
        .values("area_id")
        .annotate(**{name: Sum(name) for name in TALLY_FIELDS}, updated_at=Max("updated_at"))
    }
    people = (
        VolunteerDayTally.objects.filter(_period(campaign), area_id__in=area_ids, activity__gt=0)
        .values("area_id")
        .annotate(n=Count("volunteer_id", distinct=True))
    )
    for row in people:
        if row["area_id"] in rows:
            rows[row["area_id"]]["unique_volunteers"] = row["n"]
    return rows


def totals_by_area(*, campaign: Campaign, area_ids: Iterable[int]) -> dict[int, Counts]:
    """One query: each area's totals over the campaign period (zeros for areas with none)."""
    area_ids = list(area_ids)
    result = {area_id: dict.fromkeys(TALLY_FIELDS, 0) for area_id in area_ids}
    if not has_own_rows(campaign):
        for area_id, row in _day_sums(campaign, area_ids).items():
            result[area_id] = {name: row[name] for name in TALLY_FIELDS}
        return result
    rows = CampaignAreaTally.objects.filter(campaign=campaign, area_id__in=area_ids).values(
        "area_id", *TALLY_FIELDS
    )
    for row in rows:
        result[row["area_id"]] = {name: row[name] for name in TALLY_FIELDS}
    return result


def _campaign_area(campaign: Campaign, area: Area) -> dict:
    if has_own_rows(campaign):
        row = (
            CampaignAreaTally.objects.filter(campaign=campaign, area=area)
            .values(*TALLY_FIELDS, "unique_volunteers", "revision", "updated_at")
            .first()
        )
    else:
        row = _day_sums(campaign, [area.pk]).get(area.pk)
    return row or {
        **dict.fromkeys(TALLY_FIELDS, 0),
        "unique_volunteers": 0,
        "revision": 0,
        "updated_at": None,
    }


def area_summary(*, campaign: Campaign, area: Area) -> tuple[Counts, datetime.datetime | None]:
    """One query: the area's totals and when they last moved."""
    row = _campaign_area(campaign, area)
    return {name: row[name] for name in TALLY_FIELDS}, row["updated_at"]


def dashboard_version(*, campaign: Campaign, area: Area) -> tuple:
    """Two queries: what changes whenever any figure of the area's dashboard changes (any
    change below the area moves its row's revision; targets have their own)."""
    tally = (
        CampaignAreaTally.objects.filter(campaign=campaign, area=area)
        .values_list("revision", "updated_at")
        .first()
    )
    targets = Target.objects.filter(campaign=campaign).aggregate(
        last=Max("updated_at"), rows=Count("pk")
    )
    return (*(tally or (0, None)), targets["last"], targets["rows"])


def unique_volunteers(*, campaign: Campaign, area: Area) -> int:
    """One query: distinct volunteers active in the area during the campaign."""
    return _campaign_area(campaign, area)["unique_volunteers"]


def daily_series(*, campaign: Campaign, area: Area) -> list[tuple[datetime.date, Counts]]:
    """One query: every day of the period with its counts (zeros on quiet days)."""
    by_day = {
        row["day"]: row
        for row in AreaDayTally.objects.filter(_period(campaign), area=area).values(
            "day", *TALLY_FIELDS
        )
    }
    empty = dict.fromkeys(TALLY_FIELDS, 0)
    last = (
        min(campaign.end, timezone.localdate()) if campaign.start <= timezone.localdate() else None
    )
    days = [day for day in campaign.days() if last is None or day <= last] or campaign.days()
    return [(day, {k: by_day.get(day, empty)[k] for k in TALLY_FIELDS}) for day in days]


def _common_ancestor_path(paths: list[str]) -> str:
    """The longest whole-step path prefix shared by every path (treebeard paths)."""
    first, last = min(paths), max(paths)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[: size - size % Area.steplen]


def effective_targets(*, campaign: Campaign, areas: list[Area]) -> dict[int, dict[str, int]]:
    """One query. An area's target is its own, else the sum of the highest targets set below
    it (a city with targets only per district gets their sum). Each target is matched to the
    requested areas above it through its path's prefixes: linear in targets, not areas × targets.
    """
    if not areas:
        return {}
    # One range over the areas' common ancestor path; the prefixes below pick what is theirs.
    common = _common_ancestor_path([area.path for area in areas])
    by_path = {area.path: area.pk for area in areas}
    # (area, indicator) -> the target paths and values at or below the area, in path order.
    below: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    rows = sorted(
        Target.objects.filter(campaign=campaign, area__path__startswith=common).values_list(
            "area__path", "indicator", "value"
        )
    )
    for path, indicator, value in rows:
        for end in range(Area.steplen, len(path) + 1, Area.steplen):
            area_id = by_path.get(path[:end])
            if area_id is not None:
                below[(area_id, indicator)].append((path, value))
    result: dict[int, dict[str, int]] = {area.pk: {} for area in areas}
    for (area_id, indicator), entries in below.items():
        covered, total = None, 0
        for path, value in entries:
            if covered is not None and path.startswith(covered):
                continue
            covered, total = path, total + value
        result[area_id][indicator] = total
    return result


def percent(achieved: int, target: int | None) -> float | None:
    if not target:
        return None
    return round(100 * achieved / target, 1)


def pace_percent(*, campaign: Campaign, today: datetime.date | None = None) -> float:
    """How far through its period the campaign is: the progress expected by today."""
    today = today or timezone.localdate()
    if today >= campaign.end or campaign.status == CampaignStatus.CLOSED:
        return 100.0
    if today < campaign.start:
        return 0.0
    total = (campaign.end - campaign.start).days + 1
    return round(100 * ((today - campaign.start).days + 1) / total, 1)


def tone(score: float | None, pace: float) -> str:
    """thi đua colours: on pace or better is green, within 30 % of it amber, behind red."""
    if score is None:
        return ""
    if score >= pace:
        return "ok"
    if score >= 0.7 * pace:
        return "warn"
    return "bad"


def group_digits(value: int) -> str:
    """What humanize's intcomma renders for an int in the active language, without its
    per-call cost (a dashboard table has thousands of cells)."""
    grouping = get_format("NUMBER_GROUPING")
    if grouping == 0:
        return str(value)
    if grouping == 3:
        return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return number_format(value, force_grouping=True)


@dataclass
class Cell:
    key: str
    label: str
    achieved: int
    target: int | None
    pct: float | None

    @property
    def achieved_text(self) -> str:
        return group_digits(self.achieved)

    @property
    def target_text(self) -> str:
        return "" if self.target is None else group_digits(self.target)

    def td(self) -> SafeString:
        """The table cell as HTML, built here rather than by template tags: a ranking of 126
        communes has over a thousand cells, and this is most of an uncached render. Every
        part is a number or an indicator key (TALLY_FIELDS), never user text."""
        target = "" if self.target is None else f'<span class="muted"> / {self.target_text}</span>'
        pct = "" if self.pct is None else f"<br><small>{localize(self.pct)}%</small>"
        return mark_safe(  # noqa: S308 — numbers and constant keys only
            f'<td class="num" data-indicator="{escape(self.key)}" data-achieved="'
            f'{int(self.achieved)}">{self.achieved_text}{target}{pct}</td>'
        )


@dataclass
class Row:
    name: str
    url: str | None
    cells: list[Cell]
    score: float | None = None
    tone: str = ""
    approximate: bool = False
    extra: dict = field(default_factory=dict)

    def value(self, key: str) -> int:
        return next((cell.achieved for cell in self.cells if cell.key == key), 0)


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    del language  # the cache key: labels are translated once per language
    return {key: str(label) for key, label in INDICATOR_LABELS.items()}


def make_cells(campaign: Campaign, counts: Counts, targets: dict[str, int]) -> list[Cell]:
    labels = _labels(get_language())
    return [
        Cell(
            key=key,
            label=labels[key],
            achieved=counts.get(key, 0),
            target=targets.get(key),
            pct=percent(counts.get(key, 0), targets.get(key)),
        )
        for key in campaign.tracked
    ]


def score(cells: list[Cell]) -> float | None:
    """The ranking figure: the mean % of target over the indicators that have a target."""
    values = [cell.pct for cell in cells if cell.pct is not None]
    return round(sum(values) / len(values), 1) if values else None


def child_areas(*, area: Area) -> list[Area]:
    return list(Area.objects.filter(path__startswith=area.path, depth=area.depth + 1))


def area_rows(*, campaign: Campaign, areas: list[Area], url_for, pace: float) -> list[Row]:
    """Two queries: totals and targets for `areas`, one row each."""
    totals = totals_by_area(campaign=campaign, area_ids=[area.pk for area in areas])
    targets = effective_targets(campaign=campaign, areas=areas)
    rows = []
    for area in areas:
        cells = make_cells(campaign, totals[area.pk], targets.get(area.pk, {}))
        row_score = score(cells)
        rows.append(
            Row(
                name=area.name,
                url=url_for(area),
                cells=cells,
                score=row_score,
                tone=tone(row_score, pace),
                extra={"area": area},
            )
        )
    return rows


def recorded_at_own_level(*, campaign: Campaign, totals: Counts, rows: list[Row]) -> list[Cell]:
    """What the area counts beyond the sum of its rows: records filed on the unit itself (a
    ward-level training, document or post). Shown beside the rows, so that they and it add up
    to the headline. Indicators only: participations are distinct volunteer-days, which a
    volunteer active in two units counts once above and once in each."""
    additive = [key for key in campaign.tracked if key in INDICATORS]
    own = {key: totals.get(key, 0) - sum(row.value(key) for row in rows) for key in additive}
    return [cell for cell in make_cells(campaign, own, {}) if cell.key in own and cell.achieved > 0]


def ranking(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (row.score is None, -(row.score or 0), row.name))


def volunteer_rows(*, campaign: Campaign, area: Area) -> tuple[list[Row], list[Row]]:
    """Three queries: per-volunteer totals in `area`, and per-team sums of their members."""
    per_volunteer = {
        row["volunteer_id"]: row
        for row in CampaignVolunteerTally.objects.filter(
            campaign=campaign, area=area, active_days__gt=0
        ).values("volunteer_id", "active_days", *INDICATORS)
    }
    people = dict(User.objects.filter(pk__in=per_volunteer).values_list("pk", "full_name"))
    participations = {pk: row["active_days"] for pk, row in per_volunteer.items()}
    teams: dict[int, tuple[str, set[int]]] = {}
    for user_id, team_id, team_name in Membership.objects.filter(
        user_id__in=per_volunteer, team__isnull=False, is_active=True
    ).values_list("user_id", "team_id", "team__name"):
        teams.setdefault(team_id, (team_name, set()))[1].add(user_id)

    def counts_of(volunteer_ids: Iterable[int]) -> Counts:
        counts = dict.fromkeys(TALLY_FIELDS, 0)
        for volunteer_id in volunteer_ids:
            row = per_volunteer[volunteer_id]
            for key in INDICATORS:
                counts[key] += row[key] or 0
            counts["volunteer_participations"] += participations[volunteer_id]
        return counts

    volunteers = [
        Row(name=people.get(pk, str(pk)), url=None, cells=make_cells(campaign, counts_of([pk]), {}))
        for pk in per_volunteer
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
        from django.utils.translation import gettext

        rows.append(
            Row(
                name=gettext("Chưa xác định đơn vị mới"),
                url=None,
                cells=make_cells(campaign, unmapped, {}),
                approximate=True,
            )
        )
    return rows


# --- Home -------------------------------------------------------------------------------------
def home_campaigns_context(user: User) -> dict | None:
    """Active campaigns over the user's areas, each with its headline % at the user's root."""
    campaigns = list(
        campaign_list_for(user=user).filter(status=CampaignStatus.ACTIVE).order_by("-start")[:5]
    )
    if not campaigns:
        return None
    scope = coordination_scope(user)
    items = []
    for campaign in campaigns:
        root = campaign.scope if scope.contains(campaign.scope) else None
        if root is None:
            roots = campaign_roots_for(user=user, campaign=campaign)
            if not roots:
                continue
            root = roots[0]
        totals = totals_by_area(campaign=campaign, area_ids=[root.pk])[root.pk]
        targets = effective_targets(campaign=campaign, areas=[root])[root.pk]
        cells = make_cells(campaign, totals, targets)
        items.append({"campaign": campaign, "area": root, "score": score(cells)})
    return {"campaign_items": items} if items else None


def require_dashboard_area(area: Area | None) -> Area:
    if area is None:
        raise Http404
    return area


# --- The dashboard of one area ----------------------------------------------------------------
def campaign_dashboard(*, user: User, campaign: Campaign, area: Area, indicator: str = "") -> dict:
    """Everything the dashboard shows for `area`: a fixed number of queries at any size."""
    from django.urls import reverse

    from .charts import cumulative_chart, daily_chart

    pace = pace_percent(campaign=campaign)
    children = child_areas(area=area)

    def url_for(child: Area) -> str:
        return reverse("campaigns:area", args=[campaign.pk, child.pk])

    totals, updated_at = area_summary(campaign=campaign, area=area)
    targets = effective_targets(campaign=campaign, areas=[area])[area.pk]
    headline = make_cells(campaign, totals, targets)
    rows = area_rows(campaign=campaign, areas=children, url_for=url_for, pace=pace)
    own = recorded_at_own_level(campaign=campaign, totals=totals, rows=rows)
    teams, volunteers = ([], [])
    if area.level >= Level.WARD:
        teams, volunteers = volunteer_rows(campaign=campaign, area=area)
    series = daily_series(campaign=campaign, area=area)
    chosen = indicator if indicator in campaign.tracked else _main_indicator(campaign, targets)
    crumbs = list(
        area.ancestors_and_self().filter(
            coordination_scope(user).q(field=""), path__startswith=campaign.scope.path
        )
    )
    return {
        "campaign": campaign,
        "area": area,
        "crumbs": crumbs,
        "headline": headline,
        "headline_score": score(headline),
        "headline_tone": tone(score(headline), pace),
        "unique_volunteers": unique_volunteers(campaign=campaign, area=area),
        "updated_at": updated_at,
        "pace": pace,
        "child_level": Level(children[0].level).label if children else "",
        "rows": rows,
        "own_level_cells": own,
        "ranking": ranking(rows),
        "teams": teams,
        "volunteers": volunteers,
        "indicator": chosen,
        "indicator_label": INDICATOR_LABELS[chosen],
        "daily_svg": daily_chart(series, chosen),
        "cumulative_svg": cumulative_chart(series, chosen, targets.get(chosen), campaign),
        "series": series,
        "overlaps": list(overlapping_campaigns(campaign=campaign, user=user)),
    }


def _main_indicator(campaign: Campaign, targets: dict[str, int]) -> str:
    for key in campaign.tracked:
        if key in targets:
            return key
    return campaign.tracked[0]
