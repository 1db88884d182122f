"""Issue 17: the IOC's API as an integrator uses it — strict parameters, JSON errors, areas by
code and era, subtree and series, cheap polling, rate limits, no sessions."""

import datetime
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from areas.models import Area, AreaSuccession, Era, Level
from campaigns.models import ApiToken
from campaigns.services import api_token_create
from campaigns.tokens import service_account_create

from .factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def city_key(world) -> str:
    return api_token_create(user=world.users["city"], name="IOC")[1]


def totals_url(campaign) -> str:
    return reverse("campaigns:api-totals", args=[campaign.pk])


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["error"]
    if code:
        assert body["code"] == code
    return body


# --- Bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    ["²", "٣٠٧", "-1", "+5", "5.0", " 5", "0", "abc", "9" * 30, "00307", "1e3", "５"],
)
def test_malformed_area_is_a_json_400(client, world, city_key, value):
    campaign = campaign_for(world.city)
    body = assert_error(client.get(totals_url(campaign), {"area": value}, **auth(city_key)), 400)
    assert body["details"][0]["parameter"] == "area"


def test_a_national_code_given_as_an_id_is_refused_not_answered_for_another_unit(
    client, world, city_key
):
    campaign = campaign_for(world.legacy_city)
    response = client.get(totals_url(campaign), {"area": "00307"}, **auth(city_key))
    body = assert_error(response, 400, "bad_parameter")
    assert "area_code" in body["details"][0]["message"]


def test_repeated_or_empty_parameters_are_refused(client, world, city_key):
    campaign = campaign_for(world.city)
    url = totals_url(campaign)
    assert_error(
        client.get(f"{url}?area={world.ward.pk}&area={world.ward.pk}", **auth(city_key)), 400
    )
    assert_error(client.get(f"{url}?area=", **auth(city_key)), 400)
    sub = reverse("campaigns:api-subtree", args=[campaign.pk])
    assert_error(client.get(sub, {"depth": "9"}, **auth(city_key)), 400)
    assert_error(client.get(sub, {"page_size": "501"}, **auth(city_key)), 400)
    assert_error(client.get(sub, {"format": "pdf"}, **auth(city_key)), 400)
    assert_error(client.get(sub, {"changed_since": "yesterday"}, **auth(city_key)), 400)


def test_errors_are_json_for_unknown_paths_methods_and_campaigns(client, world, city_key):
    campaign = campaign_for(world.city)
    assert_error(client.get("/campaigns/api/v1/nothing-here/", **auth(city_key)), 404)
    assert_error(
        client.get(totals_url(campaign).replace(str(campaign.pk), "999999"), **auth(city_key)),
        404,
        "not_found",
    )
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)(totals_url(campaign), **auth(city_key))
        assert_error(response, 405, "method_not_allowed")
    body = assert_error(client.get(totals_url(campaign)), 401, "unauthorized")
    assert body["error"]


def test_an_area_outside_the_keys_scope_or_of_the_other_era_is_a_404(client, world):
    raw = api_token_create(user=world.users["ward"], name="Phường")[1]
    campaign = campaign_for(world.city)
    url = totals_url(campaign)
    assert_error(client.get(url, {"area": world.other_ward.pk}, **auth(raw)), 404)
    assert_error(client.get(url, {"area_code": world.other_ward.code}, **auth(raw)), 404)
    # The legacy Định Công's code exists, but not in this (current) campaign's tree.
    assert_error(client.get(url, {"area": world.legacy_ward.pk}, **auth(raw)), 404)
    assert_error(client.get(url, {"area_code": "00307", "era": "legacy"}, **auth(raw)), 404)
    # Both an id and a code: the unit must answer to both.
    both = {"area": world.ward.pk, "area_code": world.ward.code}
    assert client.get(url, both, **auth(raw)).json()["area"]["id"] == world.ward.pk
    mixed = {"area": world.ward.pk, "area_code": world.other_ward.code}
    assert_error(client.get(url, mixed, **auth(raw)), 404)


