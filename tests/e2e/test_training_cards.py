"""The training list on a 360 px phone: each class a card, nothing wider than the screen; on a
wide screen it stays a table."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.trainings.factories import planned
from trainings.topics import topics_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDEST = """() => Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll('.table-wrap, table')].map(e => e.scrollWidth))"""


@pytest.fixture
def sessions(world):
    topics_ensure()
    volunteer = world.users["volunteer"]
    for days in range(3):
        planned(
            user=volunteer,
            area=world.groups[0],
            start=timezone.now() + datetime.timedelta(days=days + 1),
            topic_codes=("internet", "e_payment", "email", "info_safety"),
        )


def test_the_training_list_is_cards_at_360px(page: Page, world, sign_in, live_server, sessions):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "tnv@tungnha.vn")
    page.goto(f"{live_server.url}/trainings/")
    rows = page.locator("table.sessions tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_be_visible()
    assert rows.first.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.evaluate(WIDEST) <= 360
    # Each line says what it is.
    label = rows.first.locator("td[data-label='Địa bàn']")
    assert label.evaluate("td => getComputedStyle(td, '::before').content") == '"Địa bàn"'
    expect(page.locator("table.sessions thead")).not_to_be_in_viewport()


def test_a_wide_screen_keeps_the_table(page: Page, world, sign_in, live_server, sessions):
    page.set_viewport_size({"width": 1024, "height": 740})
    sign_in(page, "tnv@tungnha.vn")
    page.goto(f"{live_server.url}/trainings/")
    row = page.locator("table.sessions tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
