"""Writes: campaigns, targets (grid, file import, proportional split), reports.

API keys are made and checked in campaigns/tokens.py (re-exported here)."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.jobs.runner import job_dispatch
from core.spreadsheets.reader import (
    FORMULA_MESSAGE,
    Column,
    FileRefused,
    Table,
    open_table,
    text_of,
)
from volunteers.models import User
from volunteers.scoping import Scope

from .models import (
    INDICATOR_LABELS,
    TALLY_FIELDS,
    Campaign,
    ReportJob,
    Target,
)
from .recount import campaign_store
from .tokens import (  # noqa: F401  (the views and the API import them from here)
    api_token_create,
    api_token_revoke,
    api_token_rotate,
    api_token_user,
)


# --- Campaigns ----------------------------------------------------------------------------------
@transaction.atomic
def campaign_save(*, campaign: Campaign, user: User, scope: Scope) -> Campaign:
    """Create or update a campaign whose scope lies inside the user's own."""
    if not scope.contains(campaign.scope):
        raise ValidationError({"scope": _("Phạm vi nằm ngoài địa bàn bạn phụ trách.")})
    if campaign.pk is None:
        campaign.created_by = user
    campaign.era = campaign.scope.era
    campaign.full_clean()
    # A new period or scope is recounted by a job after commit, not inside the request.
    campaign_store(campaign=campaign, user=user)
    return campaign


# --- Targets --------------------------------------------------------------------------------------
@dataclass
class TargetRowError:
    row: int
    message: str


