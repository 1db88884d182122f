"""Reads, always scoped by who asks. Field roles see their field areas, coordinators their scope."""

from .lists import (
    FILTER_PENDING,
    FILTER_UNVISITED,
    household_brief_for,
    household_get_for,
    household_groups_for,
    household_list_for,
    teammate_choices_for,
    teammate_ids_for,
    visit_edit_history,
    visit_get_for,
    visit_list_for_household,
    visit_recent_for,
    visit_teammate_choices,
    volunteer_totals,
)
from .privacy import HouseholdData, change_lines, household_data_for, household_data_rows
from .reach import (
    can_log_visits,
    household_for_visit,
    household_in_reach,
    household_is_assigned_to,
    household_reach_q,
    household_scope_for,
)

__all__ = [
    "FILTER_PENDING",
    "FILTER_UNVISITED",
    "HouseholdData",
    "can_log_visits",
    "change_lines",
    "household_brief_for",
    "household_data_for",
    "household_data_rows",
    "household_for_visit",
    "household_get_for",
    "household_groups_for",
    "household_in_reach",
    "household_is_assigned_to",
    "household_list_for",
    "household_reach_q",
    "household_scope_for",
    "teammate_choices_for",
    "teammate_ids_for",
    "visit_edit_history",
    "visit_get_for",
    "visit_list_for_household",
    "visit_recent_for",
    "visit_teammate_choices",
    "volunteer_totals",
]
