"""The field, polished (issue 14) in Chromium at 360×740: the visit form on one screen, several
steps in one visit, the next household one tap away, a visit withdrawn, and offline search and
links that never dead-end."""

import pytest
from playwright.sync_api import Page, expect

from households.models import Household, Visit, VisitStatus
from tests.e2e.test_households_offline import cached, eventually, wait_for_worker
from tests.households.factories import household_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
VOLUNTEER = "0900000006"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, browser_context_args):
    """A cheap phone's screen: 360×740."""
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    yield context.new_page()
    context.close()


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def inside_screen(found: dict) -> bool:
    return found["y"] >= 0 and found["y"] + found["height"] <= PHONE["height"]


def test_the_visit_form_fits_the_first_screen_and_the_list_shows_two_cards(
    phone: Page, world, sign_in, live_server
):
    households = [
        household_in(world.groups[0], house_number=str(n), street="Phố Định Công Thượng")
        for n in (1, 2, 3)
    ]
    sign_in(phone, VOLUNTEER)
    # A household with the whole chain ahead: every step is offered.
    phone.goto(f"{live_server.url}{households[0].get_absolute_url()}")
    expect(phone.locator("form[data-outbox=visit] .step")).to_have_count(5)
    save = box(phone, "form[data-outbox=visit] button.save")
    assert inside_screen(save), save
    for label in ("Đã hỗ trợ", "Không có nhà", "Từ chối", "Hẹn quay lại"):
        result = phone.locator("form[data-outbox=visit] .tap", has_text=label).bounding_box()
        assert inside_screen(result), (label, result)
        assert result["y"] + result["height"] <= save["y"], "save covers an outcome button"
    assert phone.evaluate("window.scrollY") == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.goto(f"{live_server.url}/households/")
    cards = phone.locator("[data-household-list] .hh")
    expect(cards).to_have_count(3)
    whole = [inside_screen(cards.nth(n).bounding_box()) for n in range(3)]
    assert whole[:2] == [True, True], "fewer than two whole cards before scrolling"


def test_install_and_level1_in_one_visit_move_the_chain_twice_then_next_is_one_tap(
    page: Page, world, sign_in, live_server
):
    here = household_in(world.groups[0], house_number="1", street="Phố Trần Điện")
    following = household_in(world.groups[0], house_number="2", street="Phố Trần Điện")
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}{here.get_absolute_url()}")
    form = page.locator("form[data-outbox=visit]")
    form.get_by_text("Đã hỗ trợ", exact=True).click()
    form.get_by_text("Đã cài VNeID", exact=True).click()
    form.get_by_text("Đã kích hoạt mức 1", exact=True).click()
    form.get_by_role("button", name="Lưu lượt thăm").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu lượt thăm")
    expect(page.locator("[data-status]")).to_have_text("Đã kích hoạt định danh mức 1")
    here.refresh_from_db()
    assert here.digital_status == "level1"
    moves = list(here.status_changes.order_by("pk").values_list("from_status", "to_status"))
    assert moves == [("none", "app_installed"), ("app_installed", "level1")]
    visit = Visit.objects.get()
    assert (visit.install_guidance, visit.level1_activations) == (1, 1)
    # The steps done are no longer offered; the next household is one tap away.
    expect(page.locator("form[data-outbox=visit] .step", has_text="Đã cài VNeID")).to_have_count(0)
    page.locator("[data-next-household]").click()
    page.wait_for_url(f"**{following.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("2, Phố Trần Điện")


def test_a_withdrawn_visit_leaves_the_totals_as_before_it_was_logged(
    page: Page, world, sign_in, live_server
):
    household = household_in(world.groups[0], street="Phố Rút Lại")
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}/households/visits/")
    before = page.locator("[data-totals]").inner_text()
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    form = page.locator("form[data-outbox=visit]")
    form.get_by_text("Đã hỗ trợ", exact=True).click()
    form.get_by_text("Đã cài VNeID", exact=True).click()
    form.get_by_role("button", name="Lưu lượt thăm").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu lượt thăm")
    page.goto(f"{live_server.url}/households/visits/")
    assert page.locator("[data-totals]").inner_text() != before
    page.get_by_role("link", name="Sửa hoặc rút lại").click()
    page.get_by_role("button", name="Rút lại lượt thăm này").click()
    expect(page.locator(".messages")).to_contain_text("Đã rút lại lượt thăm")
    assert page.locator("[data-totals]").inner_text() == before
    expect(page.locator("[data-my-visits]")).to_contain_text("Đã rút lại")
    assert Visit.objects.get().status == VisitStatus.WITHDRAWN
    household.refresh_from_db()
    assert (household.digital_status, household.last_visit_at) == ("none", None)


