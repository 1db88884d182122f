import pytest
from playwright.sync_api import Page

from volunteers.demo import DEMO_PASSWORD


@pytest.fixture
def sign_in(live_server):
    """Log in through the real form, as a person would."""

    def _sign_in(page: Page, login: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        # Signed in only once the answer has left the login page: a test that navigates on
        # before that (a loaded machine) would cancel the login and meet the form again.
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return _sign_in
