"""Signal receivers, connected in CampaignsConfig.ready(): recorded activity moves the
tallies, and a campaign whose period or scope changed gets its own rows refilled."""

from core.activity import ActivityDelta

from .dispatch import fold_dispatch_on_commit
from .models import Campaign
from .recount import recount_is_deferred
from .tallies import campaign_tallies_refresh, tallies_record


def on_activity_changed(sender: object, deltas: list[ActivityDelta], **kwargs: object) -> None:
    if deltas and not tallies_record(deltas=deltas):
        fold_dispatch_on_commit()


def on_campaign_saved(
    sender: type[Campaign], instance: Campaign, created: bool, raw: bool = False, **kwargs: object
) -> None:
    """A new campaign, or one whose period or scope moved, gets its rows refilled: inline,
    unless the save came through campaigns.recount.campaign_store (the form, the admin), which
    queues a job for it instead."""
    if raw:
        return
    key = instance.tally_key()
    if (created or instance._tally_key != key) and not recount_is_deferred():
        campaign_tallies_refresh(instance)
    instance._tally_key = key
