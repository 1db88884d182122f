"""A tally dated in a signed-off period is refused, naming the row and the day, and nothing is
written — in the grid's service and in a file of many rows alike."""

import datetime

import pytest

from areas.models import PeriodLock
from households.tallies.models import Tally
from households.tallies.services import TallyEntry, TallyRefused, tallies_save

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 12)


def lock(area, start=DAY, end=DAY):
    return PeriodLock.objects.create(
        area=area, start=start, end=end, label="Tháng Thanh niên 2023", owner_key="test"
    )


def test_a_tally_in_a_frozen_period_of_the_unit_above_is_refused_whole(world):
    lock(world.legacy_district, start=datetime.date(2023, 3, 1), end=datetime.date(2023, 3, 31))
    entries = [
        TallyEntry(area=world.legacy_ward, day=DAY, counts={"install_guidance": 4}, row=3),
        TallyEntry(
            area=world.legacy_ward,
            day=datetime.date(2023, 4, 2),
            counts={"install_guidance": 2},
            row=4,
        ),
    ]
    with pytest.raises(TallyRefused) as refused:
        tallies_save(user=world.users["city"], entries=entries)
    problems = refused.value.problems
    assert [(p.row, p.field) for p in problems] == [(3, "day")]
    assert "đã khóa" in problems[0].message
    assert not Tally.objects.exists()


def test_a_lock_elsewhere_does_not_refuse(world):
    lock(world.legacy_ward, start=datetime.date(2023, 4, 1), end=datetime.date(2023, 4, 30))
    saved = tallies_save(
        user=world.users["city"],
        entries=[TallyEntry(area=world.legacy_ward, day=DAY, counts={"install_guidance": 4})],
    )
    assert saved.created == 1