# --- Areas ------------------------------------------------------------------------------------
def test_a_ward_is_found_by_its_national_code_in_either_era(client, world, city_key):
    url = reverse("campaigns:api-areas")
    legacy = client.get(url, {"code": "00307", "era": "legacy"}, **auth(city_key)).json()
    assert [a["id"] for a in legacy["areas"]] == [world.legacy_ward.pk]
    row = legacy["areas"][0]
    assert row["era"] == "legacy"
    assert row["level"] == Level.WARD
    assert row["parent_id"] == world.legacy_district.pk
    assert row["valid_to"] == "2025-06-30"
    current = client.get(url, {"code": world.ward.code, "era": "current"}, **auth(city_key))
    assert [a["id"] for a in current.json()["areas"]] == [world.ward.pk]
    by_name = client.get(url, {"q": "dinh cong", "level": "3"}, **auth(city_key)).json()
    assert {world.ward.pk, world.legacy_ward.pk} <= {a["id"] for a in by_name["areas"]}


def test_children_of_a_unit_in_one_call_and_paginated(client, world, city_key):
    url = reverse("campaigns:api-areas")
    params = {"parent_code": "01", "era": "current", "page_size": "50"}
    first = client.get(url, params, **auth(city_key)).json()
    wards = Area.objects.filter(era=Era.CURRENT, depth=2, path__startswith=world.city.path)
    assert first["count"] == wards.count()
    assert len(first["areas"]) == 50
    assert first["next"]
    second = client.get(first["next"], **auth(city_key)).json()
    assert {a["id"] for a in second["areas"]}.isdisjoint({a["id"] for a in first["areas"]})
    # Without an era, a code names the unit of each era: the children of both.
    both = client.get(url, {"parent_code": "01", "page_size": "1"}, **auth(city_key)).json()
    legacy = Area.objects.filter(path__startswith=world.legacy_city.path, depth=2).count()
    assert both["count"] == wards.count() + legacy


def test_the_old_to_new_mapping_with_the_split_flag(client, world, city_key):
    url = reverse("campaigns:api-area-mapping")
    data = client.get(url, {"area": world.legacy_ward.pk}, **auth(city_key)).json()
    expected = AreaSuccession.objects.filter(predecessor=world.legacy_ward)
    assert data["count"] == expected.count() > 0
    assert {(m["successor"]["id"], m["is_partial"]) for m in data["mapping"]} == {
        (link.successor_id, link.is_partial) for link in expected
    }
    detail = client.get(
        reverse("campaigns:api-area", args=[world.legacy_ward.pk]), **auth(city_key)
    ).json()
    assert {s["successor"]["id"] for s in detail["successors"]} == {
        link.successor_id for link in expected
    }


# --- Totals, subtree, series --------------------------------------------------------------------
def test_legacy_campaign_by_ward_code_subtree_and_series(client, world, city_key):
    campaign = campaign_for(world.legacy_city)
    target(campaign, world.legacy_ward, "install_guidance", 20)
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], install_guidance=5)
    record(world.legacy_groups[1], LEGACY_DAY, world.users["volunteer2"], install_guidance=1)
    ward = client.get(totals_url(campaign), {"area_code": "00307"}, **auth(city_key)).json()
    assert ward["area"]["id"] == world.legacy_ward.pk
    assert ward["totals"]["install_guidance"] == {"achieved": 6, "target": 20, "percent": 30.0}
    assert ward["unique_volunteers"] == 2
    assert all("unique_volunteers" in child for child in ward["children"])

    sub = client.get(
        reverse("campaigns:api-subtree", args=[campaign.pk]),
        {"depth": "2", "page_size": "500"},
        **auth(city_key),
    ).json()
    assert sub["rows"][0]["id"] == world.legacy_city.pk
    assert sub["rows"][0]["depth"] == 0
    by_id = {row["id"]: row for row in sub["rows"]}
    assert by_id[world.legacy_district.pk]["totals"]["install_guidance"]["achieved"] == 6
    assert by_id[world.legacy_district.pk]["unique_volunteers"] == 2
    assert by_id[world.legacy_district.pk]["parent_id"] == world.legacy_city.pk
    assert {row["depth"] for row in sub["rows"]} == {0, 1, 2}
    assert (
        sub["count"]
        == Area.objects.filter(path__startswith=world.legacy_city.path, depth__lte=3).count()
    )

    series = client.get(
        reverse("campaigns:api-series", args=[campaign.pk]),
        {"area": world.legacy_ward.pk},
        **auth(city_key),
    ).json()
    days = {day["day"]: day["counts"] for day in series["days"]}
    assert days[LEGACY_DAY.isoformat()]["install_guidance"] == 6
    assert len(series["days"]) == len(campaign.days())
    indicators = client.get(
        reverse("campaigns:api-indicators", args=[campaign.pk]), **auth(city_key)
    ).json()
    assert [i["key"] for i in indicators["indicators"]] == campaign.tracked


