"""Shared fixtures. The demo foundation (Hanoi in both eras, teams, one user per role) is loaded
once per test database; each test runs in a transaction on top of it."""

import os

import pytest
from django.test import Client

from volunteers.demo import DemoWorld, seed_foundation
from volunteers.models import User

from .factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """A request in English leaves English active in the thread; start every test in Vietnamese."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_foundation()


@pytest.fixture
def world(db) -> DemoWorld:
    """The demo world; rebuilt if a transactional test flushed the database."""
    return seed_foundation()


@pytest.fixture
def users(world) -> dict[str, User]:
    return world.users


@pytest.fixture
def nobody(db) -> User:
    """A signed-up user with no role anywhere."""
    return UserFactory(full_name="Người chưa có vai trò")


@pytest.fixture
def login(client: Client):
    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


# --- Browser tests ----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture
def real_worker(transactional_db):
    """Send tasks to the real worker on Redis (started by .ci/run); skip where there is none."""
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("no CELERY_BROKER_URL: the real-worker tests run in .ci/run")
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = previous


def pytest_collection_modifyitems(items):
    """A test that uses the real worker is a worker test, whether or not its module says so.

    .ci/run runs the worker tests in one process after the parallel run: the worker reads the
    single test database, which pytest-xdist's per-process databases are not.
    """
    for item in items:
        if "real_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters and cached pages do not leak."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
