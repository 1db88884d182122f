"""The official report as an office sends it: units in rows, indicators in columns, the
letterhead, period, date line, totals row, unique volunteers and participations, coverage,
sign-off states, signature block; A4 landscape, fit to width, header rows on every page;
grouped numbers."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.report import report_data, report_xlsx
from campaigns.signoff import period_close, signoff_approve, signoff_submit
from tests.households.factories import household_in

from .factories import LEGACY_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_month(world):
    campaign = campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")
    target(campaign, world.legacy_district, "install_guidance", 70_000)
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], install_guidance=64_992)
    record(world.legacy_groups[1], LEGACY_DAY, world.users["volunteer2"], level2_activations=3)
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=campaign)
    signoff_approve(user=world.users["district"], signoff=signoff)
    period_close(user=world.users["city"], area=world.legacy_city, campaign=campaign)
    return campaign


def sheet_of(campaign, area):
    return load_workbook(io.BytesIO(report_xlsx(report_data(campaign=campaign, area=area)))).active


def test_xlsx_has_units_in_rows_and_prints_on_a4_landscape(world, youth_month):
    sheet = sheet_of(youth_month, world.legacy_city)
    rows = list(sheet.iter_rows(values_only=True))
    texts = [str(value) for row in rows for value in row if value]
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in texts
    assert "BCH ĐOÀN THÀNH PHỐ HÀ NỘI" in texts
    assert any(text.startswith("Hà Nội, ngày ") for text in texts)
    assert any(text.startswith("Số:") for text in texts)
    assert "NGƯỜI LẬP BIỂU" in texts
    assert "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert any("đã khóa sổ bởi" in text for text in texts)
    # One row per district (30 in 2023), not 30 × 3 columns.
    districts = [row for row in rows if row[0] and isinstance(row[0], int)]
    assert len(districts) == 30
    assert sheet.max_column < 60
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$10:$11"
    header = rows[9]
    install = header.index("Lượt hướng dẫn cài đặt VNeID và dịch vụ công")
    hoang_mai = next(row for row in rows if row[1] == world.legacy_district.name)
    assert hoang_mai[install : install + 3] == (70_000, 64_992, 92.8)
    number_row = next(r for r in sheet.iter_rows() if r[1].value == world.legacy_district.name)
    assert number_row[install + 1].number_format == "#,##0"
    participations = header.index("Lượt đoàn viên thanh niên tham gia")
    volunteers = header.index("Tình nguyện viên tham gia (người)")
    assert hoang_mai[participations + 1] == 2
    assert hoang_mai[volunteers] == 2
    state = header.index("Xác nhận số liệu")
    assert hoang_mai[state].startswith("1/")  # one ward of Hoàng Mai approved


def test_a_district_report_names_each_ward_state_and_coverage(world, youth_month):
    household_in(world.legacy_groups[0], members=5)
    household_in(world.legacy_groups[0], members=3)
    sheet = sheet_of(youth_month, world.legacy_district)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[9]
    ward = next(row for row in rows if row[1] == world.legacy_ward.name)
    state = header.index("Xác nhận số liệu")
    assert ward[state] == "đã duyệt"
    assert world.users["district"].full_name in ward[state + 1]
    coverage = header.index("Độ phủ so với sổ hộ")
    assert ward[coverage] == 2  # households on the registry (reached: none by a visit)


def test_print_view_groups_thousands_and_has_the_signature_block(login, world, youth_month):
    page = login(world.users["city"]).get(
        reverse("campaigns:print", args=[youth_month.pk, world.legacy_city.pk])
    )
    text = page.content.decode()
    assert "64.992" in text
    assert "64992<" not in text
    assert "NGƯỜI LẬP BIỂU" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "data-total" in text
    assert "data-date-line" in text


def test_print_view_refused_outside_ones_area(login, world, youth_month):
    page = login(world.users["other_ward"]).get(
        reverse("campaigns:print", args=[youth_month.pk, world.legacy_ward.pk])
    )
    assert page.status_code == 404
