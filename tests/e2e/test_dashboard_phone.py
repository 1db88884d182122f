"""On a phone: the city's ranking one indicator at a time with top and bottom, "show all" and
search; a ward coordinator sees which groups have the most households not yet reached and
submits the ward's figures, which the district then approves."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from campaigns.selectors import child_areas
from tests.campaigns.factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record, target
from tests.households.factories import household_in

VISIBLE = "ol[data-ranking-list][data-indicator] li:visible"  # the ranking's rows on screen
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_city_ranking_on_a_phone(page: Page, world, sign_in, live_server):
    campaign = campaign_for(world.city, name="Cao điểm thử nghiệm")
    communes = child_areas(area=world.city)
    for index, commune in enumerate(communes[:12]):
        target(campaign, commune, "install_guidance", 100)
        record(commune, CURRENT_DAY, install_guidance=10 * (index + 1))
    record(world.ward, CURRENT_DAY, households_visited=64_992)
    sign_in(page, "thanhdoan@tungnha.vn")
    page.goto(live_server.url + reverse("campaigns:area", args=[campaign.pk, world.city.pk]))
    ranking = page.locator("ol[data-ranking-list][data-indicator] li")
    expect(page.locator('ol[data-table="coverage"] li:visible')).to_have_count(5)
    expect(page.locator(VISIBLE)).to_have_count(10)
    assert ranking.count() == len(communes)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height  # it was about 24,000 px with one 13-row card per unit
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("[data-ranking]:has([data-indicator]) [data-ranking-toggle]").click()
    expect(page.locator(VISIBLE)).to_have_count(len(communes))
    page.locator("[data-ranking]:has([data-indicator]) [data-ranking-toggle]").click()
    expect(page.locator(VISIBLE)).to_have_count(10)

    page.locator("section[data-ranking] [data-ranking-search]").fill("dinh cong")
    expect(page.locator(VISIBLE)).to_have_count(1)
    expect(page.locator(VISIBLE)).to_contain_text(world.ward.name)
    page.locator("section[data-ranking] [data-ranking-search]").fill("")

    with page.expect_navigation():
        page.locator("[data-ranking-indicator]").select_option("households_visited")
    first = ranking.first
    expect(first).to_contain_text(world.ward.name)
    expect(first).to_contain_text("64.992")  # one number format: thousands grouped


def test_ward_sees_groups_not_reached_and_submits_district_approves(
    page: Page, world, sign_in, live_server
):
    campaign = campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")
    for _ in range(4):
        household_in(world.legacy_groups[1])
    household_in(world.legacy_groups[0])
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], install_guidance=3)
    sign_in(page, "phuong@tungnha.vn")
    page.goto(live_server.url + reverse("campaigns:area", args=[campaign.pk, world.legacy_ward.pk]))
    first_group = page.locator('ol[data-table="coverage"] li').first
    expect(first_group).to_contain_text(world.legacy_groups[1].name)
    expect(first_group).to_have_attribute("data-not-reached", "4")
    page.locator('[data-action="signoff-submit"]').click()
    expect(page.locator("[data-signoff-state]")).to_have_attribute(
        "data-signoff-state", "submitted"
    )

    page.context.clear_cookies()
    sign_in(page, "quandoan@tungnha.vn")
    page.goto(
        live_server.url + reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk])
    )
    waiting = page.locator(f'[data-waiting="{world.legacy_ward.name}"]')
    waiting.locator('[data-action="signoff-approve"]').click()
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator(f'[data-waiting="{world.legacy_ward.name}"] .badge')).to_have_text(
        "đã duyệt"
    )
