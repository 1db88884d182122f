"""Objects of the coordinator workspace, for tests."""

import datetime
import uuid

from django.utils import timezone

from areas.models import Area
from households.models import Household, Visit
from households.services import address_key
from tests.factories import TeamFactory, member
from volunteers.models import Assignment, Invitation, Role, Team, User
from workspace.models import ExportJob, ImportJob, JobStatus


def team_in(ward: Area, name: str = "", group: Area | None = None) -> Team:
    if name:
        return TeamFactory(ward=ward, name=name, residential_group=group)
    return TeamFactory(ward=ward, residential_group=group)


def invitation_for(team: Team, *, uses: int = 5, days: int = 7, area: Area | None = None):
    return Invitation.objects.create(
        team=team,
        area=area or team.area,
        max_uses=uses,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )


def volunteer_in(group: Area, team: Team | None = None, **fields) -> User:
    return member(group, Role.VOLUNTEER, team, **fields)


def assignment_of(group: Area, ward: Area, *, volunteer=None, team=None, until=None) -> Assignment:
    return Assignment.objects.create(
        ward=ward, area=group, volunteer=volunteer, team=team, valid_until=until
    )


def household_in(group: Area, *, members: int = 4, street: str = "Phố Định Công", number="1"):
    return Household.objects.create(
        area=group,
        house_number=number,
        street=street,
        members=members,
        address_key=address_key(house_number=number, alley="", street=street, apartment=""),
        search_key=f"{number} {street}".lower(),
    )


def visit_to(household: Household, volunteer: User, *, when=None, **counts) -> Visit:
    when = when or timezone.now() - datetime.timedelta(hours=1)
    return Visit.objects.create(
        client_uuid=uuid.uuid4(),
        fingerprint="test",
        household=household,
        volunteer=volunteer,
        device_time=when,
        day=timezone.localdate(when),
        area=household.area,
        result=counts.pop("result", "helped"),
        **counts,
    )


def import_job_in(ward: Area, status: str = JobStatus.PREVIEW) -> ImportJob:
    return ImportJob.objects.create(
        kind="volunteers", ward=ward, filename="a.csv", content=b"x", sha256="x", status=status
    )


def export_job_in(ward: Area, path: str) -> ExportJob:
    return ExportJob.objects.create(
        kind="teams", fmt="csv", ward=ward, status=JobStatus.DONE, path=path
    )
