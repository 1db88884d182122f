import datetime
import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household, Visit
from households.selectors import household_list_for, volunteer_totals

from .factories import household_in, raw_visit, visit_for

pytestmark = pytest.mark.django_db


def test_volunteer_lists_only_households_of_their_groups(world, login):
    mine = household_in(world.groups[0], street="Phố Định Công Hạ")
    household_in(world.groups[3], street="Phố Khác")
    household_in(world.other_groups[0], street="Phố Hoàng Liệt")
    response = login(world.users["volunteer"]).get(reverse("households:list"))
    assert list(response.context["page"]) == [mine]


def test_search_ignores_accents(world, login):
    household = household_in(world.groups[0], street="Phố Định Công Hạ")
    household_in(world.groups[0], street="Kim Giang")
    client = login(world.users["volunteer"])
    Household.objects.filter(pk=household.pk).update(search_key="so 1 pho dinh cong ha")
    response = client.get(reverse("households:list"), {"q": "dinh cong"})
    assert list(response.context["page"]) == [household]


def test_filters_not_yet_visited_and_next_step_pending(world):
    volunteer = world.users["volunteer"]
    visited = household_in(world.groups[0])
    fresh = household_in(world.groups[0])
    done = household_in(world.groups[0], digital_status="uses_online_services")
    visit_for(visited, volunteer)
    visit_for(done, volunteer)
    assert list(household_list_for(user=volunteer, filter="unvisited")) == [fresh]
    assert list(household_list_for(user=volunteer, filter="pending")) == [visited]


def test_ward_coordinator_reads_the_ward_but_cannot_log(world, login):
    household = household_in(world.groups[4])
    client = login(world.users["ward"])
    page = client.get(household.get_absolute_url())
    assert page.status_code == 200
    assert b'data-outbox="visit"' not in page.content
    response = client.post(reverse("households:visit-create", args=[household.pk]), {})
    assert response.status_code == 403


