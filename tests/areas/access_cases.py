from tests.access import AccessCase


def _ward(world, where):
    if where == "above":  # the city, above every ward coordinator
        return {"pk": world.city.pk}, world.city
    ward = world.ward if where == "own" else world.other_ward
    return {"pk": ward.pk}, ward


CASES = [
    AccessCase("areas:detail", _ward, above=True),
    AccessCase("areas:group-create", _ward),
]
