"""A household's data on request: the coordinator of its area sees everything kept about it,
downloads a copy, and erases it; outside one's area it is a 404 and nothing changes."""

import io

import openpyxl
import pytest
from django.urls import reverse

from households.models import (
    Household,
    HouseholdChange,
    PrivacyRequest,
    PrivacyRequestKind,
    Visit,
)
from households.services import household_create, household_update

from ..households.factories import household_in, visit_for

pytestmark = pytest.mark.django_db


def _household(world) -> Household:
    volunteer = world.users["volunteer"]
    household, _created = household_create(
        user=volunteer,
        area=world.groups[0],
        data={
            "house_number": "12",
            "alley": "Ngõ 34",
            "street": "Định Công",
            "contact_name": "Nguyễn Thị Lan",
            "contact_phone": "0912345678",
            "members": 3,
            "notes": "Hẹn chiều thứ 7",
        },
        consent=True,
        confirm_duplicate=True,
    )
    household_update(
        household=household,
        user=volunteer,
        data={"notes": "=HYPERLINK(1) gọi trước", "members": 4},
        consent=True,
    )
    visit_for(household, volunteer, notes="Bà Lan đã cài VNeID", status_to="app_installed")
    return household


def test_the_coordinator_sees_everything_kept_about_the_household(world, login):
    household = _household(world)
    page = login(world.users["ward"]).get(reverse("workspace:household-data", args=[household.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ("Nguyễn Thị Lan", "0912345678", "Bà Lan đã cài VNeID", "Ngõ 34"):
        assert expected in text
    assert world.users["volunteer"].full_name in text  # who recorded the consent, the visit
    assert "Hẹn chiều thứ 7" in text  # the old note, in the history of changes


def test_the_copy_is_an_xlsx_and_the_hand_over_is_recorded(world, login):
    household = _household(world)
    client = login(world.users["ward"])
    url = reverse("workspace:household-data-download", args=[household.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("Nguyễn Thị Lan" in cell for cell in cells)
    assert any("Bà Lan đã cài VNeID" in cell for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.handled_by) == (PrivacyRequestKind.EXPORT, world.users["ward"])


def test_erasure_removes_contacts_and_free_text_and_keeps_the_count(world, login):
    household = _household(world)
    households_before = Household.objects.filter(area=world.groups[0]).count()
    client = login(world.users["ward"])
    response = client.post(
        reverse("workspace:household-erase", args=[household.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.contact_name, household.contact_phone, household.notes) == ("", "", "")
    assert household.address == ""
    assert household.consent_at is None
    assert (household.members, household.digital_status) == (4, "app_installed")
    assert Household.objects.filter(area=world.groups[0]).count() == households_before
    assert list(Visit.objects.filter(household=household).values_list("notes", flat=True)) == [""]
    history = " ".join(
        str(change.changes) for change in HouseholdChange.objects.filter(household=household)
    )
    assert "Lan" not in history
    assert "Hẹn" not in history
    assert "Định Công" not in history
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.handled_by) == (PrivacyRequestKind.ERASURE, world.users["ward"])
    page = client.get(reverse("workspace:household-data", args=[household.pk])).content.decode()
    assert "Nguyễn Thị Lan" not in page
    assert "ẩn danh" in page


def test_erasure_needs_the_confirmation(world, login):
    household = _household(world)
    client = login(world.users["ward"])
    client.post(reverse("workspace:household-erase", args=[household.pk]), {})
    household.refresh_from_db()
    assert household.contact_name == "Nguyễn Thị Lan"
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("workspace:household-data", "get"),
        ("workspace:household-data-download", "get"),
        ("workspace:household-erase", "post"),
    ],
)
def test_a_household_of_another_ward_is_a_404_and_nothing_changes(world, login, name, method):
    foreign = household_in(world.other_groups[0], notes="Hộ phường khác")
    client = login(world.users["ward"])
    response = getattr(client, method)(reverse(name, args=[foreign.pk]), {"confirm": "1"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.notes == "Hộ phường khác"
    assert not PrivacyRequest.objects.exists()


def test_a_volunteer_cannot_open_a_households_data(world, login):
    household = _household(world)
    client = login(world.users["volunteer"])
    response = client.get(reverse("workspace:household-data", args=[household.pk]))
    assert response.status_code == 403
