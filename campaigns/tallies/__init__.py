"""Summary tables kept in step with the records.

The recording transaction only appends its ActivityDeltas to TallyJournal (one INSERT, no
shared row touched, so concurrent visits to one ward never queue on its tally rows); a fold
(`tallies_fold`: a Celery task queued after commit, a beat entry every few seconds, or at once
in the recording transaction when tasks run eagerly) applies journal rows in batches and
deletes them in the same transaction. Applying a batch nets its deltas per key, then each lands
as an UPSERT increment on AreaDayTally at the leaf area AND each of its ancestors, and on
VolunteerDayTally likewise.
A volunteer row that turns active (activity 0 → > 0) adds one participation to the area's
day; one that turns inactive removes it — so participations are distinct (volunteer, day)
at every level, exactly, without reading the raw records.

Each campaign whose period holds the day and whose scope holds the area gets the same
increments on its own rows: CampaignAreaTally (its totals per area over the whole period) and
CampaignVolunteerTally (per volunteer and area; `active_days` moves with the volunteer-day
transitions above). A campaign-volunteer row that turns active adds one to the campaign
area's `unique_volunteers`, one that turns inactive removes it. A dashboard then reads one row
per area shown (plus one per day for the trend), whatever the number of visits, volunteers
and days behind them. When a campaign is created or its period or scope changes, its rows are
refilled set-based from the day tables (`campaign_tallies_refresh`).

`tallies_from_deltas` computes all four tables in memory from a stream of deltas: it is the
rebuild, the drift check and the property tests' oracle.

By job: compute (in memory, the shared shapes), apply (the UPSERTs), journal (append and
fold), refresh (a campaign's own rows), drift (rebuild and check). Queueing a fold is
campaigns.dispatch's, the receivers are campaigns.receivers' (connected in AppConfig.ready).
"""

from .apply import tallies_apply
from .compute import (
    ACTIVE_DAYS,
    AREA_COLUMNS,
    CAMPAIGN_AREA_COLUMNS,
    CAMPAIGN_VOLUNTEER_COLUMNS,
    INDICATORS,
    UNIQUE,
    VOLUNTEER_COLUMNS,
    Coverage,
    Span,
    Tallies,
    ancestor_ids_by_leaf,
    tallies_from_deltas,
)
from .drift import (
    raw_deltas,
    stored_tallies,
    tallies_check_drift,
    tallies_diff,
    tallies_rebuild,
)
from .journal import (
    FOLD_BATCH,
    FOLD_DELAY_S,
    FOLD_MAX_BATCHES,
    FOLD_QUEUED_KEY,
    FOLD_QUEUED_TTL_S,
    fold_inline,
    journal_append,
    tallies_fold,
    tallies_pending,
    tallies_record,
)
from .refresh import campaign_tallies_refresh

__all__ = [
    "ACTIVE_DAYS",
    "AREA_COLUMNS",
    "CAMPAIGN_AREA_COLUMNS",
    "CAMPAIGN_VOLUNTEER_COLUMNS",
    "FOLD_BATCH",
    "FOLD_DELAY_S",
    "FOLD_MAX_BATCHES",
    "FOLD_QUEUED_KEY",
    "FOLD_QUEUED_TTL_S",
    "INDICATORS",
    "UNIQUE",
    "VOLUNTEER_COLUMNS",
    "Coverage",
    "Span",
    "Tallies",
    "ancestor_ids_by_leaf",
    "campaign_tallies_refresh",
    "fold_inline",
    "journal_append",
    "raw_deltas",
    "stored_tallies",
    "tallies_apply",
    "tallies_check_drift",
    "tallies_diff",
    "tallies_fold",
    "tallies_from_deltas",
    "tallies_pending",
    "tallies_rebuild",
    "tallies_record",
]
