"""A phone may be shared or lost (Law 91/2025/QH15): at a phone's size in Chromium, with the
service worker, the pages it keeps carry no household's contact, signing out takes the person's
pages and outbox off the phone, and whoever signs in next never sees the one before's pages or
waiting items (which wait, unsent, for their owner). The list of one's households still opens
offline."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from households.models import Visit
from tests.households.factories import household_in

from .test_households_offline import cached, eventually, log_visit, wait_for_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VOLUNTEER, VOLUNTEER2 = "0900000006", "0900000007"
NAME, PHONE = "Nguyễn Thị Liên Lạc", "0912345678"

# Every text the service worker's caches hold, with each entry's address.
CACHED_TEXT = """async () => {
  const out = [];
  for (const key of await caches.keys()) {
    const cache = await caches.open(key);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push(key + " " + request.url + "\\n" + (await response.text()));
    }
  }
  return out.join("\\n----\\n");
}"""

# Every address the service worker's caches hold, with its cache's name.
CACHED_URLS = """async () => {
  const out = [];
  for (const key of await caches.keys()) {
    for (const request of await (await caches.open(key)).keys()) out.push(key + " " + request.url);
  }
  return out;
}"""

# The outbox's items as IndexedDB holds them, whoever they belong to (no outbox.js needed).
STORED_ITEMS = """() => new Promise((resolve) => {
  const open = indexedDB.open("tungnha");
  open.onupgradeneeded = () => { open.transaction.abort(); resolve([]); };
  open.onerror = () => resolve([]);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("outbox")) { db.close(); resolve([]); return; }
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result); };
  };
})"""


def phone_texts(text: str) -> list[str]:
    """Every way the phone number could be written on a page."""
    return [PHONE, "912 345 678", "+84912345678", "912345678"]


def sign_out(page: Page) -> None:
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")


def keep_the_list(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/households/")
    wait_for_worker(page)
    page.reload()  # controlled by the worker from here on
    eventually(
        page,
        "fetch('/households/mine.json', {credentials: 'same-origin'})"
        f".then(() => {cached('/households/mine.json')})",
        timeout=30,
    )


def test_no_contact_is_kept_and_signing_out_takes_the_persons_data_off_the_phone(
    page: Page, world, sign_in, live_server
):
    household = household_in(
        world.groups[0],
        street="Ngõ Riêng Tư",
        contact_name=NAME,
        contact_phone=PHONE,
        consent_at=timezone.now(),
    )
    sign_in(page, VOLUNTEER)
    keep_the_list(page, live_server)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    expect(page.locator(".hh-head")).to_contain_text(NAME)  # shown online...
    page.wait_for_timeout(300)  # (the worker's copy, were it to keep one, is written meanwhile)
    kept = page.evaluate(CACHED_TEXT)
    assert "Ngõ Riêng Tư" in kept  # ...the list of households is kept, with addresses...
    assert NAME not in kept  # ...but no page with the contact
    assert not any(text in kept for text in phone_texts(kept))

    # Offline the household still opens, drawn from the kept list, without its contact.
    page.context.set_offline(True)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    expect(page.locator("[data-hh-title]")).to_contain_text("Ngõ Riêng Tư")
    assert NAME not in page.content()
    # A new household with a contact, refused by the server (a code in its notes): it stays.
    page.evaluate(
        """(area) => Outbox.put({id: Outbox.uuid(), type: "household", label: "Số 9",
          data: {area: area, house_number: "9", street: "Phố Chờ", members: 2,
                 contact_name: "Lê Văn Khách", contact_phone: "0987654321", consent: true,
                 notes: "mã OTP 482913"}})""",
        world.groups[0].pk,
    )
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/households/outbox/")
    eventually(page, "Outbox.all().then(items => items.some(i => i.status === 'invalid'))")

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    sign_out(page)
    assert asked
    assert "1" in asked[0]  # what would be lost is said first

    urls = page.evaluate(CACHED_URLS)
    assert not [url for url in urls if url.startswith("pages-")]  # no page of theirs left
    assert not [url for url in urls if url.endswith("/offline/")]  # nor their shells (teammates)
    kept = page.evaluate(CACHED_TEXT)
    assert "Lê Văn Khách" not in kept
    assert NAME not in kept
    assert page.evaluate(STORED_ITEMS) == []
    page.goto(f"{live_server.url}/households/")
    assert "/accounts/login/" in page.url  # signed out indeed


def test_the_next_person_never_sees_the_one_befores_pages_or_items(
    page: Page, world, sign_in, live_server
):
    household = household_in(world.groups[0], street="Ngõ Dùng Chung")
    first, second = world.users["volunteer"], world.users["volunteer2"]
    sign_in(page, VOLUNTEER)
    keep_the_list(page, live_server)
    page.goto(f"{live_server.url}{household.get_absolute_url()}")
    page.context.set_offline(True)
    log_visit(page)
    expect(page.locator("[data-form-message]:visible")).to_contain_text("Chưa có mạng")
    signed = f'<p class="muted">{first.full_name}</p>'  # a page's footer: drawn for whom
    assert signed in page.evaluate(CACHED_TEXT)  # pages kept for the first

    # The first person's session ends on its own (no sign-out) before the signal returns;
    # someone else signs in.
    page.context.clear_cookies()
    page.context.set_offline(False)
    sign_in(page, VOLUNTEER2)
    page.goto(f"{live_server.url}/households/outbox/")
    expect(page.locator("[data-outbox-list]")).to_contain_text("Không có gì chờ gửi")
    expect(page.locator("[data-outbox-bar]").first).to_have_attribute("data-waiting", "0")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert not Visit.objects.exists()  # never sent in the second person's name
    assert signed not in page.evaluate(CACHED_TEXT)  # the first person's pages are gone
    eventually(page, cached("/households/offline/"))  # the shell again, the second person's
    assert len(page.evaluate(STORED_ITEMS)) == 1  # set aside, not lost

    sign_out(page)
    sign_in(page, VOLUNTEER)  # back: the visit waits for them, and goes
    page.goto(f"{live_server.url}/households/outbox/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline_script = "Outbox.all().then(items => items.length === 0)"
    eventually(page, deadline_script, timeout=20)
    visit = Visit.objects.get()
    assert (visit.household, visit.volunteer) == (household, first)
    assert f'<p class="muted">{second.full_name}</p>' not in page.evaluate(CACHED_TEXT)


def test_a_sessions_attendees_are_not_kept_and_its_report_still_opens_offline(
    page: Page, world, sign_in, live_server
):
    from tests.trainings.factories import planned
    from trainings.models import Attendee
    from trainings.topics import topics_ensure

    topics_ensure()  # the flush of a transactional test removed what the migration seeded
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    Attendee.objects.create(session=session, name="Trần Văn Học Viên", consent=True)
    sign_in(page, VOLUNTEER)
    keep_the_list(page, live_server)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Trần Văn Học Viên")
    page.wait_for_timeout(300)
    assert "Trần Văn Học Viên" not in page.evaluate(CACHED_TEXT)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    expect(page.locator('[data-view="session"]')).to_be_visible()
    assert "Trần Văn Học Viên" not in page.content()
    page.locator("[data-session-report]").click()
    page.wait_for_url(f"**/trainings/{session.pk}/report/")
    expect(page.locator("form[data-training-form=report]:visible")).to_be_visible()
