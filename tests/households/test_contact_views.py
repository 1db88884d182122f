"""Who saw a contact: every page or file that shows a household's name and phone records who
was shown it, when and through which door; the household's data page lists them. One INSERT
on the volunteer's page, and only when there is a contact to show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import ContactDoor, ContactView, Household
from tests.workspace.factories import export_job_in

from .factories import household_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(world) -> Household:
    return household_in(
        world.groups[0],
        contact_name="Nguyễn Thị Lan",
        contact_phone="0912345678",
        consent_at=timezone.now(),
    )


def test_opening_a_household_with_a_contact_records_who_saw_it(world, login, contact):
    volunteer = world.users["volunteer"]
    response = login(volunteer).get(contact.get_absolute_url())
    assert response.status_code == 200
    assert "Nguyễn Thị Lan" in response.content.decode()
    view = ContactView.objects.get()
    assert (view.household, view.viewer, view.door) == (contact, volunteer, ContactDoor.DETAIL)
    assert view.viewed_at is not None


def test_a_household_without_a_contact_records_nothing(world, login):
    household = household_in(world.groups[0])
    assert login(world.users["volunteer"]).get(household.get_absolute_url()).status_code == 200
    assert not ContactView.objects.exists()


def test_the_record_is_one_insert_and_no_extra_read(world, login, contact):
    """The volunteer's hot path: the page with a contact costs exactly one statement more than
    the same page without one, and that statement is the INSERT."""
    bare = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    client.get(bare.get_absolute_url())  # warm the session and caches alike for both
    with CaptureQueriesContext(connection) as without:
        client.get(bare.get_absolute_url())
    with CaptureQueriesContext(connection) as with_contact:
        client.get(contact.get_absolute_url())
    assert len(with_contact) == len(without) + 1
    extra = [q["sql"] for q in with_contact if "households_contactview" in q["sql"]]
    assert len(extra) == 1
    assert extra[0].lstrip().upper().startswith("INSERT")


def test_the_household_list_records_nothing_and_its_query_count_does_not_grow(
    world, login, django_assert_max_num_queries
):
    group = world.groups[0]
    rows = [
        Household(
            area=group,
            house_number=str(n),
            street="Định Công",
            address_key=str(n),
            contact_name=f"Người {n}",
            contact_phone="0912345678",
            consent_at=timezone.now(),
        )
        for n in range(300)
    ]
    Household.objects.bulk_create(rows)
    client = login(world.users["volunteer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("households:list"))
    assert response.context["page"].paginator.count == 300
    assert not ContactView.objects.exists()


def test_the_data_page_and_its_download_are_recorded_and_listed(world, login, contact):
    coordinator = world.users["ward"]
    login(world.users["volunteer"]).get(contact.get_absolute_url())
    client = login(coordinator)
    client.get(reverse("workspace:household-data-download", args=[contact.pk]))
    page = client.get(reverse("workspace:household-data", args=[contact.pk]))
    doors = list(
        ContactView.objects.filter(household=contact).order_by("pk").values_list("door", flat=True)
    )
    assert doors == [ContactDoor.DETAIL, ContactDoor.DATA_DOWNLOAD, ContactDoor.DATA_PAGE]
    text = page.content.decode()
    assert "Ai đã xem liên hệ" in text
    assert world.users["volunteer"].full_name in text
    for door in (ContactDoor.DETAIL, ContactDoor.DATA_DOWNLOAD, ContactDoor.DATA_PAGE):
        assert str(door.label) in text


def test_the_ward_export_is_one_row_with_its_count_shown_to_its_households(
    world, login, contact, tmp_path
):
    path = tmp_path / "households.csv"
    path.write_text("x")
    job = export_job_in(world.ward, str(path))
    job.kind, job.total = "households", 57
    job.save()
    client = login(world.users["ward"])
    assert client.get(reverse("workspace:export-download", args=[job.pk])).status_code == 200
    view = ContactView.objects.get()
    assert (view.household, view.ward, view.count) == (None, world.ward, 57)
    assert view.door == ContactDoor.WARD_EXPORT
    page = client.get(reverse("workspace:household-data", args=[contact.pk]))
    assert "danh sách 57 hộ" in page.content.decode()


def test_an_export_of_another_list_records_nothing(world, login, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("x")
    job = export_job_in(world.ward, str(path))
    assert login(world.users["ward"]).get(reverse("workspace:export-download", args=[job.pk]))
    assert not ContactView.objects.exists()


def test_the_log_is_append_only(world, login, contact):
    login(world.users["volunteer"]).get(contact.get_absolute_url())
    view = ContactView.objects.get()
    view.door = ContactDoor.DATA_PAGE
    with pytest.raises(ValueError, match="append-only"):
        view.save()


def test_the_edit_page_shows_the_contact_and_is_recorded(world, login, contact):
    volunteer = world.users["volunteer"]
    page = login(volunteer).get(reverse("households:edit", args=[contact.pk]))
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.content.decode()
    view = ContactView.objects.get()
    assert (view.viewer, view.door) == (volunteer, ContactDoor.EDIT)
