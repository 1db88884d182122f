import pytest

from core.activity import activity_changed
from trainings.models import Topic
from trainings.topics import topics_ensure


@pytest.fixture
def recorded():
    """Every ActivityDelta the trainings app sends while the test runs."""
    deltas = []

    def receiver(sender, deltas: list, **kwargs) -> None:
        if sender == "trainings":
            recorded_deltas.extend(deltas)

    recorded_deltas = deltas
    activity_changed.connect(receiver, weak=False, dispatch_uid="tests-trainings-recorded")
    yield deltas
    activity_changed.disconnect(dispatch_uid="tests-trainings-recorded")


def totals(deltas, indicator: str) -> int:
    return sum(delta.counts.get(indicator, 0) for delta in deltas)


@pytest.fixture(autouse=True)
def builtin_topics(db):
    """Browser tests flush the database (and the topics migration 0002 seeded); restore them."""
    if not Topic.objects.filter(kind="basic_skill").exists():
        topics_ensure()
