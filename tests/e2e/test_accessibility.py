"""Issue 18: axe-core (WCAG 2.1 A/AA and 24×24 px targets) over the pages of every role and the
error states of the main forms, on a 360×740 phone. One sign-in per role; every page's
violations are gathered and reported together, so one run names everything to fix."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.campaigns.factories import campaign_for
from tests.e2e.axe import axe_violations, describe
from tests.trainings.factories import planned
from tests.workspace.factories import assignment_of, household_in, visit_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def audit(page: Page, base: str, paths: list[str]) -> None:
    problems = []
    for path in paths:
        response = page.goto(base + path)
        assert response is not None, path
        assert response.ok, f"{path}: {response.status}"
        page.wait_for_timeout(150)  # the page's scripts draw their parts (the outbox bar)
        if found := axe_violations(page):
            problems.append(f"== {path}\n{describe(found)}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def scene(world):
    """A ward with an assignment, a household with a visit, a session and a campaign."""
    assignment_of(world.groups[0], world.ward, volunteer=world.users["volunteer"])
    assignment_of(world.groups[1], world.ward, team=world.teams[0])
    household = household_in(world.groups[0], street="Ngõ 90 Kim Giang")
    visit = visit_to(household, world.users["volunteer"])
    session = planned(user=world.users["ward"], area=world.ward)
    campaign = campaign_for(world.city)
    return {"household": household, "visit": visit, "session": session, "campaign": campaign}


def test_volunteer_pages_pass_axe(page: Page, world, scene, sign_in, live_server):
    sign_in(page, "tnv@tungnha.vn")
    household = scene["household"]
    audit(
        page,
        live_server.url,
        [
            "/",
            reverse("households:list"),
            household.get_absolute_url(),
            reverse("households:create"),
            reverse("households:edit", args=[household.pk]),
            reverse("households:my-visits"),
            reverse("households:visit-edit", args=[scene["visit"].pk]),
            reverse("households:outbox"),
            reverse("trainings:list"),
            reverse("trainings:documents"),
            reverse("trainings:outbox"),
        ],
    )


def test_team_leader_pages_pass_axe(page: Page, world, scene, sign_in, live_server):
    sign_in(page, "totruong@tungnha.vn")
    audit(
        page,
        live_server.url,
        [
            "/",
            reverse("campaigns:team", args=[world.teams[0].pk]),
            reverse("volunteers:team-list"),
        ],
    )


def test_ward_coordinator_pages_pass_axe(page: Page, world, scene, sign_in, live_server):
    sign_in(page, "phuong@tungnha.vn")
    ward = world.ward.pk
    audit(
        page,
        live_server.url,
        [
            "/",
            reverse("workspace:ward", args=[ward]),
            reverse("workspace:team-list", args=[ward]),
            reverse("workspace:team-detail", args=[world.teams[0].pk]),
            reverse("workspace:volunteer-list", args=[ward]),
            reverse("workspace:assignments", args=[ward]),
            reverse("workspace:assignment-create", args=[ward]),
            reverse("workspace:household-list", args=[ward]),
            reverse("workspace:visit-list", args=[ward]),
            reverse("workspace:review", args=[ward]),
            reverse("trainings:create"),
            scene["session"].get_absolute_url(),
            reverse("trainings:report", args=[scene["session"].pk]),
        ],
    )


def test_officials_and_administrator_pages_pass_axe(page: Page, world, scene, sign_in, live_server):
    campaign = scene["campaign"]
    sign_in(page, "thanhdoan@tungnha.vn")
    audit(
        page,
        live_server.url,
        [
            "/",
            reverse("campaigns:list"),
            reverse("campaigns:detail", args=[campaign.pk]),
            reverse("campaigns:create"),
        ],
    )
    page.context.clear_cookies()
    sign_in(page, "quandoan@tungnha.vn")
    audit(page, live_server.url, ["/", reverse("campaigns:list")])
    page.context.clear_cookies()
    sign_in(page, "admin@tungnha.vn")
    audit(page, live_server.url, ["/", reverse("campaigns:api-tokens")])


def test_axe_reports_an_unlabelled_field_and_a_tiny_target(page: Page):
    """The checker itself: a page with known faults must fail."""
    page.set_content(
        '<html lang="vi"><head><title>t</title></head><body><main><input type="text">'
        '<p><a href="#a" style="display:inline-block;width:8px;height:8px"></a>'
        '<a href="#b" style="display:inline-block;width:8px;height:8px">b</a></p>'
        "</main></body></html>"
    )
    found = {v["id"] for v in axe_violations(page)}
    assert {"label", "target-size"} <= found
