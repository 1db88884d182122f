"""Issue 18 and issue 14 on a 360×740 phone: at 200 % text the sticky parts stay small and
never cover the visit form's Save button; the sync status is a small line that is pinned only
while something waits; offline is said the moment the connection drops; the ☰ menu closes on
Escape, a tap outside and focus leaving."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_households_offline import log_visit, wait_for_worker
from tests.households.factories import household_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 360, 740
VOLUNTEER = "0900000006"

# What sticks to the top (or bottom) of the screen, each part's box.
STUCK = """() => Array.from(document.querySelectorAll("body *")).filter(el => {
  const style = getComputedStyle(el);
  return (style.position === "sticky" || style.position === "fixed") && el.offsetParent !== null
    && style.visibility !== "hidden" && el.getBoundingClientRect().height > 0;
}).map(el => { const r = el.getBoundingClientRect();
  return {name: el.className || el.tagName, top: r.top, bottom: r.bottom, height: r.height}; })"""


def text_size(page: Page, percent: int) -> None:
    """The phone's text size (Chromium's default font size), as a person sets it: rem and the
    media queries' em follow it, page zoom does not change."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send(
        "Page.setFontSizes",
        {"fontSizes": {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}},
    )


def test_save_is_not_covered_at_text_200_percent(page: Page, world, sign_in, live_server):
    household = household_in(world.groups[0], street="Ngõ 15 Định Công Thượng")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    wait_for_worker(page)
    text_size(page, 200)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 32

    # The worst case: a visit waits (saved offline), so the sync status is pinned.
    page.context.set_offline(True)
    log_visit(page)
    bar = page.locator("[data-outbox-bar]")
    expect(bar).to_have_attribute("data-pinned", "")

    save = page.get_by_role("button", name="Lưu lượt thăm")
    for where in ("end", "start"):  # scrolled up to it, and down to it
        page.evaluate(
            f"window.scrollTo(0, {'document.body.scrollHeight' if where == 'end' else 0})"
        )
        page.evaluate("document.activeElement && document.activeElement.blur()")
        save.focus()  # as Tab would: the browser scrolls it into view
        stuck = page.evaluate(STUCK)
        assert sum(part["height"] for part in stuck) <= 0.15 * HEIGHT, stuck
        box = save.bounding_box()
        assert box is not None
        for part in stuck:
            assert box["y"] >= part["bottom"] or box["y"] + box["height"] <= part["top"], (
                part,
                box,
            )
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('button')?.textContent.trim()",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == "Lưu lượt thăm"
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e =>"
        " e.getBoundingClientRect().right > 361).map(e => e.outerHTML.slice(0, 120))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, wide
    # Stays offline: the waiting visit must not reach a database being torn down.


def test_sync_status_is_quiet_until_something_waits_and_offline_is_said_at_once(
    page: Page, world, sign_in, live_server
):
    household = household_in(world.groups[0], street="Ngõ 7 Kim Giang")
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    wait_for_worker(page)
    bar = page.locator("[data-outbox-bar]")
    # A fresh phone with nothing waiting: no "never synced", nothing pinned.
    expect(page.locator("body")).not_to_contain_text("chưa đồng bộ")
    assert bar.get_attribute("data-pinned") is None
    flag = page.locator("[data-net-flag]")
    expect(flag).to_have_text("")

    page.context.set_offline(True)  # no save yet: the flag says it at once
    expect(flag).to_have_text("Mất mạng")
    log_visit(page)
    expect(bar).to_have_attribute("data-pinned", "")
    expect(bar).to_contain_text("Chờ gửi: 1")
    when = page.locator("[data-outbox-when]")
    expect(when).to_have_text("chưa đồng bộ lần nào")
    expect(bar.get_by_role("link", name="Xem")).to_be_visible()

    page.context.set_offline(False)
    expect(flag).to_have_text("")
    page.wait_for_function(
        "document.querySelector('[data-outbox-bar]').dataset.waiting === '0'", timeout=15000
    )
    assert bar.get_attribute("data-pinned") is None
    expect(when).to_contain_text("Đồng bộ lần cuối")
    expect(page.locator("body")).not_to_contain_text("chưa đồng bộ")
    expect(bar).to_be_hidden()  # nothing waits: nothing pinned, no counts


def test_menu_closes_on_escape_outside_tap_and_focus_leaving(
    page: Page, world, sign_in, live_server
):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}/households/")
    menu, summary = page.locator("details.menu"), page.locator("details.menu summary")

    summary.click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    summary.click()
    page.mouse.click(20, HEIGHT - 20)  # a tap outside
    expect(menu).not_to_have_attribute("open", "")

    summary.click()
    page.locator("#q").focus()  # focus moves on, to the search box
    expect(menu).not_to_have_attribute("open", "")
