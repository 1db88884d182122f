"""The IOC API (token, scope, OpenAPI) and the official report (xlsx, print) equal the dashboard."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import ApiToken, ReportJob
from campaigns.report import report_data
from campaigns.selectors import campaign_dashboard
from campaigns.services import api_token_create, api_token_revoke
from core.jobs.models import JobStatus

from .factories import CURRENT_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_refuses_requests_without_a_valid_token(client, world):
    campaign = campaign_for(world.city)
    url = reverse("campaigns:api-totals", args=[campaign.pk])
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer("tn_wrong")).status_code == 401
    token, raw = api_token_create(user=world.users["city"], name="IOC")
    api_token_revoke(token=token)
    assert client.get(url, **bearer(raw)).status_code == 401


def test_token_is_stored_only_as_a_hash(world):
    token, raw = api_token_create(user=world.users["city"], name="IOC")
    assert raw not in {token.key_hash, token.prefix}
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_city_token_gets_totals_by_area_against_targets(client, world):
    campaign = campaign_for(world.city)
    target(campaign, world.ward, "households_visited", 8)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    _token, raw = api_token_create(user=world.users["city"], name="IOC")
    listing = client.get(reverse("campaigns:api-campaigns"), **bearer(raw)).json()
    assert campaign.pk in [item["id"] for item in listing["campaigns"]]
    data = client.get(reverse("campaigns:api-totals", args=[campaign.pk]), **bearer(raw)).json()
    assert data["area"]["id"] == world.city.pk
    assert data["totals"]["households_visited"]["achieved"] == 2
    assert data["unique_volunteers"] == 1
    ward = next(child for child in data["children"] if child["id"] == world.ward.pk)
    assert ward["totals"]["households_visited"] == {"achieved": 2, "target": 8, "percent": 25.0}


def test_ward_token_sees_only_its_ward(client, world):
    campaign = campaign_for(world.city)
    _token, raw = api_token_create(user=world.users["ward"], name="Phường")
    url = reverse("campaigns:api-totals", args=[campaign.pk])
    assert client.get(url, **bearer(raw)).json()["area"]["id"] == world.ward.pk
    assert client.get(url, {"area": world.other_ward.pk}, **bearer(raw)).status_code == 404
    assert client.get(url, {"area": world.city.pk}, **bearer(raw)).status_code == 404
    other = campaign_for(world.other_ward)
    assert (
        client.get(reverse("campaigns:api-totals", args=[other.pk]), **bearer(raw)).status_code
        == 404
    )


def test_openapi_document_describes_the_endpoints(client):
    # Generated from the code since issue 17: full paths, the same URLs as before.
    document = client.get(reverse("campaigns:openapi-json")).json()
    assert document["openapi"].startswith("3.")
    assert {
        "/campaigns/api/v1/campaigns/",
        "/campaigns/api/v1/campaigns/{campaign_id}/totals/",
    } <= set(document["paths"])
    schemes = document["components"]["securitySchemes"]
    assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]


def test_user_creates_and_revokes_their_own_token(login, world):
    client = login(world.users["city"])
    response = client.post(reverse("campaigns:api-tokens"), {"action": "create", "name": "IOC"})
    assert "data-token" in response.content.decode()
    token = ApiToken.objects.get(user=world.users["city"])
    stranger = ApiToken.objects.create(user=world.users["ward"], name="x", prefix="x", key_hash="h")
    assert (
        client.post(
            reverse("campaigns:api-tokens"), {"action": "revoke", "token": stranger.pk}
        ).status_code
        == 404
    )
    client.post(reverse("campaigns:api-tokens"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_report_numbers_equal_the_dashboard(login, world, django_capture_on_commit_callbacks):
    campaign = campaign_for(world.legacy_city)
    target(campaign, world.legacy_district, "install_guidance", 40)
    from .factories import LEGACY_DAY

    record(
        world.legacy_groups[0],
        LEGACY_DAY,
        world.users["volunteer"],
        install_guidance=10,
        dossiers_eid=3,
    )
    dashboard = campaign_dashboard(
        user=world.users["city"], campaign=campaign, area=world.legacy_city
    )
    data = report_data(campaign=campaign, area=world.legacy_city)
    assert [c.achieved for c in data.total.cells] == [c.achieved for c in dashboard["headline"]]
    by_name = {row.name: row for row in dashboard["rows"]}
    for unit in data.units:
        assert [(c.achieved, c.target) for c in unit.cells] == [
            (c.achieved, c.target) for c in by_name[unit.name].cells
        ]

    client = login(world.users["city"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:report-create", args=[campaign.pk, world.legacy_city.pk])
        )
    job = ReportJob.objects.get()
    assert response.url == reverse("campaigns:report", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.processed == job.total
    download = client.get(reverse("campaigns:report-download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[9]  # units in rows, indicators in columns: target, result, % each
    install = header.index("Lượt hướng dẫn cài đặt VNeID và dịch vụ công")
    district = next(row for row in rows if row[1] == world.legacy_district.name)
    total = next(row for row in rows if str(row[1]).startswith("Tổng cộng"))
    assert district[install : install + 3] == (40, 10, 25.0)
    assert total[install : install + 3] == (40, 10, 25.0)  # the city's target: its districts'
    volunteers = header.index("Tình nguyện viên tham gia (người)")
    assert total[volunteers] == 1
    printed = client.get(reverse("campaigns:print", args=[campaign.pk, world.legacy_city.pk]))
    assert 'data-indicator="install_guidance" data-achieved="10"' in printed.content.decode()


def test_report_of_another_users_scope_is_not_downloadable(login, world):
    campaign = campaign_for(world.city)
    job = ReportJob.objects.create(
        campaign=campaign,
        area=world.other_ward,
        created_by=world.users["city"],
        status=JobStatus.DONE,
        content=b"x",
    )
    assert (
        login(world.users["ward"])
        .get(reverse("campaigns:report-download", args=[job.pk]))
        .status_code
        == 404
    )
