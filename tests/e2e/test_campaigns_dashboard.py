"""The city union opens a campaign, drills into a ward, and downloads the official report."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.campaigns.factories import CURRENT_DAY, campaign_for, record, target
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_city_union_drills_into_a_ward_and_downloads_the_report(
    page: Page, world, sign_in, live_server, size
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    campaign = campaign_for(world.city, name="Cao điểm thử nghiệm")
    target(campaign, world.ward, "households_visited", 10)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=4)

    sign_in(page, "thanhdoan@tungnha.vn")
    page.goto(f"{live_server.url}{reverse('campaigns:list')}")
    page.get_by_role("link", name="Cao điểm thử nghiệm").click()
    expect(page.locator('.stat[data-indicator="households_visited"] b')).to_have_text("4")

    page.locator("ol[data-ranking-list][data-indicator]").get_by_role(
        "link", name=world.ward.name
    ).click()
    expect(page.locator("h2[data-area]")).to_have_text(world.ward.name)
    expect(page.locator('table[data-table="volunteers"]')).to_contain_text(
        world.users["volunteer"].full_name
    )
    expect(page.locator('.stat[data-indicator="households_visited"]')).to_contain_text("40")
    if size == "phone":
        # The page scrolls vertically only; wide tables scroll inside their own frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator('button[data-action="report"]').click()
    link = page.locator('a[data-action="download"]')
    expect(link).to_be_visible(timeout=15000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_moved_campaign_shows_its_recount_then_its_figures(
    page: Page, world, sign_in, live_server, monkeypatch
):
    """Saved with a new period, the campaign's page shows the recount's progress instead of
    figures; the card polls, and once the worker is done the page shows the new figures."""
    from campaigns.models import Campaign
    from campaigns.recount import campaign_store
    from core.jobs.runner import job_run

    campaign = campaign_for(world.city, name="Cao điểm dời lịch")
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=4)
    campaign.start = CURRENT_DAY.replace(day=5)  # the visit-day stays inside
    monkeypatch.setattr("campaigns.recount.job_dispatch", lambda job: None)  # no worker yet
    recount = campaign_store(campaign=campaign, user=world.users["city"])
    assert Campaign.objects.get(pk=campaign.pk).latest_recount == recount

    sign_in(page, "thanhdoan@tungnha.vn")
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    expect(page.locator("[data-recounting]")).to_be_visible()
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "queued")
    expect(page.locator(".stat[data-indicator]")).to_have_count(0)
    assert_accessible(page, "the campaign page while its figures are recounted")

    job_run(kind="campaigns.campaignrecount", job_id=recount.pk)  # the worker
    expect(page.locator('.stat[data-indicator="households_visited"] b')).to_have_text(
        "4", timeout=10000
    )
    expect(page.locator("[data-recounting]")).to_have_count(0)