def go_offline_with_the_list(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/households/")
    wait_for_worker(page)
    page.reload()
    eventually(
        page,
        "fetch('/households/mine.json', {credentials: 'same-origin'})"
        f".then(() => {cached('/households/mine.json')})",
        timeout=30,
    )
    page.context.set_offline(True)


def test_offline_search_finds_tran_dien_and_says_when_nothing_matches(
    page: Page, world, sign_in, live_server
):
    household_in(world.groups[0], house_number="8", street="Phố Trần Điện")
    household_in(world.groups[0], house_number="9", street="Phố Định Công")
    sign_in(page, VOLUNTEER)
    go_offline_with_the_list(page, live_server)

    # The list page's own search box, submitted without a signal: the shell answers it.
    page.fill("input[name=q]", "tran dien")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    expect(page.locator("[data-shell-list] .hh")).to_have_count(1)
    expect(page.locator("[data-shell-list]")).to_contain_text("8, Phố Trần Điện")
    expect(page.locator("[data-shell-search]")).to_have_value("tran dien")  # never emptied

    page.fill("[data-shell-search]", "tran dien 99")
    expect(page.locator("[data-no-match]")).to_contain_text("tran dien 99")
    expect(page.locator("[data-shell-search]")).to_have_value("tran dien 99")
    page.fill("[data-shell-search]", "")
    expect(page.locator("[data-shell-list] .hh")).to_have_count(2)
    page.locator("[data-shell-filter=unvisited]").click()
    expect(page.locator("[data-shell-list] .hh")).to_have_count(2)


def test_offline_home_logo_and_menu_never_dead_end(page: Page, world, sign_in, live_server):
    household_in(world.groups[0], house_number="8", street="Phố Trần Điện")
    sign_in(page, VOLUNTEER)
    go_offline_with_the_list(page, live_server)

    page.locator(".topbar .brand").click()  # the logo
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url
    expect(page.locator(".topbar .brand")).to_be_visible()
    expect(page.locator("main")).to_contain_text("8, Phố Trần Điện")

    page.locator(".menu summary").click()
    page.locator(".menu a", has_text="Trang chủ").click()
    page.wait_for_load_state()
    expect(page.locator(".topbar .brand")).to_be_visible()

    # Every entry of the menu opens something that works offline.
    hrefs = page.eval_on_selector_all(".menu nav a", "links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        page.goto(href)
        expect(page.locator(".topbar .brand")).to_be_visible()
        expect(page.locator("main h1:visible").first).not_to_be_empty()


def test_offline_the_second_visit_offers_the_next_steps_and_the_next_household(
    page: Page, world, sign_in, live_server
):
    here = household_in(world.groups[0], house_number="1", street="Phố Trần Điện")
    following = household_in(world.groups[0], house_number="2", street="Phố Trần Điện")
    sign_in(page, VOLUNTEER)
    go_offline_with_the_list(page, live_server)
    page.goto(f"{live_server.url}{here.get_absolute_url()}")
    form = page.locator("form[data-outbox=visit]:visible")
    form.get_by_text("Đã hỗ trợ", exact=True).click()
    form.get_by_text("Đã cài VNeID", exact=True).click()
    form.get_by_role("button", name="Lưu lượt thăm").click()
    expect(page.locator("[data-form-message]:visible")).to_contain_text("Chưa có mạng")
    # Install waits in the outbox: level 1 is what the form offers now.
    expect(form.locator(".step:visible", has_text="Đã cài VNeID")).to_have_count(0)
    expect(form.locator(".step:visible", has_text="Đã kích hoạt mức 1")).to_have_count(1)
    form.get_by_text("Đã hỗ trợ", exact=True).click()
    form.get_by_text("Đã kích hoạt mức 1", exact=True).click()
    form.get_by_role("button", name="Lưu lượt thăm").click()
    expect(page.locator("[data-outbox-bar]").first).to_contain_text("Chờ gửi: 2")
    link = page.locator("[data-next-household]:visible")
    expect(link).to_contain_text("2, Phố Trần Điện")
    link.click()
    page.wait_for_url(f"**{following.get_absolute_url()}")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "document.querySelector('[data-outbox-bar]').dataset.waiting === '0'", timeout=15000
    )
    assert Household.objects.get(pk=here.pk).digital_status == "level1"
    assert Visit.objects.filter(household=here).count() == 2