def test_subtree_and_series_as_csv_and_xlsx(client, world, city_key):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=3)
    url = reverse("campaigns:api-subtree", args=[campaign.pk])
    csv = client.get(url, {"format": "csv", "area": world.ward.pk}, **auth(city_key))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig").splitlines()
    assert text[0].startswith("id,code,name,era,level,parent_id,depth,unique_volunteers")
    assert any(line.startswith(f"{world.ward.pk},") and ",3," in line for line in text[1:])
    xlsx = client.get(url, {"format": "xlsx", "area": world.ward.pk}, **auth(city_key))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "id"
    assert rows[1][0] == world.ward.pk
    series = client.get(
        reverse("campaigns:api-series", args=[campaign.pk]),
        {"format": "csv", "area": world.ward.pk},
        **auth(city_key),
    )
    assert f"{CURRENT_DAY.isoformat()},3" in series.content.decode("utf-8-sig")


def test_a_user_with_two_roots_is_asked_to_choose(client, world):
    from tests.factories import member
    from volunteers.models import Membership, Role

    user = member(world.ward, Role.WARD_COORDINATOR, full_name="Hai phường")
    Membership.objects.create(user=user, role=Role.WARD_COORDINATOR, area=world.other_ward)
    raw = api_token_create(user=user, name="Hai")[1]
    campaign = campaign_for(world.city)
    listing = client.get(reverse("campaigns:api-campaigns"), **auth(raw)).json()
    roots = next(c["roots"] for c in listing["campaigns"] if c["id"] == campaign.pk)
    assert {r["id"] for r in roots} == {world.ward.pk, world.other_ward.pk}
    assert_error(client.get(totals_url(campaign), **auth(raw)), 400, "area_required")
    assert (
        client.get(totals_url(campaign), {"area": world.other_ward.pk}, **auth(raw)).status_code
        == 200
    )


# --- Polling ----------------------------------------------------------------------------------
def test_polling_costs_a_304_until_the_totals_move(
    client, world, city_key, django_assert_max_num_queries
):
    campaign = campaign_for(world.city)
    url = totals_url(campaign)
    first = client.get(url, **auth(city_key))
    etag, modified = first["ETag"], first["Last-Modified"]
    with django_assert_max_num_queries(8):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag, **auth(city_key))
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified, **auth(city_key)).status_code == 304
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    moved = client.get(url, HTTP_IF_NONE_MATCH=etag, **auth(city_key))
    assert moved.status_code == 200
    assert moved["ETag"] != etag


