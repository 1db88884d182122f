"""The tallies journal: recording transactions append deltas, folds move them into the summary
tables exactly once, and the drift check and rebuild see the rows still waiting."""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections

from campaigns import tasks as campaign_tasks
from campaigns.dispatch import fold_dispatch, local_dispatch
from campaigns.models import AreaDayTally, CampaignAreaTally, TallyJournal
from campaigns.tallies import (
    FOLD_DELAY_S,
    FOLD_QUEUED_KEY,
    INDICATORS,
    journal_append,
    stored_tallies,
    tallies_diff,
    tallies_fold,
    tallies_from_deltas,
)
from campaigns.tasks import tallies_check_drift
from core.activity import ACTIVITY_SOURCES, ActivityDelta
from households.models import Visit
from tests.households.factories import household_in, visit_for

from .factories import CURRENT_DAY, campaign_for, record


@pytest.fixture
def deferred(settings):
    """Production's shape: recording only appends; a fold (a Celery task there) applies."""
    settings.TALLIES_FOLD_INLINE = False
    cache.delete(FOLD_QUEUED_KEY)
    local_dispatch.forget()
    yield
    cache.delete(FOLD_QUEUED_KEY)
    local_dispatch.forget()


@pytest.fixture
def raw_source():
    """A stand-in recording app: its 'raw records' are a list of deltas."""
    rows: list[ActivityDelta] = []
    saved = dict(ACTIVITY_SOURCES)
    ACTIVITY_SOURCES.clear()
    ACTIVITY_SOURCES["fake"] = lambda: iter(rows)
    yield rows
    ACTIVITY_SOURCES.clear()
    ACTIVITY_SOURCES.update(saved)


def city_total(world, day, indicator: str) -> int:
    row = AreaDayTally.objects.filter(area=world.city, day=day).values_list(indicator, flat=True)
    return row.first() or 0


@pytest.mark.django_db
def test_eager_default_folds_in_the_recording_transaction(world):
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    assert not TallyJournal.objects.exists()
    assert city_total(world, CURRENT_DAY, "households_visited") == 2


@pytest.mark.django_db
def test_visit_waits_in_the_journal_and_reaches_the_city_total_after_the_fold(world, deferred):
    household = household_in(world.groups[0])
    visit = visit_for(household, world.users["volunteer"], install_guidance=2)
    assert TallyJournal.objects.count() == 1
    assert city_total(world, visit.day, "install_guidance") == 0

    assert tallies_fold() == 1
    assert city_total(world, visit.day, "install_guidance") == 2
    assert city_total(world, visit.day, "households_visited") == 1
    assert city_total(world, visit.day, "volunteer_participations") == 1
    assert not TallyJournal.objects.exists()
    assert tallies_fold() == 0
    assert city_total(world, visit.day, "install_guidance") == 2


@pytest.mark.django_db
def test_folded_batches_equal_the_recompute_of_the_same_deltas(world, deferred):
    campaign = campaign_for(world.city)
    volunteer, other = world.users["volunteer"], world.users["volunteer2"]
    deltas = [
        record(world.groups[0], CURRENT_DAY, volunteer, households_visited=1),
        record(world.groups[1], CURRENT_DAY, other, install_guidance=3),
        record(world.groups[0], CURRENT_DAY, volunteer, households_visited=-1),
        record(world.groups[2], CURRENT_DAY + datetime.timedelta(days=1), volunteer, other_help=2),
    ]
    assert tallies_fold(batch=1) == 4  # one row per batch: transitions across batches
    assert tallies_diff(tallies_from_deltas(deltas), stored_tallies()) == []
    row = CampaignAreaTally.objects.get(campaign=campaign, area=world.city)
    assert (row.unique_volunteers, row.install_guidance, row.other_help) == (2, 3, 2)


