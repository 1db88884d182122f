import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from areas.models import Area, Level
from areas.services import residential_group_create
from core.text import search_key

pytestmark = pytest.mark.django_db


def test_search_key_folds_vietnamese_accents():
    assert search_key("Phường  Định Công") == "phuong dinh cong"
    assert search_key("Thị trấn Đông Anh") == "thi tran dong anh"


def test_accent_free_search_finds_the_ward(world):
    found = Area.objects.matching("phuong dinh cong").filter(level=Level.WARD)
    assert {area.era for area in found} == {"legacy", "current"}


def test_search_page_only_returns_areas_in_the_users_scope(login, users):
    response = login(users["ward"]).get(reverse("areas:search"), {"q": "hoang liet"})
    assert response.status_code == 200
    assert "Phường Hoàng Liệt" not in response.content.decode()
    response = login(users["city"]).get(reverse("areas:search"), {"q": "hoang liet"})
    assert "Phường Hoàng Liệt" in response.content.decode()


def test_coordinator_adds_a_residential_group_to_their_ward(login, users, world):
    url = reverse("areas:group-create", args=[world.ward.pk])
    response = login(users["ward"]).post(url, {"name": "Tổ dân phố 21", "kind": "to_dan_pho"})
    assert response.status_code == 302
    group = Area.objects.get(path__startswith=world.ward.path, name="Tổ dân phố 21")
    assert group.depth == world.ward.depth + 1
    assert group.era == world.ward.era


def test_duplicate_group_name_is_refused_in_vietnamese(world):
    with pytest.raises(ValidationError, match="đã có"):
        residential_group_create(ward=world.ward, name="tổ dân phố 1")


def test_coordinator_cannot_add_a_group_to_another_ward(login, users, world):
    url = reverse("areas:group-create", args=[world.other_ward.pk])
    response = login(users["ward"]).post(url, {"name": "Tổ lạ", "kind": "to_dan_pho"})
    assert response.status_code == 404
    assert not Area.objects.filter(name="Tổ lạ").exists()


def test_a_coordinator_who_volunteers_in_another_ward_does_not_manage_its_tree(login, users, world):
    """Scope for these pages comes from coordinating roles only."""
    from volunteers.models import Membership, Role

    coordinator = users["ward"]
    Membership.objects.create(user=coordinator, role=Role.VOLUNTEER, area=world.other_ward)
    client = login(coordinator)
    url = reverse("areas:group-create", args=[world.other_ward.pk])
    assert client.post(url, {"name": "Tổ lạ", "kind": "to_dan_pho"}).status_code == 404
    assert not Area.objects.filter(name="Tổ lạ").exists()
    assert client.get(reverse("areas:detail", args=[world.other_ward.pk])).status_code == 404
