import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from playwright.sync_api import Page

from volunteers.demo import DEMO_PASSWORD


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time():
    """The live server answers each request in a thread of its own, and on SQLite's in-memory
    test database every thread shares one connection: two requests at once (a page and its
    service worker's fetch) would use it together, which SQLite refuses ("bad parameter or
    other API misuse"). Requests are answered one at a time; connections stay concurrent."""
    lock = threading.Lock()
    answer = WSGIHandler.__call__

    def answer_alone(self, environ, start_response):
        with lock:
            return answer(self, environ, start_response)

    WSGIHandler.__call__ = answer_alone
    yield
    WSGIHandler.__call__ = answer


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
