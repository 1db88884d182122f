"""The sign-off's pages and doors, for every role: what each sees, may do and is refused."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import SignOff, SignOffEvent, SignOffState
from campaigns.signoff import signoff_submit

from .factories import campaign_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_month(world):
    return campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")


def submit_url(campaign, area):
    return reverse("campaigns:signoff-campaign", args=[campaign.pk, area.pk])


def test_ward_submits_from_its_dashboard_and_sees_the_state(login, world, youth_month):
    client = login(world.users["ward"])
    page = client.get(reverse("campaigns:area", args=[youth_month.pk, world.legacy_ward.pk]))
    assert b'data-action="signoff-submit"' in page.content
    response = client.post(submit_url(youth_month, world.legacy_ward), {"action": "submit"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert 'data-signoff-state="submitted"' in page.text
    assert "đã khóa" in page.text
    assert b'data-action="signoff-submit"' not in page.content


@pytest.mark.parametrize("role", ["volunteer", "leader", "nobody"])
def test_field_roles_cannot_reach_the_doors(login, world, youth_month, role, nobody):
    user = nobody if role == "nobody" else world.users[role]
    client = login(user)
    response = client.post(submit_url(youth_month, world.legacy_ward), {"action": "submit"})
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_other_ward_cannot_submit_for_this_one(login, world, youth_month):
    client = login(world.users["other_ward"])
    response = client.post(submit_url(youth_month, world.legacy_ward), {"action": "submit"})
    assert response.status_code == 404
    assert not SignOff.objects.exists()


def test_district_approves_from_its_page_ward_cannot(login, world, youth_month):
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    decide = reverse("campaigns:signoff-decide", args=[signoff.pk])
    ward = login(world.users["ward"])
    response = ward.post(decide, {"action": "approve"}, follow=True)
    assert "cấp trên trực tiếp" in response.text
    assert SignOff.objects.get().state == SignOffState.SUBMITTED
    district = login(world.users["district"])
    page = district.get(reverse("campaigns:area", args=[youth_month.pk, world.legacy_district.pk]))
    assert f'data-waiting="{world.legacy_ward.name}"' in page.text
    assert 'data-signoff="submitted"' in page.text  # the ward's row in the ranking
    response = district.post(decide, {"action": "return", "reason": ""}, follow=True)
    assert "Hãy ghi lý do" in response.text
    assert SignOff.objects.get().state == SignOffState.SUBMITTED
    next_url = reverse("campaigns:area", args=[youth_month.pk, world.legacy_district.pk])
    response = district.post(decide, {"action": "approve", "next": next_url})
    assert response["Location"] == next_url
    assert SignOff.objects.get().state == SignOffState.APPROVED
    page = district.get(next_url)
    assert 'data-signoff="approved"' in page.text
    assert "data-decided" in page.text
    assert world.users["district"].full_name in page.text
    response = district.post(decide, {"action": "approve", "next": "https://evil.example/"})
    assert "evil" not in response["Location"]
    assert SignOffEvent.objects.count() == 2


def test_city_closes_and_reopens_with_a_reason(login, world, youth_month):
    city = login(world.users["city"])
    page = city.get(reverse("campaigns:area", args=[youth_month.pk, world.legacy_city.pk]))
    assert b'data-action="period-close"' in page.content
    city.post(submit_url(youth_month, world.legacy_city), {"action": "close"})
    closing = SignOff.objects.get(state=SignOffState.CLOSED)
    page = city.get(reverse("campaigns:area", args=[youth_month.pk, world.legacy_city.pk]))
    assert 'data-closing="closed"' in page.text
    decide = reverse("campaigns:signoff-decide", args=[closing.pk])
    city.post(decide, {"action": "reopen", "reason": ""})
    assert SignOff.objects.get(pk=closing.pk).state == SignOffState.CLOSED
    city.post(decide, {"action": "reopen", "reason": "Bổ sung"})
    assert SignOff.objects.get(pk=closing.pk).state == SignOffState.REOPENED


def test_district_cannot_close_the_city(login, world, youth_month):
    district = login(world.users["district"])
    response = district.post(submit_url(youth_month, world.legacy_city), {"action": "close"})
    assert response.status_code == 404  # the city's page is outside the district's scope
    assert not SignOff.objects.exists()


def test_a_month_outside_campaigns(login, world):
    client = login(world.users["ward"])
    url = reverse("campaigns:month", args=[world.legacy_ward.pk])
    page = client.get(url, {"thang": "2023-04"})
    assert page.status_code == 200
    assert b'data-action="signoff-submit"' in page.content
    client.post(url, {"action": "submit", "thang": "2023-04"})
    signoff = SignOff.objects.get()
    assert signoff.month == datetime.date(2023, 4, 1)
    # A month of the other era is not this unit's.
    assert client.get(url, {"thang": "2026-01"}).status_code == 404
    page = login(world.users["district"]).get(
        reverse("campaigns:month", args=[world.legacy_district.pk]), {"thang": "2023-04"}
    )
    assert f'data-waiting="{world.legacy_ward.name}"' in page.text


def test_a_closed_period_offers_the_district_no_decision(login, world, youth_month):
    from campaigns.signoff import period_close

    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    period_close(user=world.users["city"], area=world.legacy_city, campaign=youth_month)
    page = login(world.users["district"]).get(
        reverse("campaigns:area", args=[youth_month.pk, world.legacy_district.pk])
    )
    assert f'data-waiting="{world.legacy_ward.name}"' in page.text
    assert b'data-action="signoff-approve"' not in page.content
    assert SignOff.objects.get(pk=signoff.pk).state == SignOffState.SUBMITTED
