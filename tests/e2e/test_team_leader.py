"""The team leader on a 360×740 phone: from the menu to his team's page, which shows his team's
visit and not another team's, in cards that fit the screen (issue 14)."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import member
from tests.workspace.factories import assignment_of, household_in, visit_to
from volunteers.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 360, 740


def test_leader_opens_his_team_from_the_menu_and_sees_its_visit_only(
    page: Page, world, sign_in, live_server
):
    team, other = world.teams[0], world.teams[1]
    assignment_of(world.groups[0], world.ward, team=team)
    assignment_of(world.groups[3], world.ward, team=other)
    visit_to(household_in(world.groups[0], street="Ngõ 90 Kim Giang"), world.users["volunteer"])
    stranger = member(world.groups[3], Role.VOLUNTEER, team=other, full_name="Người Tổ Hai")
    visit_to(household_in(world.groups[3], street="Ngõ 118 Định Công Hạ"), stranger)

    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, "totruong@tungnha.vn")
    page.locator(".menu summary").click()
    page.locator(".menu").get_by_role("link", name="Tổ của tôi").click()

    expect(page.get_by_role("heading", name=team.name, level=1)).to_be_visible()
    visits = page.locator("[data-team-visits]")
    expect(visits).to_contain_text("Ngõ 90 Kim Giang")
    expect(visits).to_contain_text("Đỗ Thị Mai")
    expect(page.locator("body")).not_to_contain_text("Ngõ 118 Định Công Hạ")
    expect(page.locator("body")).not_to_contain_text("Người Tổ Hai")
    expect(page.locator("[data-period=today]")).to_contain_text("1 lượt thăm")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
