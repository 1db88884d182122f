"""Area search finds a unit by its official code as well as by its name, inside the user's scope
and the legacy (pre-2025) units that scope took over whole."""

import pytest
from django.urls import reverse

from areas.models import AreaSuccession
from tests.factories import UserFactory
from volunteers.models import Membership, Role

pytestmark = pytest.mark.django_db


def _search(client, text: str) -> str:
    response = client.get(reverse("areas:search"), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def _coordinator_of(area):
    user = UserFactory(full_name="Điều phối phường mới")
    Membership.objects.create(user=user, role=Role.WARD_COORDINATOR, area=area)
    return user


def test_a_ward_is_found_by_its_official_code_and_by_its_name(login, world):
    client = login(world.users["ward"])
    page = _search(client, " 00316 ")
    assert f'href="{world.ward.get_absolute_url()}"' in page
    assert "00316" in page
    assert f'href="{world.legacy_ward.get_absolute_url()}"' not in page  # code 00307
    assert f'href="{world.legacy_ward.get_absolute_url()}"' in _search(client, "00307")
    assert f'href="{world.ward.get_absolute_url()}"' in _search(client, "dinh cong")


def _taken_over_whole(world) -> None:
    AreaSuccession.objects.filter(predecessor=world.legacy_ward).delete()
    AreaSuccession.objects.create(predecessor=world.legacy_ward, successor=world.ward)


def test_a_legacy_ward_taken_over_whole_is_found_by_code_and_opened_read_only(login, world):
    _taken_over_whole(world)
    client = login(_coordinator_of(world.ward))
    page = _search(client, "00307")
    assert f'href="{world.legacy_ward.get_absolute_url()}"' in page
    detail = client.get(world.legacy_ward.get_absolute_url())
    assert detail.status_code == 200
    assert reverse("areas:group-create", args=[world.legacy_ward.pk]) not in detail.content.decode()
    response = client.post(
        reverse("areas:group-create", args=[world.legacy_ward.pk]),
        {"name": "Tổ cũ", "kind": "to_dan_pho"},
    )
    assert response.status_code == 404


def test_a_legacy_unit_split_across_communes_is_not_reached(login, world):
    AreaSuccession.objects.filter(predecessor=world.legacy_ward).delete()
    AreaSuccession.objects.create(
        predecessor=world.legacy_ward, successor=world.ward, is_partial=True
    )
    client = login(_coordinator_of(world.ward))
    assert f'href="{world.legacy_ward.get_absolute_url()}"' not in _search(client, "00307")
    assert client.get(world.legacy_ward.get_absolute_url()).status_code == 404


def test_a_code_outside_the_scope_finds_nothing(login, world):
    _taken_over_whole(world)
    client = login(world.users["other_ward"])
    page = _search(client, "00307")
    assert f'href="{world.legacy_ward.get_absolute_url()}"' not in page
    assert "Không tìm thấy địa bàn nào" in page
    assert client.get(world.legacy_ward.get_absolute_url()).status_code == 404
    assert f'href="{world.ward.get_absolute_url()}"' not in _search(client, "00316")
