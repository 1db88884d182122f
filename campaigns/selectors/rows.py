"""Rows and cells of a dashboard or report table, and the thi đua figures on them (% of target,
pace, tone, score, ranking)."""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from areas.models import Area

from ..models import INDICATOR_LABELS, Campaign, CampaignStatus
from ..tallies.compute import INDICATORS
from .figures import Counts, effective_targets, totals_by_area


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


class NumberStyle(NamedTuple):
    grouping: int
    separator: str
    decimal: str


@functools.lru_cache(maxsize=16)
def _number_style(language: str | None) -> NumberStyle:
    """The language's digit grouping and separators, looked up once per language (the format
    modules are fixed for the process's life)."""
    del language  # the cache key: get_format answers for the active language
    return NumberStyle(
        get_format("NUMBER_GROUPING"),
        get_format("THOUSAND_SEPARATOR"),
        get_format("DECIMAL_SEPARATOR"),
    )


def number_style() -> NumberStyle:
    """The active language's style: a long table asks once and passes it to each cell (the
    active language is a context-local lookup, dear at thousands of cells)."""
    return _number_style(get_language())


def group_digits(value: int, style: NumberStyle | None = None) -> str:
    """What humanize's intcomma renders for an int in the active language (or `style`),
    without its per-call cost (a dashboard table has thousands of cells)."""
    grouping, separator, _decimal = style or number_style()
    if grouping == 0:
        return str(value)
    if grouping == 3:
        return f"{value:,}".replace(",", separator)
    return number_format(value, force_grouping=True)


def decimal_text(value: float, style: NumberStyle | None = None) -> str:
    """A share such as 61.7 as `localize` writes it (no thousands grouping: the project does
    not use it), with the decimal separator of the active language (or `style`)."""
    return str(value).replace(".", (style or number_style()).decimal)


@dataclass(slots=True)
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

    def td(self, style: NumberStyle | None = None) -> SafeString:
        """The table cell as HTML, built here rather than by template tags: a ranking of 126
        communes has over a thousand cells, and this is most of an uncached render."""
        return mark_safe(self.td_text(style))  # noqa: S308 — numbers and constant keys only

    def td_text(self, style: NumberStyle | None = None) -> str:
        """`td` as plain text, for a table that marks its whole body safe once (marking each
        of a thousand cells cost as much as writing it). Every part is a number or an
        indicator key (TALLY_FIELDS), never user text."""
        grouping, separator, decimal = style or number_style()
        if grouping != 3:
            achieved = group_digits(self.achieved, style)
            target = "" if self.target is None else group_digits(self.target, style)
        else:  # the project's languages, written inline: a table has a thousand cells
            achieved = f"{self.achieved:,}".replace(",", separator)
            target = "" if self.target is None else f"{self.target:,}".replace(",", separator)
        if target:
            target = f'<span class="muted"> / {target}</span>'
        pct = (
            "" if self.pct is None else f"<br><small>{str(self.pct).replace('.', decimal)}%</small>"
        )
        return (
            f'<td class="num" data-indicator="{self.key}" data-achieved="'
            f'{int(self.achieved)}">{achieved}{target}{pct}</td>'
        )


@dataclass(slots=True)
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


def make_cells(
    campaign: Campaign,
    counts: Counts,
    targets: dict[str, int],
    labels: dict[str, str] | None = None,
) -> list[Cell]:
    """A cell per tracked indicator (`labels`: the indicators' names in the active language,
    which a long table looks up once rather than per row)."""
    return _cells(campaign.tracked, labels or _labels(get_language()), counts, targets)


def _cells(
    tracked: list[str], labels: dict[str, str], counts: Counts, targets: dict[str, int]
) -> list[Cell]:
    cells = []
    for key in tracked:
        achieved, target = counts.get(key, 0), targets.get(key)
        pct = round(100 * achieved / target, 1) if target else None  # percent(), inlined
        cells.append(Cell(key, labels[key], achieved, target, pct))
    return cells


def score(cells: list[Cell]) -> float | None:
    """The ranking figure: the mean % of target over the indicators that have a target."""
    values = [cell.pct for cell in cells if cell.pct is not None]
    return round(sum(values) / len(values), 1) if values else None


# Every field of an area, in the model's order: a batch read's rows become whole instances.
AREA_FIELDS = [field.attname for field in Area._meta.concrete_fields]


def areas_from(rows: Iterable[tuple]) -> list[Area]:
    """Areas from rows of AREA_FIELDS, in tree order."""
    areas = [Area.from_db(None, AREA_FIELDS, row) for row in rows]
    areas.sort(key=lambda area: area.path)
    return areas


def children_read(*, area: Area) -> QuerySet:
    """The units right below `area`, as rows for `areas_from` (one range over its path)."""
    return (
        Area.objects.filter(path__startswith=area.path, depth=area.depth + 1)
        .order_by()
        .values_list(*AREA_FIELDS)
    )


def child_areas(*, area: Area) -> list[Area]:
    return list(Area.objects.filter(path__startswith=area.path, depth=area.depth + 1))


def area_rows(
    *,
    campaign: Campaign,
    areas: list[Area],
    url_for: Callable[[Area], str | None],
    pace: float,
    totals: dict[int, Counts] | None = None,
    targets: dict[int, dict[str, int]] | None = None,
) -> list[Row]:
    """Two queries: totals and targets for `areas`, one row each (none for what the caller
    already read with its own figures: `totals` and `targets` by area id)."""
    if totals is None:
        totals = totals_by_area(campaign=campaign, area_ids=[area.pk for area in areas])
    if targets is None:
        targets = effective_targets(campaign=campaign, areas=areas)
    # The tracked indicators and their labels once for the table, not per row.
    rows, labels, tracked, no_targets = [], _labels(get_language()), campaign.tracked, {}
    for area in areas:
        cells = _cells(tracked, labels, totals[area.pk], targets.get(area.pk, no_targets))
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
    own = {key: totals.get(key, 0) for key in additive}
    for row in rows:
        for cell in row.cells:
            if cell.key in own:
                own[cell.key] -= cell.achieved
    return [cell for cell in make_cells(campaign, own, {}) if cell.key in own and cell.achieved > 0]


def ranking(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (row.score is None, -(row.score or 0), row.name))
