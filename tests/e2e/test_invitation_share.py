"""An invitation's Copy and Share buttons on a 360 px phone: Share hands the link to the phone's
share sheet (where Zalo is) when the browser has one, Copy puts it on the clipboard, and each
says so on the page."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.workspace.factories import invitation_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A share sheet as a phone has one: records what it was given.
SHARE_SHEET = "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"


def _open(page: Page, world, sign_in, live_server) -> str:
    page.set_viewport_size({"width": 360, "height": 740})
    invitation = invitation_for(world.teams[0])
    sign_in(page, "phuong@tungnha.vn")
    page.goto(f"{live_server.url}{reverse('workspace:invitation-detail', args=[invitation.pk])}")
    return f"{live_server.url}{reverse('workspace:join', args=[invitation.token])}"


def test_copy_puts_the_link_on_the_clipboard_and_says_so(page: Page, world, sign_in, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script("delete Navigator.prototype.share;")  # a desktop browser: no share sheet
    link = _open(page, world, sign_in, live_server)
    expect(page.locator("[data-share]")).to_be_hidden()
    copy = page.get_by_role("button", name="Sao chép đường dẫn")
    expect(copy).to_be_in_viewport()
    copy.click()
    expect(page.locator("[data-share-status]")).to_have_text(
        "Đã sao chép đường dẫn. Dán vào nhóm Zalo của tổ."
    )
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_share_opens_the_share_sheet_with_the_link(page: Page, world, sign_in, live_server):
    page.add_init_script(SHARE_SHEET)
    link = _open(page, world, sign_in, live_server)
    share = page.get_by_role("button", name="Chia sẻ (Zalo…)")
    expect(share).to_be_visible()
    share.click()
    expect(page.locator("[data-share-status]")).to_have_text("Đã chia sẻ lời mời.")
    shared = page.evaluate("window.__shared")
    assert shared["url"] == link
    assert world.teams[0].name in shared["title"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
