"""The team leader's page (tổ trưởng tổ CNS): his team's day and campaign, on a phone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from volunteers.access import COORDINATION, role_required
from volunteers.models import Role
from volunteers.selectors import team_get_for, team_led_by

from .selectors.team import team_page_for


@role_required({Role.TEAM_LEADER})
def my_team(request: HttpRequest) -> HttpResponse:
    """The menu's "Tổ của tôi": straight to the team he leads; with several (or none), the list."""
    teams = list(team_led_by(user=request.user)[:2])
    if len(teams) == 1:
        return redirect("campaigns:team", pk=teams[0].pk)
    return redirect("volunteers:team-list")


@role_required(COORDINATION | {Role.TEAM_LEADER})
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_get_for(user=request.user, pk=pk)
    page = team_page_for(team=team, today=timezone.localdate())
    return render(request, "campaigns/team.html", {"page": page})