@pytest.mark.django_db
def test_a_transaction_queues_one_fold_and_a_burst_one_more_after_it_starts(
    world, deferred, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        campaign_tasks.tallies_fold, "apply_async", lambda **kwargs: queued.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    assert len(callbacks) == 1
    assert len(queued) == 1
    assert queued[0]["countdown"] > 0
    local_dispatch.forget()  # another process's commit of the burst: a fold is already queued
    fold_dispatch()
    assert len(queued) == 1

    # The queued fold starts (no sooner than its countdown): the mark is gone, and a commit
    # now queues another.
    monkeypatch.setattr(local_dispatch, "seen_at", time.monotonic() - FOLD_DELAY_S)
    assert campaign_tasks.tallies_fold.run() == 3
    fold_dispatch()
    assert len(queued) == 2


def test_a_commit_soon_after_this_process_queued_a_fold_skips_the_cache(
    world, deferred, monkeypatch
):
    """The fold this process queued has not started yet: it will fold this commit too."""
    queued, asked = [], []
    monkeypatch.setattr(
        campaign_tasks.tallies_fold, "apply_async", lambda **kwargs: queued.append(kwargs)
    )
    fold_dispatch()
    real_add = cache.add
    monkeypatch.setattr(
        cache, "add", lambda *args, **kwargs: asked.append(args) or real_add(*args, **kwargs)
    )
    cache.delete(FOLD_QUEUED_KEY)  # even with the mark gone, the countdown has not run out
    fold_dispatch()
    assert (len(queued), asked) == (1, [])

    monkeypatch.setattr(local_dispatch, "seen_at", time.monotonic() - FOLD_DELAY_S)
    fold_dispatch()
    assert (len(queued), len(asked)) == (2, 1)

    # Another process queued the fold: seeing its mark also spares the next commits the cache.
    local_dispatch.forget()
    fold_dispatch()
    fold_dispatch()
    assert (len(queued), len(asked)) == (2, 2)


def test_a_failed_dispatch_is_not_taken_for_a_queued_fold(world, deferred, monkeypatch):
    def broker_down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(campaign_tasks.tallies_fold, "apply_async", broker_down)
    fold_dispatch()
    assert not local_dispatch.covered()


@pytest.mark.django_db
def test_drift_check_folds_the_waiting_rows_first(world, deferred, raw_source):
    raw_source.append(
        record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    )
    assert TallyJournal.objects.count() == 1
    assert tallies_check_drift.delay().get() == 0
    assert not TallyJournal.objects.exists()
    assert city_total(world, CURRENT_DAY, "households_visited") == 2


@pytest.mark.django_db
def test_drift_check_accounts_for_rows_still_waiting(world, deferred, raw_source, monkeypatch):
    volunteer = world.users["volunteer"]
    raw_source.append(record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2))
    tallies_fold()
    # A record committed after the drift check's fold: its row waits in the journal.
    monkeypatch.setattr("campaigns.tallies.drift.tallies_fold", lambda **kwargs: 0)
    raw_source.append(record(world.groups[1], CURRENT_DAY, volunteer, households_visited=1))
    assert TallyJournal.objects.count() == 1
    assert tallies_check_drift.delay().get() == 0

    AreaDayTally.objects.filter(area=world.ward, day=CURRENT_DAY).update(households_visited=9)
    assert tallies_check_drift.delay().get() == 1


@pytest.mark.django_db
def test_rebuild_drops_waiting_rows_and_counts_their_records_once(world, deferred, raw_source):
    volunteer = world.users["volunteer"]
    raw_source.append(record(world.groups[0], CURRENT_DAY, volunteer, households_visited=2))
    call_command("rebuild_tallies")
    assert not TallyJournal.objects.exists()
    assert tallies_fold() == 0
    assert city_total(world, CURRENT_DAY, "households_visited") == 2
    assert tallies_check_drift.delay().get() == 0


def test_beat_folds_every_few_seconds(settings):
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "campaigns.tasks.tallies_fold"
    ]
    assert float(entry["schedule"]) <= 5


# --- PostgreSQL: real concurrency ---------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_concurrent_folds_apply_each_journal_row_exactly_once(world, deferred):
    campaign = campaign_for(world.city)
    volunteers = [world.users["volunteer"], world.users["volunteer2"], world.users["leader"]]
    deltas = [
        ActivityDelta(
            area_id=world.groups[number % 4].pk,
            day=CURRENT_DAY + datetime.timedelta(days=number % 3),
            counts={INDICATORS[number % 5]: 1 + number % 3},
            volunteer_id=volunteers[number % 3].pk,
        )
        for number in range(240)
    ]
    journal_append(deltas)
    barrier = threading.Barrier(3)
    folded: list = []

    def fold():
        try:
            barrier.wait()
            folded.append(tallies_fold(batch=7))
        except Exception as error:  # the outcome is what the test checks
            folded.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fold) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(isinstance(count, int) for count in folded), folded
    assert sum(folded) == 240
    assert sum(1 for count in folded if count) >= 2  # they really shared the work
    assert not TallyJournal.objects.exists()
    assert tallies_diff(tallies_from_deltas(deltas), stored_tallies()) == []
    assert CampaignAreaTally.objects.get(campaign=campaign, area=world.city).unique_volunteers == 3


# --- The real worker (CI: Redis and a Celery worker) --------------------------------------------
def test_worker_folds_a_committed_visit_within_seconds(real_worker, world):
    cache.delete(FOLD_QUEUED_KEY)
    household = household_in(world.groups[0])
    visit = visit_for(household, world.users["volunteer"], install_guidance=3)
    assert Visit.objects.filter(pk=visit.pk).exists()
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if city_total(world, visit.day, "install_guidance") == 3:
            break
        time.sleep(0.1)
    lag = time.monotonic() - started
    assert city_total(world, visit.day, "install_guidance") == 3
    assert lag < 5
    assert not TallyJournal.objects.exists()