def test_changed_since_keeps_only_the_rows_that_moved(client, world, city_key):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    since = timezone.now()
    record(world.other_groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    url = reverse("campaigns:api-subtree", args=[campaign.pk])
    data = client.get(
        url, {"changed_since": since.isoformat(), "page_size": "500"}, **auth(city_key)
    ).json()
    ids = {row["id"] for row in data["rows"]}
    assert world.other_ward.pk in ids
    assert world.ward.pk not in ids


def test_token_requests_make_no_session_and_touch_last_used_once_a_minute(client, world, city_key):
    campaign = campaign_for(world.city)
    before = Session.objects.count()
    for _ in range(5):
        assert client.get(totals_url(campaign), **auth(city_key)).status_code == 200
    assert Session.objects.count() == before
    assert "sessionid" not in client.cookies
    token = ApiToken.objects.get(user=world.users["city"])
    first = token.last_used_at
    assert first is not None
    client.get(totals_url(campaign), **auth(city_key))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get(totals_url(campaign), **auth(city_key))
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)


@override_settings(TUNGNHA_API_RATE=(3, 60))
def test_a_key_past_its_rate_gets_429_with_retry_after(client, world, city_key):
    url = reverse("campaigns:api-campaigns")
    assert [client.get(url, **auth(city_key)).status_code for _ in range(3)] == [200] * 3
    body = assert_error(client.get(url, **auth(city_key)), 429, "rate_limited")
    assert body
    assert 1 <= int(client.get(url, **auth(city_key))["Retry-After"]) <= 60


@override_settings(TUNGNHA_API_BAD_KEY_RATE=(3, 60))
def test_a_burst_of_bad_keys_from_one_address_is_stopped(client, world, city_key):
    url = reverse("campaigns:api-campaigns")
    statuses = [client.get(url, **auth(f"tn_guess{n}")).status_code for n in range(5)]
    assert statuses[:3] == [401] * 3
    assert statuses[3:] == [429, 429]
    # Even a good key from that address waits; another address is not held up.
    assert client.get(url, **auth(city_key)).status_code == 429
    assert client.get(url, REMOTE_ADDR="10.9.9.9", **auth(city_key)).status_code == 200


# --- Service accounts ----------------------------------------------------------------------------
def test_a_service_account_sees_its_one_area_and_subtree(client, world):
    _account, _token, raw = service_account_create(
        user=world.users["city"], name="IOC Hoàng Mai", scope=world.ward
    )
    campaign = campaign_for(world.city)
    data = client.get(totals_url(campaign), **auth(raw)).json()
    assert data["area"]["id"] == world.ward.pk
    assert_error(client.get(totals_url(campaign), {"area": world.city.pk}, **auth(raw)), 404)
    assert_error(client.get(totals_url(campaign), {"area": world.other_ward.pk}, **auth(raw)), 404)


# --- Robustness -------------------------------------------------------------------------------
def test_a_server_error_is_json_too(client, world, city_key, monkeypatch):
    import campaigns.api.campaign_views as views

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "campaign_list_in", broken)
    assert_error(client.get(reverse("campaigns:api-campaigns"), **auth(city_key)), 500)


def test_a_subtree_page_costs_the_same_queries_at_any_size(
    client, world, city_key, django_assert_max_num_queries
):
    campaign = campaign_for(world.legacy_city)
    url = reverse("campaigns:api-subtree", args=[campaign.pk])
    with django_assert_max_num_queries(16):
        big = client.get(url, {"depth": "3", "page_size": "500"}, **auth(city_key))
    assert len(big.json()["rows"]) == 500
    with django_assert_max_num_queries(16):
        client.get(url, {"depth": "1", "page_size": "5"}, **auth(city_key))


def test_a_compressed_answer_still_polls_at_the_cost_of_a_304(client, world, city_key):
    campaign = campaign_for(world.city)
    url = reverse("campaigns:api-subtree", args=[campaign.pk])
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip", **auth(city_key)}
    first = client.get(url, {"depth": "2", "page_size": "500"}, **gzip)
    assert first["Content-Encoding"] == "gzip"
    again = client.get(
        url, {"depth": "2", "page_size": "500"}, HTTP_IF_NONE_MATCH=first["ETag"], **gzip
    )
    assert again.status_code == 304
