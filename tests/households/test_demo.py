import datetime
import time

import pytest
from django.utils import timezone

from households import demo
from households.models import Household, Visit

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_fast_and_reaches_youth_month_2023(world):
    started = time.monotonic()
    demo.seed(world, scale=1)
    elapsed = time.monotonic() - started
    counts = (Household.objects.count(), Visit.objects.count())
    demo.seed(world, scale=1)
    assert (Household.objects.count(), Visit.objects.count()) == counts
    assert elapsed < 20
    assert Household.objects.filter(area__in=world.other_groups).exists()
    march = Visit.objects.filter(day__range=(datetime.date(2023, 3, 1), datetime.date(2023, 3, 31)))
    assert march.exists()
    assert set(march.values_list("area__era", flat=True)) == {"legacy"}
    recent = Visit.objects.filter(day__gte=timezone.localdate() - datetime.timedelta(days=28))
    assert recent.filter(volunteer=world.users["volunteer"]).exists()
