"""The coordinator's lists on a 360 px phone: no sideways scrolling, the current tab in view, and
releasing an assignment only after saying yes."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.campaigns.factories import CURRENT_DAY, campaign_for, record, target
from tests.workspace.factories import assignment_of, household_in, visit_to
from volunteers.models import Assignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 360, 740

# The widest thing on the page, the page itself included: tables must not scroll in their frame.
WIDEST = """() => Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll('.table-wrap, table')].map(e => e.scrollWidth))"""


@pytest.fixture
def phone_page(page: Page) -> Page:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


def _some_visits(world) -> None:
    streets = ["Ngõ 90, Phố Kim Giang", "Ngõ 118, Định Công Hạ", "Định Công Thượng"]
    for number, street in enumerate(streets, start=21):
        household = household_in(world.groups[0], number=str(number), street=street)
        visit_to(household, world.users["volunteer"])


@pytest.mark.parametrize("url_name", ["coverage", "household-list", "visit-list", "assignments"])
def test_workspace_tables_fit_a_360px_phone(
    phone_page: Page, world, sign_in, live_server, url_name
):
    _some_visits(world)
    assignment_of(world.groups[1], world.ward, team=world.teams[0])
    sign_in(phone_page, "phuong@tungnha.vn")
    phone_page.goto(f"{live_server.url}{reverse(f'workspace:{url_name}', args=[world.ward.pk])}")
    expect(phone_page.locator("tbody tr").first).to_be_visible()
    assert phone_page.evaluate(WIDEST) <= WIDTH
    current = phone_page.locator('.subnav [aria-current="page"]')
    expect(current).to_be_in_viewport()
    assert current.evaluate("a => getComputedStyle(a).color") == "rgb(255, 255, 255)"


def test_filters_open_on_demand(phone_page: Page, world, sign_in, live_server):
    _some_visits(world)
    sign_in(phone_page, "phuong@tungnha.vn")
    phone_page.goto(f"{live_server.url}{reverse('workspace:visit-list', args=[world.ward.pk])}")
    volunteer = phone_page.locator("select[name=volunteer]")
    expect(volunteer).to_be_hidden()
    phone_page.get_by_text("Lọc danh sách").click()
    expect(volunteer).to_be_visible()


def test_releasing_an_assignment_asks_first(phone_page: Page, world, sign_in, live_server):
    assignment = assignment_of(world.groups[1], world.ward, team=world.teams[0])
    sign_in(phone_page, "phuong@tungnha.vn")
    phone_page.goto(f"{live_server.url}{reverse('workspace:assignments', args=[world.ward.pk])}")
    button = phone_page.get_by_role("button", name="Thu hồi")
    box = button.bounding_box()
    assert box["height"] >= 40
    assert button.evaluate("b => getComputedStyle(b).whiteSpace") == "nowrap"

    questions: list[str] = []

    def say_no(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    phone_page.once("dialog", say_no)
    button.click()
    expect(phone_page.locator("#assignment-table")).to_contain_text(world.groups[1].name)
    assert world.teams[0].name in questions[0]
    assert Assignment.objects.get(pk=assignment.pk).released_at is None

    phone_page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(phone_page.locator("#assignment-table")).not_to_contain_text(world.groups[1].name)
    assert Assignment.objects.get(pk=assignment.pk).released_at is not None


def test_campaign_ranking_fits_a_360px_phone(phone_page: Page, world, sign_in, live_server):
    campaign = campaign_for(world.city, name="Cao điểm thử nghiệm")
    target(campaign, world.groups[0], "households_visited", 10)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=4)
    sign_in(phone_page, "thanhdoan@tungnha.vn")
    phone_page.goto(
        f"{live_server.url}{reverse('campaigns:area', args=[campaign.pk, world.ward.pk])}"
    )
    # The table of every indicator is folded under the one-indicator ranking: open it (the
    # page fetches it then).
    phone_page.locator("[data-all-indicators] > summary").click()
    ranking = phone_page.locator('table[data-table="children"]')
    expect(ranking).to_contain_text(world.groups[0].name)
    assert phone_page.evaluate(WIDEST) <= WIDTH
    score = ranking.locator('td[data-label="% chỉ tiêu"]').first
    expect(score).to_be_visible()
    label = score.evaluate("td => getComputedStyle(td, '::before').content")
    assert "chỉ tiêu" in label
    figure = ranking.locator("td[data-indicator=households_visited]").first
    label = figure.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Lượt hộ gia đình" in label


def test_campaign_table_box_keeps_its_link_when_signed_out_meanwhile(
    phone_page: Page, world, sign_in, live_server
):
    campaign = campaign_for(world.city, name="Cao điểm thử nghiệm")
    sign_in(phone_page, "thanhdoan@tungnha.vn")
    phone_page.goto(
        f"{live_server.url}{reverse('campaigns:area', args=[campaign.pk, world.ward.pk])}"
    )
    phone_page.context.clear_cookies()  # signed out in another tab, or the session ended
    table_url = reverse("campaigns:area-table", args=[campaign.pk, world.ward.pk])
    box = phone_page.locator("[data-all-indicators]")
    with phone_page.expect_response(lambda response: table_url in response.url):
        box.locator("> summary").click()
    expect(box).not_to_have_attribute("aria-busy", "true")
    # Not the sign-in page put into the box: its link, which leads there.
    expect(box.locator("[data-table-slot] a")).to_have_attribute("href", table_url)
    expect(box.locator("input[type=password]")).to_have_count(0)
    expect(box.locator("table")).to_have_count(0)
