import datetime

import pytest

from core.activity import Indicator
from trainings import demo
from trainings.counting import all_deltas
from trainings.models import AwarenessPost, CheckIn, Document, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_youth_month_counts_in_the_legacy_ward(world):
    demo.seed(world, scale=1)
    sizes = (
        TrainingSession.objects.count(),
        CheckIn.objects.count(),
        Document.objects.count(),
        AwarenessPost.objects.count(),
    )
    demo.seed(world, scale=1)
    assert sizes == (
        TrainingSession.objects.count(),
        CheckIn.objects.count(),
        Document.objects.count(),
        AwarenessPost.objects.count(),
    )
    assert sizes[0] == 8
    assert sizes[1] > 0
    assert sizes[2] == 3
    assert sizes[3] == 4
    legacy = {group.pk for group in world.legacy_groups}
    march = [
        delta
        for delta in all_deltas()
        if delta.day.year == 2023 and Indicator.TRAININGS_HELD in delta.counts
    ]
    assert len(march) == 4
    assert all(delta.area_id in legacy for delta in march)
    assert all(delta.day.month == 3 for delta in march)
    assert min(delta.day for delta in march) == datetime.date(2023, 3, 6)
