"""Issue 11, item 2: every write is checked against the roles held at the object's area or above.

A team leader in one ward who is only a volunteer in another must not edit or delete the
second ward's sessions; a ward coordinator or team leader must not delete what the city union
filed at the city. Refused requests change nothing.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.trainings.factories import planned
from trainings.models import AwarenessPost, Document, TrainingSession
from trainings.samples import tiny_pdf
from trainings.services import document_add, post_add
from volunteers.authority import Action, authority_may, roles_at
from volunteers.models import Membership, Role


@pytest.fixture
def mixed(world):
    """Team leader in Hoàng Liệt, only a volunteer in Định Công."""
    user = member(world.other_groups[0], Role.TEAM_LEADER, full_name="Người hai vai")
    Membership.objects.create(user=user, role=Role.VOLUNTEER, area=world.groups[0])
    return user


def _city_document(world) -> Document:
    return document_add(
        user=world.users["city"],
        area=world.city,
        title="Cẩm nang của Thành đoàn",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
    )


def test_roles_are_those_held_at_the_area_or_above(world, mixed):
    assert roles_at(user=mixed, area=world.groups[0]) == {Role.VOLUNTEER}
    assert roles_at(user=mixed, area=world.other_groups[0]) == {Role.TEAM_LEADER}
    assert roles_at(user=mixed, area=world.city) == frozenset()
    assert roles_at(user=world.users["ward"], area=world.groups[0]) == {Role.WARD_COORDINATOR}


def test_a_leader_elsewhere_neither_edits_nor_deletes_this_wards_session(login, world, mixed):
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    client = login(mixed)
    assert client.get(reverse("trainings:detail", args=[session.pk])).status_code == 200
    edit = client.post(
        reverse("trainings:edit", args=[session.pk]), {"title": "Đổi tên", "address": "X"}
    )
    assert edit.status_code == 403
    assert client.get(reverse("trainings:edit", args=[session.pk])).status_code == 403
    assert client.post(reverse("trainings:delete", args=[session.pk])).status_code == 403
    assert client.post(reverse("trainings:held", args=[session.pk])).status_code == 403
    session.refresh_from_db()
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert session.address == "Nhà văn hóa tổ dân phố"


def test_the_same_user_still_edits_as_leader_in_their_own_ward(login, world, mixed):
    session = planned(user=world.users["other_ward"], area=world.other_groups[0])
    client = login(mixed)
    assert client.get(reverse("trainings:edit", args=[session.pk])).status_code == 200
    assert client.post(reverse("trainings:delete", args=[session.pk])).status_code == 302
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("key", ["ward", "leader", "volunteer"])
def test_a_city_document_is_not_deleted_from_a_ward(login, world, key):
    document = _city_document(world)
    client = login(world.users[key])
    assert client.get(reverse("trainings:document-download", args=[document.pk])).status_code == 200
    response = client.post(reverse("trainings:document-delete", args=[document.pk]))
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("key", ["city", "admin"])
def test_a_city_document_is_deleted_at_the_city_or_above(login, world, key):
    document = _city_document(world)
    client = login(world.users[key])
    assert client.post(reverse("trainings:document-delete", args=[document.pk])).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_post_filed_for_the_ward_is_not_deleted_by_a_leader_of_a_group(login, world):
    post = post_add(
        user=world.users["ward"],
        area=world.ward,
        platform="facebook",
        url="https://facebook.com/doan/posts/authority-1",
        published_on=timezone.localdate(),
    )
    client = login(world.users["leader"])  # team leader of a group of the ward
    assert client.post(reverse("trainings:post-delete", args=[post.pk])).status_code in (403, 404)
    assert AwarenessPost.objects.filter(pk=post.pk).exists()
    assert not authority_may(user=world.users["leader"], action=Action.DELETE, obj=post)
    assert authority_may(user=world.users["ward"], action=Action.DELETE, obj=post)


def test_a_volunteer_edits_the_session_they_run_but_not_after_losing_their_role(world):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    assert authority_may(user=volunteer, action=Action.EDIT, obj=session)
    Membership.objects.filter(user=volunteer, area=world.groups[0]).update(is_active=False)
    volunteer.__dict__.pop("_tungnha_held", None)
    assert not authority_may(user=volunteer, action=Action.EDIT, obj=session)


def test_a_coordinator_elsewhere_cannot_approve_a_visit_here(login, world):
    from households.models import VisitStatus
    from tests.workspace.factories import household_in, visit_to

    household = household_in(world.groups[0])
    visit = visit_to(household, world.users["volunteer"])
    visit.status = VisitStatus.PENDING_REVIEW
    visit.save(update_fields=["status"])
    # Coordinator of Hoàng Liệt, volunteer in Định Công.
    user = member(world.other_ward, Role.WARD_COORDINATOR)
    Membership.objects.create(user=user, role=Role.VOLUNTEER, area=world.groups[0])
    client = login(user)
    response = client.post(
        reverse("workspace:review-decide", args=[visit.pk]), {"decision": "reject"}
    )
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING_REVIEW


def test_the_offline_outbox_cannot_report_another_wards_session_either(login, world, mixed):
    import json
    import uuid

    session = planned(user=world.users["volunteer"], area=world.groups[0])
    client = login(mixed)
    item = {
        "type": "training_report",
        "id": str(uuid.uuid4()),
        "data": {"session": str(session.pk), "attendee_count": "99"},
    }
    response = client.post(
        reverse("trainings:sync"), json.dumps({"items": [item]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "invalid"
    session.refresh_from_db()
    assert session.attendee_count != 99
