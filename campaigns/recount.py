"""A campaign's figures recounted by a job when it is created or its period or scope moves.

Refilling a campaign's own summary rows (campaigns.tallies.campaign_tallies_refresh) reads every
record of its period and scope: at millions of visits, tens of seconds. A save through the
campaign form (or the admin) therefore stores the campaign and queues a `CampaignRecount` for
the one job runner (core.jobs), sent after the save commits; the worker refills the rows in one
transaction and marks the job done inside it, so a reader sees the old rows or the new ones,
never a half-written refill, and "done" only with the new ones.

Between the save and that commit the rows still hold the old period's counts (plus whatever
the folds added since under the new one): not figures to show. `campaign_recount_state` tells
the campaign's pages, which show the recount's progress instead until it is done. Nothing is
counted twice: the refill replaces the rows from the day tables under the exclusive tally lock
(no fold runs meanwhile, and each fold's effect is in the day tables it reads), however many
times it runs.

Saves elsewhere (the ORM in code, the demo, tests) keep refreshing inline through the receiver
(campaigns.receivers), as does the 0011 migration for the campaigns that existed then.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.jobs.models import JobStatus
from core.jobs.runner import Attempt, JobKind, Overtaken, job_dispatch
from volunteers.models import User

from .models import Campaign, CampaignRecount
from .tallies import campaign_tallies_refresh

_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("recount_deferred", default=False)


@contextmanager
def recount_deferred() -> Iterator[None]:
    """Saves inside leave the refill to a job (the receiver skips its inline refresh)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def recount_is_deferred() -> bool:
    return _DEFERRED.get()


# A finished recount never runs again: "done" is remembered for good, per recount.
DONE_SECONDS = 7 * 24 * 3600


def _done_key(recount_id: int) -> str:
    return f"campaigns:recount-done:{recount_id}"


def campaign_recount_state(*, campaign: Campaign) -> CampaignRecount | None:
    """The campaign's latest recount while its figures are not final: queued, running, or
    failed (the rows are then still those of before the move). None once it is done, and for
    a campaign never recounted by a job (its rows were refilled inline). No query for a
    campaign never recounted by a job, nor (from the cache) for one whose recount is done."""
    recount_id = campaign.latest_recount_id
    if recount_id is None or cache.get(_done_key(recount_id)):
        return None
    recount = (
        CampaignRecount.objects.filter(pk=recount_id)
        .only("pk", "campaign_id", "status", "processed", "total", "attempts", "error")
        .first()
    )
    if recount is None or recount.status == JobStatus.DONE:
        cache.set(_done_key(recount_id), True, DONE_SECONDS)
        return None
    return recount


@transaction.atomic
def campaign_store(*, campaign: Campaign, user: User | None) -> CampaignRecount | None:
    """Save the campaign; when it is new, its period or scope moved, or its last recount failed,
    queue a recount of its figures (sent to a worker once the transaction commits) rather than
    refilling them inline. Returns the recount queued, if any."""
    moved = campaign.pk is None or campaign._tally_key != campaign.tally_key()
    if not moved:
        last = campaign_recount_state(campaign=campaign)
        moved = last is not None and last.status == JobStatus.FAILED
    with recount_deferred():
        campaign.save()
    return campaign_recount_request(campaign=campaign, user=user) if moved else None


@transaction.atomic
def campaign_recount_request(*, campaign: Campaign, user: User | None) -> CampaignRecount:
    """Queue a recount of the campaign's figures. One that waits unclaimed already will read
    the campaign as it is when it runs: it serves, and no second one is queued."""
    waiting = (
        CampaignRecount.objects.select_for_update()
        .filter(campaign=campaign, status=JobStatus.QUEUED)
        .order_by("-created_at")
        .first()
    )
    if waiting is not None:
        return waiting
    recount = CampaignRecount.objects.create(campaign=campaign, created_by=user)
    # In the same transaction: whoever loads the campaign after it commits sees the recount.
    Campaign.objects.filter(pk=campaign.pk).update(latest_recount=recount)
    campaign.latest_recount = recount
    job_dispatch(recount)
    return recount


def campaign_recount_run(attempt: Attempt) -> None:
    """Run by core.jobs.runner: refill the campaign's rows as the campaign stands now, and
    finish in the same transaction (an overtaken run rolls its refill back)."""
    recount = CampaignRecount.objects.select_related("campaign").get(pk=attempt.job.pk)

    def progress(done: int, total: int) -> None:
        # The scale once; then throttled by the runner (a part can take milliseconds).
        attempt.progress(done, total=total if done == 0 else None)

    with transaction.atomic():
        campaign_tallies_refresh(recount.campaign, progress=progress)
        if not attempt.finish(JobStatus.DONE):
            raise Overtaken


RECOUNT_JOBS = JobKind(
    model=CampaignRecount,
    run=campaign_recount_run,
    failure=gettext_lazy(
        "Lỗi hệ thống khi tính lại số liệu của chiến dịch. Hãy lưu lại chiến dịch để thử lại."
    ),
)
