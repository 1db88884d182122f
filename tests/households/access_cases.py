from tests.access import AccessCase

from .factories import household_in, raw_visit


def _group(world, where):
    return world.groups[0] if where == "own" else world.other_groups[0]


def _household(world, where):
    household = household_in(_group(world, where))
    return {"pk": household.pk}, household.area


def _local(world, where):
    import uuid

    household = household_in(_group(world, where), client_uuid=uuid.uuid4())
    return {"uuid": household.client_uuid}, household.area


def _visit(world, where):
    household = household_in(_group(world, where))
    visit = raw_visit(household, world.users["volunteer"])
    return {"pk": visit.pk}, household.area


def _visit_post(world, where):
    household = household_in(_group(world, where))
    return {"pk": household.pk}, household.area


CASES = [
    AccessCase("households:detail", _household),
    AccessCase("households:edit", _household),
    AccessCase("households:local-visit", _local, ok=(302,)),
    # The author, or a team leader of the area (households.services.visit_can_edit).
    AccessCase(
        "households:visit-edit",
        _visit,
        writers=frozenset({"team_leader"}),
        owners={"own": "volunteer", "other": "volunteer"},
    ),
    # The author only, within the window (households.services.visit_can_withdraw).
    AccessCase(
        "households:visit-withdraw",
        _visit,
        method="post",
        ok=(302,),
        writers=frozenset(),
        owners={"own": "volunteer", "other": "volunteer"},
    ),
    AccessCase(
        "households:visit-create",
        _visit_post,
        method="post",
        ok=(302, 400),
        data={"result": "not_home"},
    ),
    AccessCase("households:sync", method="post", ok=(400,), data={"items": "x"}),
]
