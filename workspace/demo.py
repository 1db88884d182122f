"""Demo records of the coordinator workspace: a couple of assignments and an invitation link.

Call `seed(world, scale)` from seed_demo after the foundation (idempotent).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from volunteers.demo import DemoWorld
from volunteers.models import Assignment, Invitation


@transaction.atomic
def seed(world: DemoWorld, scale: int = 1) -> Invitation:
    coordinator = world.users["ward"]
    # Each demo team keeps the groups its members already walk, and team 2 takes one more.
    plan = [
        (world.groups[0], world.teams[0]),
        (world.groups[1], world.teams[0]),
        (world.groups[3], world.teams[1]),
        (world.groups[2], world.teams[2]),
        (world.groups[4], world.teams[2]),
    ]
    for group, team in plan:
        Assignment.objects.get_or_create(
            ward=world.ward,
            area=group,
            team=team,
            released_at=None,
            defaults={
                "created_by": coordinator,
                "campaign_label": "Tháng Thanh niên",
                "valid_until": timezone.localdate() + datetime.timedelta(days=60),
            },
        )
    invitation = (
        Invitation.objects.filter(team=world.teams[0], revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if invitation is None or not invitation.is_usable:
        invitation = Invitation.objects.create(
            team=world.teams[0],
            area=world.teams[0].area,
            max_uses=30,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            created_by=coordinator,
        )
    return invitation
