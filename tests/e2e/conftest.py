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
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()

    return _sign_in