def test_volunteer_cannot_open_or_log_for_a_household_in_another_ward(world, login):
    foreign = household_in(world.other_groups[0])
    client = login(world.users["volunteer"])
    assert client.get(foreign.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("households:visit-create", args=[foreign.pk]),
        {"result": "helped", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_visit_logged_in_three_taps_without_javascript(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    page = client.get(household.get_absolute_url())
    assert "Đã cài VNeID" in page.content.decode()
    client_id = str(uuid.uuid4())
    form = {"client_id": client_id, "result": "helped", "status_to": "app_installed"}
    response = client.post(reverse("households:visit-create", args=[household.pk]), form)
    assert response.status_code == 302
    client.post(reverse("households:visit-create", args=[household.pk]), form)  # double tap
    visit = Visit.objects.get()
    assert (visit.install_guidance, visit.status_to) == (1, "app_installed")
    household.refresh_from_db()
    assert household.digital_status == "app_installed"


def test_add_household_page_creates_and_warns_on_duplicates(world, login):
    client = login(world.users["volunteer"])
    form = {"area": world.groups[1].pk, "house_number": "5", "alley": "Ngõ 12", "members": 3}
    response = client.post(reverse("households:create"), form)
    assert response.status_code == 302
    override = '<label class="check" data-override hidden>'
    assert override in client.get(reverse("households:create")).content.decode()
    response = client.post(reverse("households:create"), form)
    assert response.status_code == 200
    assert "cùng địa chỉ" in response.content.decode()
    assert override not in response.content.decode()  # now the confirmation is offered
    assert '<label class="check" data-override>' in response.content.decode()
    assert Household.objects.count() == 1


def test_my_visits_shows_totals_and_edit_links_within_window(world, login):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    recent = visit_for(household, volunteer, install_guidance=1)
    old = visit_for(household, volunteer, device_time=timezone.now() - datetime.timedelta(days=3))
    Visit.objects.filter(pk=old.pk).update(received_at=old.received_at - datetime.timedelta(days=3))
    response = login(volunteer).get(reverse("households:my-visits"))
    content = response.content.decode()
    assert reverse("households:visit-edit", args=[recent.pk]) in content
    assert reverse("households:visit-edit", args=[old.pk]) not in content
    totals = volunteer_totals(user=volunteer)
    assert totals["today"]["visits"] == 1
    assert totals["overall"]["visits"] == 2
    assert totals["overall"]["install_guidance"] == 1


def test_editing_an_old_visit_is_404(world, login):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    visit = visit_for(household, volunteer)
    Visit.objects.filter(pk=visit.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=2)
    )
    client = login(volunteer)
    assert client.get(reverse("households:visit-edit", args=[visit.pk])).status_code == 404


def test_edit_page_saves_and_records_history(world, login):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    visit = visit_for(household, volunteer)
    client = login(volunteer)
    response = client.post(
        reverse("households:visit-edit", args=[visit.pk]), {"result": "helped", "email": "1"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.email == 1
    assert visit.edits.get().changes["email"] == [0, 1]
    # The history names the field as the form does, and teammates by name.
    teammate = world.users["volunteer2"]
    client.post(
        reverse("households:visit-edit", args=[visit.pk]),
        {"result": "helped", "email": "1", "teammates": [teammate.pk]},
    )
    page = client.get(reverse("households:visit-edit", args=[visit.pk])).content.decode()
    assert f"Cùng đi — → {teammate.full_name}" in page
    assert "email 0" not in page


def test_edit_page_starts_from_the_visits_counts(world, login):
    """Opening the edit page and saving it unchanged keeps what the visit counted."""
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0])
    visit = visit_for(household, volunteer, install_guidance=2, email=1)
    client = login(volunteer)
    page = client.get(reverse("households:visit-edit", args=[visit.pk])).content.decode()
    assert re.search(r'name="install_guidance" value="2"', page)
    assert re.search(r'name="email" value="1"', page)


def _teammate_box(page: str, user) -> str:
    match = re.search(rf'<input type="checkbox" name="teammates" value="{user.pk}"[^>]*>', page)
    assert match, "no box for the teammate"
    return match.group(0)


def test_a_form_shown_again_after_an_error_keeps_its_ticked_teammates(world, login):
    volunteer, teammate = world.users["volunteer"], world.users["volunteer2"]
    household = household_in(world.groups[0], members=1)
    visit = visit_for(household, volunteer, install_guidance=1)
    client = login(volunteer)
    response = client.post(
        reverse("households:visit-edit", args=[visit.pk]),
        {"result": "helped", "install_guidance": "3", "teammates": [teammate.pk]},
    )
    assert response.status_code == 200  # more people than members: asks to confirm
    assert "checked" in _teammate_box(response.content.decode(), teammate)


def test_editing_a_visit_keeps_a_teammate_who_left_the_team_since(world, login):
    from volunteers.models import Membership

    volunteer, teammate = world.users["volunteer"], world.users["volunteer2"]
    household = household_in(world.groups[0])
    visit = visit_for(household, volunteer, teammates=[teammate.pk])
    Membership.objects.filter(user=teammate).update(team=None)
    client = login(volunteer)
    url = reverse("households:visit-edit", args=[visit.pk])
    assert "checked" in _teammate_box(client.get(url).content.decode(), teammate)
    response = client.post(
        url, {"result": "helped", "notes": "Sửa ghi chú", "teammates": [teammate.pk]}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert list(visit.teammates.values_list("pk", flat=True)) == [teammate.pk]
    assert visit.notes == "Sửa ghi chú"


def test_list_query_count_does_not_grow_with_2000_households(
    world, login, django_assert_max_num_queries
):
    group = world.groups[0]
    rows = [
        Household(area=group, house_number=str(n), street="Định Công", address_key=str(n))
        for n in range(2000)
    ]
    Household.objects.bulk_create(rows)
    client = login(world.users["volunteer"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("households:list"))
    assert response.context["page"].paginator.count == 2000
    with django_assert_max_num_queries(10):
        response = client.get(reverse("households:mine"))
    assert len(response.json()["households"]) == 2000


def test_home_shows_the_volunteers_totals(world, login):
    household = household_in(world.groups[0])
    visit_for(household, world.users["volunteer"])
    response = login(world.users["volunteer"]).get(reverse("home"))
    assert "Kết quả của tôi" in response.content.decode()


def test_pwa_files_are_served_at_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert b"self.TUNGNHA" in worker.content
    config = json.loads(worker.content.decode().split("self.TUNGNHA = ", 1)[1].split(";\n", 1)[0])
    # Both offline shells' scripts are kept on install: a first session without signal works.
    assert any(url.endswith("js/trainings_offline.js") for url in config["precache"])
    assert "/households/offline/" in config["precache"]
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/households/"


def test_raw_visit_helper_outside_scope_is_not_listed_for_volunteer(world):
    foreign = household_in(world.other_groups[0])
    raw_visit(foreign, world.users["volunteer"])
    assert not household_list_for(user=world.users["volunteer"]).filter(pk=foreign.pk).exists()


def test_household_edit_records_who_changed_what(world, login):
    household = household_in(world.groups[0], members=2)
    client = login(world.users["volunteer"])
    form = {"house_number": household.house_number, "street": household.street, "members": 5}
    response = client.post(reverse("households:edit", args=[household.pk]), form)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.members == 5
    change = household.changes.get()
    assert change.changed_by == world.users["volunteer"]
    assert change.changes["members"] == [2, 5]


def test_no_result_is_preselected_and_the_page_says_what_was_saved(world, login):
    household = household_in(world.groups[0])
    client = login(world.users["volunteer"])
    page = client.get(household.get_absolute_url()).content.decode()
    assert 'name="result" value="helped" checked' not in page  # "save" alone logs nothing
    assert "Đã lưu lượt thăm." not in page
    page = client.get(household.get_absolute_url() + "?saved=visit").content.decode()
    assert "Đã lưu lượt thăm." in page
    page = client.get(household.get_absolute_url() + "?saved=other").content.decode()
    assert "Đã lưu lượt thăm." not in page
    assert "Đã thêm hộ." not in page
