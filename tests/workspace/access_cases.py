"""Access cases of the coordinator workspace: every URL with arguments, in both wards."""

import tempfile

from tests.access import AccessCase
from volunteers.demo import DemoWorld

from .factories import (
    assignment_of,
    export_job_in,
    household_in,
    import_job_in,
    invitation_for,
    team_in,
    visit_to,
    volunteer_in,
)


def _ward_of(world: DemoWorld, where: str):
    return world.ward if where == "own" else world.other_ward


def _group_of(world: DemoWorld, where: str):
    return world.groups[3] if where == "own" else world.other_groups[1]


def ward(world, where):
    area = _ward_of(world, where)
    return {"ward_pk": area.pk}, area


def ward_kind(kind):
    def build(world, where):
        area = _ward_of(world, where)
        return {"ward_pk": area.pk, "kind": kind}, area

    return build


def team(world, where):
    created = team_in(_ward_of(world, where))
    return {"pk": created.pk}, created.ward


def invitation(world, where):
    created = invitation_for(team_in(_ward_of(world, where)))
    return {"pk": created.pk}, created.team.ward


def join(world, where):
    created = invitation_for(team_in(_ward_of(world, where)))
    return {"token": created.token}, None


def volunteer(world, where):
    group = _group_of(world, where)
    return {"pk": volunteer_in(group).pk}, group


def assignment(world, where):
    group = _group_of(world, where)
    created = assignment_of(group, _ward_of(world, where), volunteer=volunteer_in(group))
    return {"pk": created.pk}, group


def import_job(world, where):
    area = _ward_of(world, where)
    return {"pk": import_job_in(area).pk}, area


def export_job(world, where):
    area = _ward_of(world, where)
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
    handle.write(b"a,b\n")
    handle.close()
    return {"pk": export_job_in(area, handle.name).pk}, area


def pending_visit(world, where):
    group = _group_of(world, where)
    household = household_in(group)
    created = visit_to(household, volunteer_in(group), status="pending_review")
    return {"pk": created.pk}, group


def household(world, where):
    group = _group_of(world, where)
    return {"pk": household_in(group).pk}, group


POST_REDIRECT = {"method": "post", "ok": (302,)}

CASES = [
    # A coordinator of a single ward goes straight to it.
    AccessCase("workspace:index", ok=(200, 302)),
    AccessCase("workspace:ward", ward),
    AccessCase("workspace:team-list", ward),
    AccessCase("workspace:team-create", ward),
    AccessCase("workspace:volunteer-list", ward),
    AccessCase("workspace:volunteer-create", ward),
    AccessCase("workspace:assignments", ward),
    AccessCase("workspace:assignment-create", ward),
    AccessCase("workspace:household-list", ward),
    AccessCase("workspace:visit-list", ward),
    AccessCase("workspace:coverage", ward),
    AccessCase("workspace:legacy-groups", ward),
    AccessCase("workspace:legacy-groups-carry-over", ward, **POST_REDIRECT),
    AccessCase("workspace:review", ward),
    AccessCase("workspace:team-detail", team),
    AccessCase(
        "workspace:invitation-create",
        team,
        data={"days": 7, "max_uses": 3, "role": "volunteer"},
        **POST_REDIRECT,
    ),
    AccessCase("workspace:invitation-detail", invitation),
    AccessCase("workspace:invitation-revoke", invitation, **POST_REDIRECT),
    AccessCase("workspace:join", join),
    AccessCase("workspace:volunteer-detail", volunteer),
    AccessCase("workspace:volunteer-deactivate", volunteer, **POST_REDIRECT),
    AccessCase("workspace:volunteer-reactivate", volunteer, **POST_REDIRECT),
    AccessCase("workspace:volunteer-handover", volunteer, **POST_REDIRECT),
    AccessCase("workspace:assignment-release", assignment, **POST_REDIRECT),
    AccessCase("workspace:import-start", ward_kind("households")),
    AccessCase("workspace:tally-grid", ward),
    AccessCase("workspace:import-detail", import_job),
    AccessCase("workspace:import-confirm", import_job, **POST_REDIRECT),
    AccessCase("workspace:import-errors", import_job, ok=(200, 404)),
    AccessCase("workspace:import-template", lambda world, where: ({"kind": "households"}, None)),
    AccessCase(
        "workspace:export-create", ward_kind("teams"), data={"format": "csv"}, **POST_REDIRECT
    ),
    AccessCase("workspace:export-detail", export_job),
    AccessCase("workspace:export-download", export_job),
    AccessCase("workspace:household-data", household),
    AccessCase("workspace:household-data-download", household),
    AccessCase("workspace:household-erase", household, data={"confirm": "1"}, **POST_REDIRECT),
    AccessCase(
        "workspace:review-decide", pending_visit, data={"decision": "reject"}, **POST_REDIRECT
    ),
]
