"""A team leader's page: his team's members, their visits and totals today and over the
campaign running where the team works, the households of its groups nobody has visited yet,
and the members' visits waiting for review.

The figures are counts of Visit rows (households.selectors.team), filtered on the team's
members and the team's groups, never another team's. A fixed number of queries, however many
members or visits.
"""

import datetime
from dataclasses import dataclass, field

from areas.models import Area
from households.models import Household, Visit
from households.selectors.team import (
    Flagged,
    Period,
    team_households_unvisited,
    team_member_totals,
    team_review_flags,
    team_totals,
    team_visits_recent,
)
from volunteers.models import Team, User
from volunteers.selectors import team_led_by, team_members_of, team_reach_of

from ..models import Campaign, CampaignStatus


def campaign_current_for(*, area: Area, today: datetime.date) -> Campaign | None:
    """The active campaign covering `area` today: the most local one, then the latest (one
    query)."""
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.ACTIVE,
        start__lte=today,
        end__gte=today,
        scope__path__in=area.ancestor_paths(),
    ).select_related("scope")
    return campaigns.order_by("-scope__depth", "-start", "pk").first()


@dataclass(frozen=True)
class MemberRow:
    member: User
    today_visits: int = 0
    today_helped: int = 0
    campaign_visits: int = 0
    campaign_helped: int = 0


@dataclass
class TeamPage:
    team: Team
    today: datetime.date
    campaign: Campaign | None
    totals: dict[str, dict[str, int]]
    members: list[MemberRow]
    recent: list[Visit]
    unvisited_count: int
    unvisited: list[Household]
    flagged_count: int
    flagged: list[Flagged] = field(default_factory=list)


def team_page_for(*, team: Team, today: datetime.date) -> TeamPage:
    """Everything the page shows, for a team the caller may see (volunteers.selectors
    .team_get_for)."""
    reach = team_reach_of(team=team)
    members = team_members_of(team=team)
    member_ids = [member.pk for member in members]
    campaign = campaign_current_for(area=team.ward, today=today)
    period = None
    if campaign is not None:
        period = Period(
            start=campaign.start, end=min(campaign.end, today), path=campaign.scope.path
        )
    per_member = team_member_totals(
        member_ids=member_ids, reach=reach, today=today, campaign=period
    )
    rows = [MemberRow(member=member, **per_member.get(member.pk, {})) for member in members]
    rows.sort(key=lambda row: (-row.today_visits, -row.campaign_visits, row.member.full_name))
    unvisited_count, unvisited = team_households_unvisited(
        reach=reach, since=campaign.start if campaign else None
    )
    flagged_count, flagged = team_review_flags(member_ids=member_ids, reach=reach)
    return TeamPage(
        team=team,
        today=today,
        campaign=campaign,
        totals=team_totals(member_ids=member_ids, reach=reach, today=today, campaign=period),
        members=rows,
        recent=team_visits_recent(member_ids=member_ids, reach=reach),
        unvisited_count=unvisited_count,
        unvisited=unvisited,
        flagged_count=flagged_count,
        flagged=flagged,
    )


def home_team_context(user: User) -> dict | None:
    """The leader's home: a way to each team he leads (one query)."""
    teams = list(team_led_by(user=user))
    return {"teams": teams} if teams else None
