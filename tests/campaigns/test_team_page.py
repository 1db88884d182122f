"""The team leader's page: his team's members, visits, totals, unvisited households and review
flags, scoped to his team (issue 14)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import VisitEdit, VisitStatus
from tests.campaigns.factories import campaign_for
from tests.factories import member
from tests.households.factories import household_in, raw_visit, visit_for
from tests.workspace.factories import assignment_of
from volunteers.models import Membership, Role

pytestmark = pytest.mark.django_db


def _page_url(team) -> str:
    return reverse("campaigns:team", args=[team.pk])


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return campaign_for(
        world.city,
        start=today - datetime.timedelta(days=5),
        end=today + datetime.timedelta(days=20),
    )


@pytest.fixture
def team_work(world, campaign):
    """Team 1 walks groups 0 and 1; team 2 walks group 3; volunteer2 also serves team 3 in
    group 2."""
    team, other = world.teams[0], world.teams[1]
    assignment_of(world.groups[0], world.ward, team=team)
    assignment_of(world.groups[1], world.ward, team=team)
    assignment_of(world.groups[3], world.ward, team=other)
    ours = household_in(world.groups[0], street="Ngõ Của Tổ Một")
    visit_for(ours, world.users["volunteer"], install_guidance=2, level1_activations=1)
    earlier = household_in(world.groups[1], street="Phố Hôm Qua")
    raw_visit(
        earlier, world.users["volunteer"], device_time=timezone.now() - datetime.timedelta(days=2)
    )
    theirs_member = member(world.groups[3], Role.VOLUNTEER, team=other, full_name="Người Tổ Hai")
    theirs = household_in(world.groups[3], street="Ngõ Của Tổ Hai")
    raw_visit(theirs, theirs_member)
    team3 = household_in(world.groups[2], street="Ngõ Của Tổ Ba")
    raw_visit(team3, world.users["volunteer2"])  # volunteer2's work for team 3, not team 1
    unvisited = household_in(world.groups[1], street="Phố Chưa Thăm")
    other_unvisited = household_in(world.groups[3], street="Phố Tổ Hai Chưa Thăm")
    return {
        "team": team,
        "other": other,
        "unvisited": unvisited,
        "other_unvisited": other_unvisited,
    }


def test_leader_sees_his_teams_visits_and_totals_today_and_in_the_campaign(
    client, world, team_work
):
    client.force_login(world.users["leader"])
    response = client.get(_page_url(team_work["team"]))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.totals["today"]["visits"] == 1
    assert page.totals["today"]["install_guidance"] == 2
    assert page.totals["today"]["level1_activations"] == 1
    assert page.totals["campaign"]["visits"] == 2
    assert page.totals["campaign"]["reached"] == 2
    rows = {row.member.pk: row for row in page.members}
    assert set(rows) == {world.users[key].pk for key in ("leader", "volunteer", "volunteer2")}
    assert rows[world.users["volunteer"].pk].today_visits == 1
    assert rows[world.users["volunteer"].pk].today_helped == 3
    assert rows[world.users["volunteer"].pk].campaign_visits == 2
    assert rows[world.users["volunteer2"].pk].campaign_visits == 0
    content = response.content.decode()
    assert "Ngõ Của Tổ Một" in content
    assert "Ngõ Của Tổ Hai" not in content
    assert "Ngõ Của Tổ Ba" not in content
    assert "Người Tổ Hai" not in content


def test_without_a_running_campaign_the_page_shows_today_and_never_visited(client, world):
    household_in(world.groups[0], street="Phố Chưa Ai Đến")
    client.force_login(world.users["leader"])
    page = client.get(_page_url(world.teams[0])).context["page"]
    assert page.campaign is None
    assert set(page.totals) == {"today"}
    assert page.unvisited_count == 1


def test_unvisited_households_are_the_teams_own_not_yet_visited_in_the_campaign(
    client, world, team_work
):
    client.force_login(world.users["leader"])
    page = client.get(_page_url(team_work["team"])).context["page"]
    assert [household.pk for household in page.unvisited] == [team_work["unvisited"].pk]
    assert page.unvisited_count == 1


def test_review_flags_are_those_of_the_teams_members_only(client, world, team_work):
    ours = household_in(world.groups[0], street="Ngõ Bị Gắn Cờ")
    flagged = raw_visit(ours, world.users["volunteer"], status=VisitStatus.PENDING_REVIEW)
    VisitEdit.objects.create(
        visit=flagged, changes={"status": ["ok", "pending_review"], "flags": ["Lý do thử"]}
    )
    theirs = household_in(world.groups[3], street="Ngõ Tổ Hai Bị Gắn Cờ")
    outsider = member(world.groups[3], Role.VOLUNTEER, team=team_work["other"])
    raw_visit(theirs, outsider, status=VisitStatus.PENDING_REVIEW)
    client.force_login(world.users["leader"])
    response = client.get(_page_url(team_work["team"]))
    page = response.context["page"]
    assert page.flagged_count == 1
    assert [item.visit.pk for item in page.flagged] == [flagged.pk]
    assert page.flagged[0].reasons == ["Lý do thử"]
    assert "Ngõ Tổ Hai Bị Gắn Cờ" not in response.content.decode()


def test_a_leader_cannot_open_another_team(client, world, team_work):
    client.force_login(world.users["leader"])
    assert client.get(_page_url(team_work["other"])).status_code == 404


def test_a_member_who_is_not_the_leader_is_refused(client, world):
    client.force_login(world.users["volunteer"])
    assert client.get(_page_url(world.teams[0])).status_code == 403


def test_the_leader_of_another_team_who_serves_in_this_one_cannot_open_it(client, world):
    leader2 = member(world.groups[3], Role.TEAM_LEADER, team=world.teams[1])
    Membership.objects.create(
        user=leader2, role=Role.VOLUNTEER, area=world.groups[0], team=world.teams[0]
    )
    client.force_login(leader2)
    assert client.get(_page_url(world.teams[0])).status_code == 404
    assert client.get(_page_url(world.teams[1])).status_code == 200


def test_ward_coordinator_opens_the_wards_teams_not_another_wards(client, world):
    client.force_login(world.users["ward"])
    assert client.get(_page_url(world.teams[0])).status_code == 200
    other = world.other_ward.teams.first()
    assert client.get(_page_url(other)).status_code == 404


def test_the_menu_and_home_lead_the_leader_to_his_team(client, world):
    client.force_login(world.users["leader"])
    home = client.get(reverse("home")).content.decode()
    assert reverse("campaigns:my-team") in home
    assert _page_url(world.teams[0]) in home
    response = client.get(reverse("campaigns:my-team"))
    assert response.status_code == 302
    assert response.url == _page_url(world.teams[0])


def test_team_list_shows_the_leaders_own_team(client, world):
    """His role sits at a residential group, below the ward teams are looked up by."""
    client.force_login(world.users["leader"])
    content = client.get(reverse("volunteers:team-list")).content.decode()
    assert "Tổ CNS cộng đồng số 1" in content
    assert "Chưa có tổ nào" not in content
    assert "Tổ CNS Hoàng Liệt 1" not in content
    assert _page_url(world.teams[0]) in content


def _grow(world, team, count: int) -> None:
    for number in range(count):
        volunteer = member(world.groups[1], Role.VOLUNTEER, team=team, full_name=f"Thêm {number}")
        for _ in range(3):
            raw_visit(household_in(world.groups[1]), volunteer)
        flagged = raw_visit(household_in(world.groups[0]), volunteer, status="pending_review")
        VisitEdit.objects.create(visit=flagged, changes={"flags": ["x"]})


def test_the_page_query_count_does_not_grow_with_members_or_visits(
    client, world, team_work, django_assert_max_num_queries
):
    team = team_work["team"]
    client.force_login(world.users["leader"])
    _grow(world, team, 1)
    client.get(_page_url(team))  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(_page_url(team)).status_code == 200
    _grow(world, team, 6)
    with django_assert_max_num_queries(len(small)):
        response = client.get(_page_url(team))
    assert len(response.context["page"].members) == 3 + 7
