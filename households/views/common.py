"""What the households pages share: who reads them, the page size, the one-tap steps, the
client id a form carries."""

import uuid

from django.http import HttpRequest

from volunteers.access import COORDINATION, FIELD

from ..forms import STEP_ACTIONS
from ..models import status_rank

READERS = FIELD | COORDINATION
PAGE_SIZE = 50


def one_tap_steps(household=None) -> list[dict]:
    """The one-tap steps in chain order; for a known household those still ahead of it (the
    volunteer ticks each one done in this sitting: install and level 1, say)."""
    steps = [
        {"value": value, "label": label, "rank": status_rank(value)}
        for value, label in STEP_ACTIONS.items()
    ]
    if household is not None:
        reached = status_rank(household.digital_status)
        steps = [step for step in steps if step["rank"] > reached]
    return steps


def posted_client_id(request: HttpRequest) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return uuid.uuid4()
