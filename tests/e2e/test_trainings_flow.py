"""A volunteer plans a class, runs it, attendees check in by QR, the volunteer reports it with
photos from the phone; the ward coordinator sees it in the ward's list."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from trainings.models import CheckIn, SessionState, TrainingSession
from trainings.samples import tiny_png
from trainings.topics import topics_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def builtin_topics(transactional_db):
    """A transactional test's flush removes what migrations seeded; put the topics back."""
    topics_ensure()


def _times() -> tuple[str, str, str]:
    start = timezone.localtime() - datetime.timedelta(minutes=30)
    end = start + datetime.timedelta(hours=1)
    if end.date() != start.date():
        end = start.replace(hour=23, minute=59)
    return start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def _plan(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/trainings/new/")
    page.get_by_label("Truy cập và sử dụng Internet").check()
    page.get_by_label("Thanh toán điện tử").check()
    day, start, end = _times()
    page.fill("input[name=day]", day)
    page.fill("input[name=start_time]", start)
    page.fill("input[name=end_time]", end)
    page.select_option("select[name=area]", label="Tổ dân phố 1")
    page.fill("input[name=address]", "Nhà văn hóa tổ dân phố 1")
    page.select_option("select[name=audience]", "elderly")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lên kế hoạch lớp học")


def test_volunteer_plans_and_reports_a_session_with_photos_and_the_ward_sees_it(
    page: Page, browser: Browser, browser_context_args, world, sign_in, live_server
):
    sign_in(page, "0900000006")
    _plan(page, live_server)
    expect(page.locator("[data-state]")).to_have_text("Đã lên kế hoạch")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Đã tổ chức").click()
    expect(page.locator("[data-state]")).to_have_text("Đã tổ chức")
    page.get_by_role("link", name="Báo cáo lớp học").click()
    page.fill("input[name=attendee_count]", "18")
    page.set_input_files(
        "input[name=photos]",
        files=[
            {"name": "lop-1.png", "mimeType": "image/png", "buffer": tiny_png()},
            {"name": "lop-2.png", "mimeType": "image/png", "buffer": tiny_png(rgb=(0, 90, 0))},
        ],
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("[data-state]")).to_have_text("Đã báo cáo")
    expect(page.locator(".photos img")).to_have_count(2)
    session = TrainingSession.objects.get()
    assert (session.state, session.attendee_count) == (SessionState.REPORTED, 18)
    assert session.photos.count() == 2

    ward = browser.new_context(**browser_context_args)
    ward_page = ward.new_page()
    sign_in(ward_page, "0900000004")
    ward_page.goto(f"{live_server.url}/trainings/")
    row = ward_page.locator("table tbody tr").first
    expect(row).to_contain_text("Tổ dân phố 1")
    expect(row).to_contain_text("Đã báo cáo")
    expect(row).to_contain_text("18")
    assert ward_page.evaluate("document.documentElement.scrollWidth") <= 390
    ward.close()


def test_attendee_checks_in_by_qr_from_another_phone_and_counts_once(
    page: Page, browser: Browser, browser_context_args, world, sign_in, live_server
):
    sign_in(page, "0900000006")
    _plan(page, live_server)
    expect(page.locator("#checkin svg")).to_be_visible()
    expect(page.locator("#checkin-count")).to_have_text("0")
    link = page.locator("#checkin-link").get_attribute("href")
    assert re.search(r"/trainings/c/[\w-]+/$", link)

    attendee = browser.new_context(**browser_context_args)  # the attendee's own phone
    phone = attendee.new_page()
    for typed in ("0912 345 678", "+84912345678"):
        phone.goto(link)
        expect(phone.locator("h1")).to_have_text("Điểm danh lớp học")
        phone.fill("input[name=name]", "Nguyễn Thị Hoa")
        phone.fill("input[name=phone]", typed)
        phone.select_option("select[name=age_group]", "60_plus")
        phone.get_by_label("Tôi đồng ý").check()
        phone.get_by_role("button", name="Điểm danh").click()
        expect(phone.locator("#checkin-done")).to_be_visible()
    expect(phone.locator("#checkin-done")).to_contain_text("đã điểm danh trước đó")
    attendee.close()

    # The trainer's screen polls the count: it went up once.
    expect(page.locator("#checkin-count")).to_have_text("1", timeout=10_000)
    assert CheckIn.objects.count() == 1
    checkin = CheckIn.objects.get()
    assert (checkin.name, checkin.phone, checkin.consent) == (
        "Nguyễn Thị Hoa",
        "+84912345678",
        True,
    )