@dataclass
class TargetImportResult:
    written: int = 0
    errors: list[TargetRowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_GROUPED = re.compile(r"-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"-?\d*[.,]\d+")


def _parse_value(raw: object) -> int | str | None:
    """An int, None for an empty cell, or an error message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return _("không phải số")
    if isinstance(raw, float):
        if not raw.is_integer():
            return _("không phải số nguyên")
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip().replace(" ", "")
        if _GROUPED.fullmatch(text):
            # "12.500" or "12,500": thousands separators, as typed in Vietnam or abroad.
            text = text.replace(".", "").replace(",", "")
        elif _DECIMAL.fullmatch(text):
            return _("không phải số nguyên")  # "12.5" is not 125
        if not text.lstrip("-").isdigit():
            return _("không phải số")
        value = int(text)
    if value < 0:
        return _("số âm")
    return value


def _write_targets(campaign: Campaign, values: dict[tuple[int, str], int | None]) -> int:
    """Upsert the given (area, indicator) values; None deletes the target."""
    written = 0
    existing = {
        (target.area_id, target.indicator): target
        for target in Target.objects.filter(
            campaign=campaign, area_id__in={area_id for area_id, _ in values}
        )
    }
    to_create, to_update, to_delete = [], [], []
    for (area_id, indicator), value in values.items():
        target = existing.get((area_id, indicator))
        if value is None:
            if target:
                to_delete.append(target.pk)
            continue
        if target:
            if target.value != value:
                target.value = value
                # bulk_update skips auto_now; the dashboard's cache key reads this column.
                target.updated_at = timezone.now()
                to_update.append(target)
        else:
            to_create.append(
                Target(campaign=campaign, area_id=area_id, indicator=indicator, value=value)
            )
        written += 1
    Target.objects.filter(pk__in=to_delete).delete()
    Target.objects.bulk_create(to_create)
    Target.objects.bulk_update(to_update, ["value", "updated_at"])
    return written


@transaction.atomic
def targets_save_grid(
    *, campaign: Campaign, scope: Scope, cells: Mapping[tuple[int, str], object]
) -> TargetImportResult:
    """Save the grid editor's cells {(area_id, indicator): raw}; all or nothing."""
    result = TargetImportResult()
    areas = {area.pk: area for area in Area.objects.filter(pk__in={a for a, _ in cells})}
    values: dict[tuple[int, str], int | None] = {}
    for index, ((area_id, indicator), raw) in enumerate(sorted(cells.items()), start=1):
        area = areas.get(area_id)
        problem = _area_problem(campaign, scope, area, str(area_id))
        if indicator not in campaign.tracked:
            problem = _("chỉ tiêu không được theo dõi: %(key)s") % {"key": indicator}
        value = _parse_value(raw)
        if isinstance(value, str):
            problem = value
        if problem:
            name = area.name if area else str(area_id)
            result.errors.append(TargetRowError(index, f"{name}: {problem}"))
            continue
        values[(area_id, indicator)] = value
    if result.errors:
        return result
    result.written = _write_targets(campaign, values)
    return result


def _area_problem(campaign: Campaign, scope: Scope, area: Area | None, code: str) -> str:
    if area is None:
        return _("không có địa bàn mã %(code)s") % {"code": code}
    if not area.path.startswith(campaign.scope.path):
        return _("%(name)s nằm ngoài phạm vi chiến dịch") % {"name": area.name}
    if not scope.contains(area):
        return _("%(name)s nằm ngoài địa bàn bạn phụ trách") % {"name": area.name}
    return ""


CODE_HEADERS = ("ma", "mã", "ma_dia_ban", "mã địa bàn", "code")
NAME_HEADERS = ("ten", "tên", "ten_dia_ban", "tên địa bàn", "name")
MAX_TARGET_ROWS = 20_000  # every unit of a province down to its residential groups, and more


def _target_columns() -> list[Column]:
    """The columns a targets file may have: every indicator (key or Vietnamese label), so that
    an indicator the campaign does not track is named in the error rather than ignored."""
    return [
        Column(key="code", label="mã", aliases=CODE_HEADERS, required=True),
        Column(key="name", label="tên", aliases=NAME_HEADERS),
        *(Column(key=key, label=INDICATOR_LABELS[key], aliases=(key,)) for key in TALLY_FIELDS),
    ]


TargetRow = tuple[int, dict[str, object], list[str]]  # number, values, keys holding a formula


def _read_targets(name: str, content: bytes) -> tuple[Table, list[TargetRow]]:
    """The file through the one guarded reader (size, zip and XML bombs, encodings)."""
    table = open_table(content=content, filename=name, columns=_target_columns())
    rows: list[TargetRow] = []
    for row in table.rows:
        if len(rows) >= MAX_TARGET_ROWS:
            raise FileRefused(_("Tệp có quá %(count)d dòng.") % {"count": MAX_TARGET_ROWS})
        rows.append(row)
    return table, rows


def _header_problems(table: Table, campaign: Campaign) -> list[TargetRowError]:
    foreign = [
        *table.unknown,
        *(
            table.headers[key]
            for key in table.columns
            if key in TALLY_FIELDS and key not in campaign.tracked
        ),
    ]
    if not foreign:
        return []
    message = _("Cột không phải chỉ tiêu của chiến dịch: %(cols)s") % {"cols": ", ".join(foreign)}
    return [TargetRowError(table.header_row, message)]


@transaction.atomic
def targets_import(
    *, campaign: Campaign, scope: Scope, name: str, content: bytes
) -> TargetImportResult:
    """Import targets from xlsx/csv: a 'mã' column (area code of the campaign's era), then one
    column per indicator (key or Vietnamese label). Lands whole, or reports every bad row."""
    result = TargetImportResult()
    try:
        table, rows = _read_targets(name, content)
    except FileRefused as refused:  # a corrupt, foreign or hostile file: say why, never a 500
        message = _("Không đọc được tệp: %(reason)s") % {"reason": refused.message}
        result.errors.append(TargetRowError(0, message))
        return result
    result.errors += _header_problems(table, campaign)
    if result.errors:
        return result
    if not rows:
        result.errors.append(TargetRowError(0, _("Tệp trống.")))
        return result
    columns = [key for key in table.columns if key in campaign.tracked]
    codes = {text_of(values.get("code")) for _number, values, _formulas in rows} - {""}
    areas = {area.code: area for area in Area.objects.filter(era=campaign.era, code__in=codes)}
    values_by_key: dict[tuple[int, str], int | None] = {}
    rows_by_code: dict[str, int] = {}
    for number, values, formulas in rows:
        if not formulas and all(value in (None, "") for value in values.values()):
            continue
        code = text_of(values.get("code"))
        area = areas.get(code)
        problems = []
        if problem := _area_problem(campaign, scope, area, code or "—"):
            problems.append(problem)
        elif (first := rows_by_code.setdefault(code, number)) != number:
            # Two rows for one unit: which one is meant? Neither wins silently.
            problems.append(_("mã %(code)s trùng với dòng %(row)d") % {"code": code, "row": first})
            area = None
        for key in columns:
            raw = values.get(key)
            value = _parse_value(raw)
            if key in formulas:
                # The reader keeps no formula's cached value: it is not what the city typed.
                problems.append(f"{INDICATOR_LABELS[key]}: {FORMULA_MESSAGE}")
            elif isinstance(value, str):
                problems.append(f"{INDICATOR_LABELS[key]}: {value} ({raw})")
            elif area is not None:
                values_by_key[(area.pk, key)] = value
        if problems:
            result.errors.append(TargetRowError(number, "; ".join(problems)))
    if result.errors:
        return result
    # Empty cells in a file leave existing targets as they are.
    result.written = _write_targets(
        campaign, {k: v for k, v in values_by_key.items() if v is not None}
    )
    return result


def household_counts(children: list[Area]) -> dict[int, int]:
    """Households below each child, from the households app when it is installed (one query)."""
    if not children or not apps.is_installed("households"):
        return {}
    try:
        household = apps.get_model("households", "Household")
    except LookupError:
        return {}
    if household._meta.db_table not in connection.introspection.table_names():
        return {}  # the households app is installed but not migrated yet
    length = len(children[0].path)
    by_prefix = dict(
        household.objects.filter(
            Q(*[Q(area__path__startswith=c.path) for c in children], _connector=Q.OR)
        )
        .annotate(prefix=Substr("area__path", 1, length))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    return {child.pk: by_prefix.get(child.path, 0) for child in children}


def proportional_split(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """Largest remainder: shares proportional to weights, summing exactly to `total`.
    With no weight anywhere, an even split."""
    keys = sorted(weights)
    if not keys:
        return {}
    weight_sum = sum(max(weights[k], 0) for k in keys)
    if weight_sum == 0:
        weights, weight_sum = dict.fromkeys(keys, 1), len(keys)
    exact = {k: total * max(weights[k], 0) / weight_sum for k in keys}
    shares = {k: int(exact[k]) for k in keys}
    left = total - sum(shares.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - shares[k]), k))[:left]:
        shares[k] += 1
    return shares


@transaction.atomic
def target_split(
    *,
    campaign: Campaign,
    scope: Scope,
    parent: Area,
    indicators: list[str] | None = None,
    counts: Mapping[int, int] | Callable[[list[Area]], Mapping[int, int]] | None = None,
) -> dict[str, dict[int, int]]:
    """Split the parent's targets over its children in proportion to their households."""
    if problem := _area_problem(campaign, scope, parent, parent.code):
        raise ValidationError(problem)
    children = list(Area.objects.filter(path__startswith=parent.path, depth=parent.depth + 1))
    if not children:
        raise ValidationError(_("%(name)s không có đơn vị trực thuộc.") % {"name": parent.name})
    parent_targets = dict(
        Target.objects.filter(campaign=campaign, area=parent).values_list("indicator", "value")
    )
    wanted = [k for k in (indicators or campaign.tracked) if k in parent_targets]
    if not wanted:
        return {}
    if callable(counts):
        counts = counts(children)
    weights = counts if counts is not None else household_counts(children)
    weights = {child.pk: int(weights.get(child.pk, 0)) for child in children}
    shares = {key: proportional_split(parent_targets[key], weights) for key in wanted}
    _write_targets(
        campaign,
        {
            (area_id, key): value
            for key, split in shares.items()
            for area_id, value in split.items()
        },
    )
    return shares


# --- Reports ------------------------------------------------------------------------------------
def report_request(*, campaign: Campaign, area: Area, user: User) -> ReportJob:
    job = ReportJob.objects.create(campaign=campaign, area=area, created_by=user)
    job_dispatch(job)
    return job
