"""The ward coordinator in a browser: invite by QR code, assign groups, import a spreadsheet."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from households.models import Household
from tests.workspace import files
from volunteers.models import Assignment, Invitation, Membership, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("size", SIZES)
def test_invite_by_qr_code_brings_a_volunteer_into_the_team(
    page: Page, browser, world, sign_in, live_server, size
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    team = world.teams[1]
    sign_in(page, "phuong@tungnha.vn")
    page.goto(f"{live_server.url}{reverse('workspace:team-detail', args=[team.pk])}")
    page.fill("input[name=max_uses]", "5")
    page.get_by_role("button", name="Tạo đường dẫn và mã QR").click()
    expect(page.get_by_test_id("invite-qr").locator("svg")).to_be_visible()
    if size == "phone":
        _fits(page, width)
    link = page.locator("#invite-url").input_value()
    assert (
        link
        == f"{live_server.url}{reverse('workspace:join', args=[Invitation.objects.get().token])}"
    )

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    newcomer = phone.new_page()
    newcomer.goto(link)
    newcomer.fill("input[name=full_name]", "Phan Thị Thu")
    newcomer.fill("input[name=phone]", "0968 222 333")
    newcomer.fill("input[name=password1]", "thu-xuan-2025")
    newcomer.fill("input[name=password2]", "thu-xuan-2025")
    newcomer.get_by_role("button", name="Tạo tài khoản và vào tổ").click()
    expect(newcomer.locator("[data-role=volunteer]")).to_contain_text(team.name)
    phone.close()
    user = User.objects.get(phone="+84968222333")
    assert Membership.objects.get(user=user).team == team


@pytest.mark.parametrize("size", SIZES)
def test_coordinator_assigns_groups_to_a_team(page: Page, world, sign_in, live_server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "phuong@tungnha.vn")
    page.goto(f"{live_server.url}{reverse('workspace:assignment-create', args=[world.ward.pk])}")
    page.get_by_label(world.groups[3].name).check()
    page.get_by_label(world.groups[5].name).check()
    page.select_option("select[name=team]", str(world.teams[2].pk))
    page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.locator("#assignment-table")).to_contain_text(world.groups[5].name)
    if size == "phone":
        _fits(page, width)
    assert Assignment.objects.active().filter(team=world.teams[2]).count() == 2


@pytest.mark.parametrize("size", SIZES)
def test_coordinator_fixes_the_rows_the_preview_points_at_and_imports(
    page: Page, world, sign_in, live_server, tmp_path, size
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    rows = files.household_rows(8)
    rows[2][5] = "Tổ dân phố 77"
    rows[5][6] = "0912"
    bad = tmp_path / "ds-ho.xlsx"
    bad.write_bytes(files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    sign_in(page, "phuong@tungnha.vn")
    page.goto(
        f"{live_server.url}{reverse('workspace:import-start', args=[world.ward.pk, 'households'])}"
    )
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Tổ dân phố 77")
    if size == "phone":
        _fits(page, width)

    rows[2][5] = "Tổ dân phố 2"
    rows[5][6] = "0912 345 600"
    good = tmp_path / "ds-ho-da-sua.xlsx"
    good.write_bytes(files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    page.get_by_role("link", name="Tải lên tệp khác").click()
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "done", timeout=15000)
    assert Household.objects.count() == 8


def test_an_export_takes_the_filters_set_on_the_page_without_reloading_it(
    page: Page, world, sign_in, live_server
):
    """The list filters through htmx (no reload); the export must still send them."""
    from workspace.models import ExportJob

    sign_in(page, "phuong@tungnha.vn")
    page.goto(f"{live_server.url}{reverse('workspace:household-list', args=[world.ward.pk])}")
    page.locator("details.filter-box summary").click()
    page.locator("select[name=area]").select_option(str(world.groups[1].pk))
    page.wait_for_url(f"**area={world.groups[1].pk}*")
    page.get_by_role("button", name="Xuất CSV").click()
    page.wait_for_url("**/exports/*/")
    assert ExportJob.objects.get().filters == {"area": str(world.groups[1].pk)}
