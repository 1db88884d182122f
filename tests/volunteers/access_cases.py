from tests.access import AccessCase
from volunteers.assignments import volunteer_add
from volunteers.invitations import role_invitation_offer


def _ward(world, where):
    return world.ward if where == "own" else world.other_ward


def _pre_added(world, where):
    """A volunteer a coordinator added by phone (no password yet): the claim code's account."""
    group = world.groups[3] if where == "own" else world.other_groups[1]
    phone = "0955000001" if where == "own" else "0955000002"
    user, _created = volunteer_add(ward=_ward(world, where), full_name="Mới thêm", phone=phone)
    from volunteers.models import Membership

    Membership.objects.filter(user=user).update(area=group)
    return {"pk": user.pk}, group


def _offer(world, where):
    # Made to the demo volunteer: anyone else who answers it changes nothing (and is sent home).
    offer = role_invitation_offer(
        user=world.users["volunteer"],
        role="volunteer",
        area=world.groups[4] if where == "own" else world.other_groups[2],
        team=None,
        created_by=None,
    )
    return {"pk": offer.pk}, None


CASES = [
    # The language switch answers every POST with a redirect back.
    AccessCase("set-language", method="post", ok=(302,), data={"language": "en", "next": "/"}),
    # Signed-in users are sent home; others see the form.
    AccessCase("volunteers:claim", ok=(200, 302)),
    AccessCase("volunteers:claim-code-create", _pre_added, method="post"),
    AccessCase(
        "volunteers:role-invitation-answer",
        _offer,
        method="post",
        ok=(302,),
        data={"decision": "accept"},
    ),
]
