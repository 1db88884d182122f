"""Access-matrix cases for the campaigns URLs: "own" is inside Phường Định Công, "other"
inside Phường Hoàng Liệt (or, for the old-boundaries page, a legacy ward outside Hoàng Mai)."""

import datetime

from django.utils import timezone

from areas.models import Area, Era, Level
from campaigns.models import Campaign, ReportJob, SignOff, SignOffState
from core.jobs.models import JobStatus
from tests.access import AccessCase
from volunteers.access import COORDINATION
from volunteers.models import Team

CURRENT = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
LEGACY = (datetime.date(2023, 3, 1), datetime.date(2023, 3, 31))


def _campaign(scope: Area, period=CURRENT) -> Campaign:
    return Campaign.objects.create(
        name=f"Chiến dịch {scope.name}", start=period[0], end=period[1], scope=scope
    )


def _ward(world, where) -> Area:
    return world.ward if where == "own" else world.other_ward


def campaign_at_ward(world, where):
    if where == "above":  # the city's campaign, seen from its wards
        return {"pk": _campaign(world.city).pk}, world.city
    ward = _ward(world, where)
    return {"pk": _campaign(ward).pk}, ward


def area_of_city_campaign(world, where):
    ward = _ward(world, where)
    return {"pk": _campaign(world.city).pk, "area_pk": ward.pk}, ward


def area_of_legacy_campaign(world, where):
    if where == "own":
        ward = world.legacy_ward
    else:
        ward = (
            Area.objects.filter(era=Era.LEGACY, level=Level.WARD)
            .exclude(path__startswith=world.legacy_district.path)
            .first()
        )
    return {"pk": _campaign(world.legacy_city, LEGACY).pk, "area_pk": ward.pk}, ward


def report_job(world, where):
    ward = _ward(world, where)
    job = ReportJob.objects.create(
        campaign=_campaign(world.city),
        area=ward,
        created_by=world.users["city"],
        status=JobStatus.DONE,
        content=b"PK-not-really-xlsx",
    )
    return {"job_pk": job.pk}, ward


def signoff_at_ward(world, where):
    ward = _ward(world, where)
    submitter = world.users["ward" if where == "own" else "other_ward"]
    signoff = SignOff.objects.create(
        campaign=_campaign(world.city),
        area=ward,
        state=SignOffState.SUBMITTED,
        submitted_by=submitter,
        submitted_at=timezone.now(),
    )
    return {"signoff_pk": signoff.pk}, ward


def month_of_ward(world, where):
    ward = _ward(world, where)
    return {"area_pk": ward.pk}, ward


def token_api(world, where):
    # Public at the URL level: authentication is the bearer token, which a session lacks.
    return {"campaign_id": _campaign(_ward(world, where)).pk}, None


def api_area(world, where):
    return {"area_id": _ward(world, where).pk}, None


def team_page(world, where):
    """Own: the demo leader's team (at Định Công's first group). Other: a team of Hoàng Liệt at
    a group where nobody of the matrix holds a role."""
    if where == "own":
        team = world.teams[0]
    else:
        team, _created = Team.objects.get_or_create(
            ward=world.other_ward,
            name="Tổ CNS Hoàng Liệt thử",
            defaults={"residential_group": world.other_groups[1]},
        )
    return {"pk": team.pk}, team.area


CASES = [
    # The leader is sent to his team's page, or to the list of teams when he leads none or several.
    AccessCase("campaigns:my-team", ok=(302,)),
    AccessCase("campaigns:team", team_page),
    AccessCase("campaigns:detail", campaign_at_ward),
    AccessCase("campaigns:edit", campaign_at_ward, above=True, writers=COORDINATION),
    # Without htmx, the recount's card sends the person to the campaign's page.
    AccessCase("campaigns:recount", campaign_at_ward, ok=(302,)),
    AccessCase("campaigns:targets-import", campaign_at_ward),
    AccessCase("campaigns:area", area_of_city_campaign),
    AccessCase("campaigns:area-table", area_of_city_campaign),
    AccessCase("campaigns:print", area_of_city_campaign),
    AccessCase("campaigns:targets", area_of_city_campaign),
    AccessCase("campaigns:targets-split", area_of_city_campaign, method="post", ok=(302,)),
    AccessCase("campaigns:report-create", area_of_city_campaign, method="post", ok=(302,)),
    AccessCase("campaigns:area-current", area_of_legacy_campaign),
    AccessCase("campaigns:signoff-campaign", area_of_city_campaign, method="post", ok=(302,)),
    AccessCase("campaigns:signoff-decide", signoff_at_ward, method="post", ok=(302,)),
    AccessCase("campaigns:month", month_of_ward),
    AccessCase("campaigns:report", report_job),
    AccessCase("campaigns:report-download", report_job),
    # The API: public at the URL level, every answer without a key is a JSON 401.
    AccessCase("campaigns:api-root", ok=(404,)),
    AccessCase("campaigns:api-campaigns", ok=(401,)),
    AccessCase("campaigns:api-areas", ok=(401,)),
    AccessCase("campaigns:api-area-mapping", ok=(401,)),
    AccessCase("campaigns:api-area", api_area, ok=(401,)),
    *(
        AccessCase(f"campaigns:api-{name}", token_api, ok=(401,))
        for name in ("campaign", "indicators", "totals", "subtree", "series", "coverage")
    ),
]
