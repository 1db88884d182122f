from volunteers.models import Assignment
from volunteers.scoping import field_scope_for
from workspace.demo import seed


def test_demo_seed_is_idempotent_and_narrows_the_demo_volunteer(world):
    first = seed(world, 1)
    second = seed(world, 1)
    assert first.pk == second.pk
    assert first.is_usable
    assert Assignment.objects.count() == 5
    scope = field_scope_for(user=world.users["volunteer"])
    assert scope.contains(world.groups[0])
    assert scope.contains(world.groups[1])
    assert field_scope_for(user=world.users["volunteer2"]).contains(world.groups[4])
