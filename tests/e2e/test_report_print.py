"""The city prints the official report on A4 landscape: rendered to PDF in Chromium, the pages
are counted and nothing is cut (the table fits the page's width, no cell overflows)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from campaigns.signoff import period_close, signoff_approve, signoff_submit
from tests.campaigns.factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record, target

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A4 landscape less the print view's @page margins (8 mm each side), in CSS pixels (96/in).
PAGE_WIDTH_PX = int((297 - 16) / 25.4 * 96)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def overflowing(page: Page) -> list[str]:
    """Cells or blocks wider than the page once laid out for print."""
    return page.evaluate(
        """() => {
          const bad = [];
          const table = document.querySelector('table[data-table="report"]');
          if (table.getBoundingClientRect().width > document.documentElement.clientWidth + 1)
            bad.push('table ' + table.getBoundingClientRect().width);
          for (const cell of table.querySelectorAll('td, th'))
            if (cell.scrollWidth > cell.clientWidth + 1) bad.push(cell.textContent.trim());
          return bad;
        }"""
    )


def print_report(page: Page, sign_in, url: str) -> tuple[bytes, list[str]]:
    sign_in(page, "thanhdoan@tungnha.vn")
    page.set_viewport_size({"width": PAGE_WIDTH_PX, "height": 700})
    page.goto(url)
    page.emulate_media(media="print")
    cut = overflowing(page)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    return pdf, cut


def test_youth_month_2023_city_report_prints_on_a4_landscape(
    page: Page, world, sign_in, live_server
):
    campaign = campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")
    for key, value in (("install_guidance", 60_000), ("level2_activations", 25_000)):
        target(campaign, world.legacy_district, key, value)
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], install_guidance=64_992)
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=campaign)
    signoff_approve(user=world.users["district"], signoff=signoff)
    period_close(user=world.users["city"], area=world.legacy_city, campaign=campaign)
    url = live_server.url + reverse("campaigns:print", args=[campaign.pk, world.legacy_city.pk])
    pdf, cut = print_report(page, sign_in, url)
    assert cut == []
    # 30 districts, 13 indicators: three pages at most, not a sheet of 93 columns.
    assert 1 <= pdf_pages(pdf) <= 3
    assert page.locator("text=NGƯỜI LẬP BIỂU").is_visible()
    assert page.locator(".noprint").is_hidden()


def test_todays_city_report_of_126_communes_fits_the_width(page: Page, world, sign_in, live_server):
    campaign = campaign_for(world.city, name="Cao điểm 2026")
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], install_guidance=1_234_567)
    url = live_server.url + reverse("campaigns:print", args=[campaign.pk, world.city.pk])
    pdf, cut = print_report(page, sign_in, url)
    assert cut == []
    assert 3 <= pdf_pages(pdf) <= 12  # ~126 rows down, the header repeated on each page
