import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("login", "own_area", "foreign_area"),
    [
        ("0900000006", "Tổ dân phố 1", "Phường Hoàng Liệt"),
        ("0900000004", "Phường Định Công", "Phường Hoàng Liệt"),
        ("quandoan@tungnha.vn", "Quận Hoàng Mai", "Phường Hoàng Liệt"),
    ],
)
def test_demo_role_logs_in_on_a_phone_and_sees_its_area_in_vietnamese(
    page: Page, world, sign_in, login, own_area, foreign_area
):
    sign_in(page, login)
    expect(page.locator("h1")).to_contain_text("Xin chào")
    expect(page.locator("main")).to_contain_text(own_area)
    expect(page.locator("main")).not_to_contain_text(foreign_area)
    assert page.evaluate("document.documentElement.lang") == "vi"
    # Usable at phone width: nothing forces horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_menu_opens_and_logout_works(page: Page, world, sign_in, live_server):
    sign_in(page, "0900000006")
    page.locator(".menu summary").click()
    with page.expect_navigation():  # the logout's answer, before going on
        page.get_by_role("button", name="Đăng xuất").click()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
