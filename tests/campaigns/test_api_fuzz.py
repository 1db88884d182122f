"""Issue 17: schemathesis fuzzes the API from its generated OpenAPI document, in-process over
WSGI (no server, no network): every answer must be one the document describes — its status,
content type and JSON schema — and never a 500. Runs in the normal suite (and so in CI)."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from campaigns.services import api_token_create

from .factories import CURRENT_DAY, campaign_for, record

pytestmark = pytest.mark.django_db

OPENAPI = "/campaigns/api/v1/openapi.json"


@pytest.fixture
def api_schema(world, settings):
    # The limits have their own tests; schemathesis also sends bad keys on purpose.
    settings.TUNGNHA_API_RATE = (1_000_000, 60)
    settings.TUNGNHA_API_BAD_KEY_RATE = (1_000_000, 60)
    cache.clear()
    campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    # The WSGI handler closes the connection after each request, as a server would: inside the
    # test's transaction that would drop it. The test client does the same unhooking.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(OPENAPI, WSGIHandler())
    finally:
        cache.clear()  # the bad keys it sent must not count against the next tests
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def key(world) -> str:
    return api_token_create(user=world.users["city"], name="fuzz")[1]


# schemathesis' own pytest loader does not run on pytest 9 yet: its strategies are driven here by
# hypothesis, operation by operation, which checks the same.
def test_every_answer_is_one_the_document_describes(api_schema, key):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    # The in-process WSGI client does not inflate gzip, as an HTTP client would.
    headers = {"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers)

        check()
