"""Tallies through their one service: counted in the summary tables like visits, replaced
(never added twice) when edited, refused whole with each problem named."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import AreaDayTally, CampaignAreaTally
from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas
from households.tallies.models import Tally
from households.tallies.selectors import tally_share_under
from households.tallies.services import TallyEntry, TallyRefused, tallies_save
from tests.campaigns.factories import campaign_for
from tests.households.factories import household_in, raw_visit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 12)


def entry(area, day=DAY, row=None, confirmed=False, names="", **counts) -> TallyEntry:
    return TallyEntry(
        area=area,
        day=day,
        counts=counts,
        volunteer_names=names,
        visits_confirmed=confirmed,
        row=row,
    )


def day_total(area, day, key: str) -> int:
    row = AreaDayTally.objects.filter(area=area, day=day).first()
    return getattr(row, key) if row else 0


def no_drift() -> bool:
    return tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []


def test_a_tally_counts_at_its_ward_and_above_and_in_the_campaign(world):
    campaign = campaign_for(world.legacy_city)
    saved = tallies_save(
        user=world.users["city"],
        entries=[
            entry(
                world.legacy_ward,
                install_guidance=14,
                level1_activations=3,
                dossiers_eid=2,
                dossiers_online=1,
                volunteer_days=5,
                names="Nguyễn Văn An, Trần Thị Bình",
            )
        ],
    )
    assert saved.created == 1
    for area in (world.legacy_ward, world.legacy_district, world.legacy_city):
        assert day_total(area, DAY, "install_guidance") == 14
        assert day_total(area, DAY, "dossiers_total") == 3
        assert day_total(area, DAY, "volunteer_participations") == 5
    row = CampaignAreaTally.objects.get(campaign=campaign, area=world.legacy_city)
    assert (row.level1_activations, row.volunteer_participations) == (3, 5)
    # Nobody was counted as a volunteer: the person typing it in did not take part.
    assert row.unique_volunteers == 0
    assert no_drift()


def test_editing_a_tally_replaces_it_and_an_empty_row_deletes_it(world):
    user = world.users["ward"]
    tallies_save(user=user, entries=[entry(world.legacy_ward, install_guidance=14)])
    again = tallies_save(user=user, entries=[entry(world.legacy_ward, install_guidance=14)])
    assert again.unchanged == 1
    edited = tallies_save(user=user, entries=[entry(world.legacy_ward, install_guidance=9)])
    assert edited.replaced == 1
    assert Tally.objects.filter(area=world.legacy_ward).count() == 1
    assert day_total(world.legacy_city, DAY, "install_guidance") == 9
    assert no_drift()
    removed = tallies_save(user=user, entries=[entry(world.legacy_ward)])
    assert removed.deleted == 1
    assert day_total(world.legacy_city, DAY, "install_guidance") == 0
    assert no_drift()


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (
            lambda w: entry(w.other_ward, day=timezone.localdate(), install_guidance=1),
            "area",
            "ngoài địa bàn",
        ),
        (
            lambda w: entry(
                w.ward, day=timezone.localdate() + datetime.timedelta(days=1), install_guidance=1
            ),
            "day",
            "chưa đến",
        ),
        (lambda w: entry(w.legacy_ward, install_guidance=-3), "install_guidance", "số âm"),
        (lambda w: entry(w.ward, install_guidance=2), "area", "không có hiệu lực"),
    ],
    ids=["outside-area", "future-day", "negative", "unit-of-another-era"],
)
def test_bad_entries_are_refused_whole_naming_row_and_field(world, make, field, words):
    good = entry(world.legacy_ward, row=2, install_guidance=1)
    bad = make(world)
    bad = TallyEntry(**{**bad.__dict__, "row": 3})
    with pytest.raises(TallyRefused) as refused:
        tallies_save(user=world.users["ward"], entries=[good, bad])
    problem = refused.value.problems[0]
    assert (problem.row, problem.field) == (3, field)
    assert words in problem.message
    assert not Tally.objects.exists()
    assert day_total(world.legacy_ward, DAY, "install_guidance") == 0


def test_visits_already_there_must_be_confirmed_before_a_tally_counts_on_top(world):
    today = timezone.localdate()
    household = household_in(world.groups[0])
    raw_visit(household, world.users["volunteer"])
    with pytest.raises(TallyRefused) as refused:
        tallies_save(
            user=world.users["ward"],
            entries=[entry(world.ward, day=today, row=4, install_guidance=3)],
        )
    problem = refused.value.problems[0]
    assert (problem.row, problem.field) == (4, "visits_confirmed")
    assert "1 lượt thăm" in problem.message
    assert not Tally.objects.exists()
    saved = tallies_save(
        user=world.users["ward"],
        entries=[entry(world.ward, day=today, confirmed=True, install_guidance=3)],
    )
    assert saved.tallies[0].visits_acknowledged == 1


def test_a_tally_above_or_below_one_on_the_same_day_is_refused(world):
    user = world.users["city"]
    tallies_save(user=user, entries=[entry(world.legacy_ward, install_guidance=2)])
    with pytest.raises(TallyRefused) as refused:
        tallies_save(user=user, entries=[entry(world.legacy_district, row=7, install_guidance=5)])
    assert refused.value.problems[0].field == "area"
    assert "hai lần" in refused.value.problems[0].message
    # Another day of the district is fine.
    tallies_save(
        user=user,
        entries=[
            entry(world.legacy_district, day=DAY + datetime.timedelta(days=1), install_guidance=5)
        ],
    )


def test_the_tally_share_of_a_total_is_what_tallies_added_under_each_unit(world):
    user = world.users["city"]
    tallies_save(
        user=user,
        entries=[
            entry(world.legacy_ward, install_guidance=14, volunteer_days=2),
            entry(world.legacy_ward, day=DAY + datetime.timedelta(days=1), install_guidance=1),
            entry(world.legacy_ward, day=datetime.date(2023, 5, 1), install_guidance=100),
        ],
    )
    share = tally_share_under(
        areas=[world.legacy_city, world.legacy_ward, world.city],
        start=datetime.date(2023, 3, 1),
        end=datetime.date(2023, 3, 31),
    )
    assert share[world.legacy_city.pk]["install_guidance"] == 15
    assert share[world.legacy_ward.pk]["volunteer_participations"] == 2
    assert share[world.city.pk] == {}
