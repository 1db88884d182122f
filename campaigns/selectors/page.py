"""What every view of a dashboard reads, cached body or not: its head (the data version, the
viewer's latest reports, the page's unit), and the cache key of its body."""

import hashlib
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from areas.models import Area
from volunteers.models import User

from ..models import Campaign, ReportJob
from .batch import CompiledReads, Read, instance, read_of, read_together
from .figures import dashboard_version_read
from .rows import AREA_FIELDS, areas_from
from .scope import coordination_scope

_COMPILED = CompiledReads(size=1024)
# What a cached body holds (campaigns.views._CachedBody): raised when that changes, so that a
# deployment never unpickles an entry of the previous shape.
BODY_FORMAT = 3


@dataclass
class DashboardHead:
    """What every view of a dashboard reads, cached body or not (`dashboard_head`)."""

    area: Area | None  # None: no such unit inside both the campaign's and the user's scope
    version: tuple  # moves with any figure the body shows (figures.dashboard_version_read)
    reports: list[ReportJob]  # the viewer's latest reports of this unit


def dashboard_head(
    *,
    user: User,
    campaign: Campaign,
    area: Area | None = None,
    area_pk: int | None = None,
    area_path: str = "",
) -> DashboardHead:
    """One query on every view of a dashboard: the data version of its body, the viewer's
    latest reports there and, when the page names its unit by id (`area_pk`) or path
    (`area_path`), the unit itself, found only inside both the campaign's and the viewer's
    scope.

    The registry behind coverage is versioned under the unit when it is known already, else
    under the campaign's scope (a household changed anywhere in it moves the version: the body
    is rebuilt more often, never stale), which the unit's path is not needed for."""
    known = area is not None
    if known:
        area_pk, area_path = area.pk, ""
    scope = coordination_scope(user)
    # Compiled once per process (selectors.batch.CompiledReads) by all they are built from.
    key = (
        "dashboard-head",
        campaign.pk,
        campaign.scope.path,
        area_pk,
        area_path,
        area.path if known else None,
        user.pk,
        scope.everything,
        scope.paths,
    )
    reads = _COMPILED.get(
        key,
        lambda: _head_reads(
            user=user, campaign=campaign, area=area, area_pk=area_pk, area_path=area_path
        ),
    )
    rows = read_together(**reads)
    if not known:
        found = areas_from(rows["area"])
        area = found[0] if found else None
    reports = [
        instance(ReportJob, id=pk, status=status, created_at=created_at)
        for pk, status, created_at in rows["reports"]
    ]
    reports.sort(key=lambda job: job.created_at, reverse=True)
    version = tuple(part if part is not None else "" for part in rows["version"][0])
    return DashboardHead(area=area, version=version, reports=reports)


def _head_reads(
    *, user: User, campaign: Campaign, area: Area | None, area_pk: int | None, area_path: str
) -> dict[str, Read]:
    """The reads of `dashboard_head`, for one statement."""
    unit = Q(pk=area_pk) if area_pk is not None else Q(path=area_path)
    reads = {
        "version": dashboard_version_read(
            campaign=campaign,
            area_id=area_pk,
            area_path=area_path,
            registry_of=area or campaign.scope,
        ),
        "reports": read_of(
            ReportJob.objects.filter(
                campaign=campaign,
                created_by=user,
                **({"area_id": area_pk} if area_pk is not None else {"area__path": area_path}),
            )
            .order_by("-created_at")
            .values_list("id", "status", "created_at")[:3]
        ),
    }
    if area is None:
        reads["area"] = read_of(
            Area.objects.filter(
                unit, coordination_scope(user).q(field=""), path__startswith=campaign.scope.path
            )
            .order_by()
            .values_list(*AREA_FIELDS)
        )
    return reads


def dashboard_body_key(
    *, user: User, campaign: Campaign, head: DashboardHead, indicator: str, part: str = ""
) -> str:
    """The cache key of a dashboard's body: everything it depends on — the data version, the
    unit, the chosen indicator, the language (its words and number style), the day (the pace),
    the campaign as saved, and the viewer's scope (crumbs and the campaigns named as
    overlapping follow it: a body is never shown to a narrower scope than it was built for).
    `part` names a piece cached beside the body (the table of every indicator)."""
    scope = coordination_scope(user)
    parts = (
        campaign.pk,
        campaign.updated_at.isoformat(),
        head.area.pk,
        indicator,
        part,
        get_language(),
        timezone.localdate(),
        *head.version,
        scope.everything,
        *scope.paths,
    )
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"campaigns:dashboard:{BODY_FORMAT}:{digest}"
