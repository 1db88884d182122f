"""Reads: campaigns a user may see, and the totals of their areas from the summary tables.

A campaign's totals per area are one CampaignAreaTally row each (kept over its whole period,
with its participations and unique volunteers); its per-volunteer drill-down is one
CampaignVolunteerTally row per volunteer shown; only the daily trend reads AreaDayTally, one
row per day. So a dashboard's cost follows the areas, days and volunteers it SHOWS, never the
number of visits or volunteer-days behind them. Each function here issues a fixed number of
queries, however many areas it returns.

By job: scope (which campaigns and areas), figures (totals, trend, targets), rows (table rows
and the thi đua figures on them), people (volunteers, teams, wards carried onto communes),
signoffs (states and the sign-off box), dashboard (the home section and one area's dashboard),
page (what every view of a dashboard reads, and its body's cache key), batch (several reads
in one statement: a selector offers its read as a queryset, `…_read`, and its answer from the
rows, `…_from`, so the dashboard sends a dozen of them at once).
"""

from .dashboard import (
    campaign_dashboard,
    dashboard_crumbs,
    home_campaigns_context,
    require_dashboard_area,
)
from .figures import (
    Counts,
    area_summary,
    campaign_area_rows,
    daily_series,
    effective_targets,
    has_own_rows,
    totals_by_area,
    unique_volunteers,
)
from .page import DashboardHead, dashboard_body_key, dashboard_head
from .people import (
    legacy_on_current,
    volunteer_rows,
)
from .rows import (
    Cell,
    Row,
    area_rows,
    child_areas,
    group_digits,
    make_cells,
    pace_percent,
    percent,
    ranking,
    recorded_at_own_level,
    score,
    tone,
)
from .scope import (
    campaign_area_for,
    campaign_get_for,
    campaign_list_for,
    campaign_root_paths,
    campaign_roots_for,
    coordination_scope,
    overlapping_campaigns,
)

__all__ = [
    "Cell",
    "Counts",
    "DashboardHead",
    "Row",
    "area_rows",
    "area_summary",
    "campaign_area_for",
    "campaign_area_rows",
    "campaign_dashboard",
    "campaign_get_for",
    "campaign_list_for",
    "campaign_root_paths",
    "campaign_roots_for",
    "child_areas",
    "coordination_scope",
    "daily_series",
    "dashboard_body_key",
    "dashboard_crumbs",
    "dashboard_head",
    "effective_targets",
    "group_digits",
    "has_own_rows",
    "home_campaigns_context",
    "legacy_on_current",
    "make_cells",
    "overlapping_campaigns",
    "pace_percent",
    "percent",
    "ranking",
    "recorded_at_own_level",
    "require_dashboard_area",
    "score",
    "tone",
    "totals_by_area",
    "unique_volunteers",
    "volunteer_rows",
]
