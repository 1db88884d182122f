"""A volunteer plans and reports a class from a phone with no signal: both wait in the same
outbox as visits and arrive exactly once when the signal returns."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.activity import Indicator, activity_changed
from trainings.counting import all_deltas
from trainings.models import SessionState, TrainingSession
from trainings.topics import topics_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
VOLUNTEER = "0900000006"


@pytest.fixture(autouse=True)
def builtin_topics(transactional_db):
    """A transactional test's flush removes what migrations seeded; put the topics back."""
    topics_ensure()


@pytest.fixture
def recorded():
    """Every count the trainings app records (what the campaigns tallies receive)."""
    deltas = []

    def receiver(sender, deltas: list, **kwargs) -> None:
        if sender == "trainings":
            seen.extend(deltas)

    seen = deltas
    activity_changed.connect(receiver, weak=False, dispatch_uid="e2e-trainings-offline")
    yield deltas
    activity_changed.disconnect(dispatch_uid="e2e-trainings-offline")


def total(deltas, indicator: str) -> int:
    return sum(delta.counts.get(indicator, 0) for delta in deltas)


def eventually(page: Page, script: str, timeout: float = 15) -> None:
    """Poll an async browser expression until it is true (wait_for_function does not await)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        page.wait_for_timeout(100)


def outbox_size(page: Page) -> int:
    return page.evaluate("Outbox.all().then(items => items.length)")


def times() -> tuple[str, str, str]:
    start = timezone.localtime() - datetime.timedelta(minutes=30)
    end = start + datetime.timedelta(hours=1)
    if end.date() != start.date():
        end = start.replace(hour=23, minute=59)
    return start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def fill_plan(page: Page) -> None:
    form = page.locator("form[data-training-form=plan]:visible")
    form.get_by_label("Truy cập và sử dụng Internet").check()
    day, start, end = times()
    form.locator("input[name=day]").fill(day)
    form.locator("input[name=start_time]").fill(start)
    form.locator("input[name=end_time]").fill(end)
    form.locator("select[name=area]").select_option(label="Tổ dân phố 1")
    form.locator("input[name=address]").fill("Nhà văn hóa tổ dân phố 1")
    form.get_by_role("button", name="Lưu").click()


def test_session_planned_and_reported_offline_arrives_exactly_once(
    page: Page, world, sign_in, live_server, recorded
):
    sign_in(page, VOLUNTEER)
    page.goto(f"{live_server.url}/trainings/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    eventually(page, "caches.match('/trainings/offline/', {ignoreVary: true}).then(r => !!r)")

    page.context.set_offline(True)
    # Never opened online: the worker answers with the trainings shell.
    page.goto(f"{live_server.url}/trainings/new/")
    fill_plan(page)
    page.wait_for_url(re.compile(r"/trainings/local/[0-9a-f-]{36}/$"))
    local_url = page.url
    plan_uuid = local_url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("[data-flash]")).to_contain_text("Chưa có mạng")
    expect(page.locator("[data-local-title]")).to_contain_text("Truy cập và sử dụng Internet")
    expect(page.locator("[data-local-state]")).to_have_text("Kế hoạch chờ gửi")

    page.get_by_role("link", name="Báo cáo lớp học").click()
    page.wait_for_url(f"{local_url}report/")
    report = page.locator("form[data-training-form=report]:visible")
    expect(report.locator("input[name=photos]")).to_have_count(0)
    expect(page.locator("[data-view=report]")).to_contain_text("chỉ gửi được khi có mạng")
    report.locator("input[name=attendee_count]").fill("14")
    report.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(local_url)
    expect(page.locator("[data-local-meta]")).to_contain_text("Báo cáo chờ gửi: 14 người")
    expect(page.locator("[data-outbox-bar]")).to_contain_text("Chờ gửi: 2")
    assert not TrainingSession.objects.exists()
    assert outbox_size(page) == 2

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "document.querySelector('[data-outbox-bar]').dataset.waiting === '0'", timeout=15000
    )
    assert outbox_size(page) == 0
    session = TrainingSession.objects.get()
    assert str(session.client_uuid) == plan_uuid
    assert (session.state, session.attendee_count) == (SessionState.REPORTED, 14)
    assert session.held_at is not None
    # Counted once, both in what was recorded for the tallies and in a recompute from raw rows.
    assert total(recorded, Indicator.TRAININGS_HELD) == 1
    assert total(recorded, Indicator.TRAINING_ATTENDEES) == 14
    raw = list(all_deltas())
    assert total(raw, Indicator.TRAININGS_HELD) == 1
    assert total(raw, Indicator.TRAINING_ATTENDEES) == 14

    # Online again, the local page leads to the real one.
    page.goto(local_url)
    expect(page.locator("[data-state]")).to_have_text("Đã báo cáo")
    assert TrainingSession.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def plain_page(browser, browser_context_args):
    """A page without the service worker, so that routes see every request."""
    context = browser.new_context(**browser_context_args, service_workers="block")
    yield context.new_page()
    context.close()


def test_plan_whose_answer_is_lost_is_sent_again_and_leaves_one_row(
    plain_page: Page, world, sign_in, live_server, recorded
):
    page = plain_page
    sign_in(page, VOLUNTEER)
    lost = []

    def lose_response(route):
        if route.request.method == "POST" and not lost:
            route.fetch()  # the server saves the plan...
            lost.append(True)
            route.abort()  # ...and the phone never hears back
        else:
            route.continue_()

    page.route("**/trainings/new/", lose_response)
    page.goto(f"{live_server.url}/trainings/new/")
    fill_plan(page)
    # The outbox sends it again through /trainings/sync/: a duplicate, then its page.
    page.wait_for_url(re.compile(r"/trainings/\d+/$"))
    assert lost
    expect(page.locator("[data-state]")).to_have_text("Đã lên kế hoạch")
    assert TrainingSession.objects.count() == 1
    assert outbox_size(page) == 0

    page.get_by_role("button", name="Đã tổ chức").click()
    page.get_by_role("link", name="Báo cáo lớp học").click()
    page.route("**/trainings/*/report/", lambda route: route.abort())
    page.locator("input[name=attendee_count]").fill("8")
    page.get_by_role("button", name="Gửi báo cáo").click()
    # The report could not reach its page: it goes to the outbox, which gets through.
    page.wait_for_url(re.compile(r"/trainings/\d+/$"))
    session = TrainingSession.objects.get()
    assert (session.state, session.attendee_count) == (SessionState.REPORTED, 8)
    assert outbox_size(page) == 0
    assert total(recorded, Indicator.TRAININGS_HELD) == 1
    assert total(recorded, Indicator.TRAINING_ATTENDEES) == 8
