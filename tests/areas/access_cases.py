from tests.access import AccessCase


def _ward(world, where):
    ward = world.ward if where == "own" else world.other_ward
    return {"pk": ward.pk}, ward


CASES = [
    AccessCase("areas:detail", _ward),
    AccessCase("areas:group-create", _ward),
]
