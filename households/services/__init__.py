"""Writes: households, visits, status moves. Each is the only way in, and counts as it writes."""

from .common import (
    EARLIEST_VISIT,
    EDIT_WINDOW,
    FUTURE_TOLERANCE,
    HOUSEHOLD_FIELDS,
    SENDER,
    VISIT_EDITABLE,
    Conflict,
    address_key,
    fingerprint,
)
from .households import (
    household_create,
    household_last_visit_refresh,
    household_likely_duplicates,
    household_status_advance,
    household_status_step_back,
    household_update,
)
from .privacy import (
    contact_export_record,
    contact_view_record,
    household_data_export_record,
    household_erase,
)
from .visit_counting import (
    visit_activity_source,
    visit_counts,
    visit_deltas,
    visit_reach_source,
)
from .visit_edits import visit_can_edit, visit_edit
from .visit_outcomes import visit_can_withdraw, visit_review, visit_withdraw
from .visits import (
    VisitEntry,
    visit_record,
    visit_record_many,
    visit_steps_of,
)

__all__ = [
    "EARLIEST_VISIT",
    "EDIT_WINDOW",
    "FUTURE_TOLERANCE",
    "HOUSEHOLD_FIELDS",
    "SENDER",
    "VISIT_EDITABLE",
    "Conflict",
    "VisitEntry",
    "address_key",
    "contact_export_record",
    "contact_view_record",
    "fingerprint",
    "household_create",
    "household_data_export_record",
    "household_erase",
    "household_last_visit_refresh",
    "household_likely_duplicates",
    "household_status_advance",
    "household_status_step_back",
    "household_update",
    "visit_activity_source",
    "visit_can_edit",
    "visit_can_withdraw",
    "visit_counts",
    "visit_deltas",
    "visit_edit",
    "visit_reach_source",
    "visit_record",
    "visit_record_many",
    "visit_review",
    "visit_steps_of",
    "visit_withdraw",
]
