"""Issue 18: axe-core (WCAG 2.1 A/AA and 24×24 px targets) over the pages of every role and the
error states of the main forms, on a 360×740 phone. One sign-in per role; every page's
violations are gathered and reported together, so one run names everything to fix."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.campaigns.factories import campaign_for
from tests.e2e.axe import assert_accessible, axe_violations, broken_references, problems_on
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
        if found := problems_on(page):
            problems.append(f"== {path}\n{found}")
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
            reverse("households:offline"),
            reverse("trainings:offline"),
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
            reverse("workspace:tally-grid", args=[ward]),
            reverse("workspace:import-start", args=[ward, "households"]),
            reverse("workspace:legacy-groups", args=[ward]),
            reverse("campaigns:month", args=[ward]),
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
            reverse("campaigns:print", args=[campaign.pk, campaign.scope_id]),
            reverse("campaigns:month", args=[campaign.scope_id]),
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


def test_broken_references_are_found(page: Page):
    page.set_content(
        '<main><p id="x">a</p><p id="x">b</p><label for="gone">c</label>'
        '<input id="i" aria-describedby="x nohelp"></main>'
    )
    assert set(broken_references(page)) == {
        "duplicate id x",
        "INPUT names no id nohelp",
        "label for missing id gone",
    }


# --- Error states: what a screen reader hears after a failed save ---------------------------


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_visit_form_left_incomplete_names_the_field_and_focuses_it(
    page: Page, world, scene, sign_in, live_server
):
    """The offline (JavaScript) path: no result chosen, nothing is queued, the error is read."""
    sign_in(page, "tnv@tungnha.vn")
    page.goto(live_server.url + scene["household"].get_absolute_url())
    form = page.locator("form[data-outbox=visit]")
    form.get_by_role("button", name="Lưu lượt thăm").click()

    summary = form.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Kết quả")
    radios = form.locator("input[name=result]")
    expect(radios.first).to_have_attribute("aria-invalid", "true")
    error_id = radios.first.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("chọn một mục")
    assert focused_id(page) == radios.first.get_attribute("id")
    assert page.evaluate("Outbox.all().then(items => items.length)") == 0
    assert_accessible(page, "the visit form with an error")
    # The volunteer's main actions are 44 px at least each way (24 is every target's floor).
    for target in [
        form.get_by_role("button", name="Lưu lượt thăm"),
        form.locator(".tap:not([hidden]) span"),
    ]:
        for i in range(target.count()):
            box = target.nth(i).bounding_box()
            assert box is not None
            assert min(box["width"], box["height"]) >= 44, box

    # The server's answer (the notes hold an ID number) lands on its field the same way.
    form.get_by_text("Đã hỗ trợ", exact=True).click()
    form.locator("summary").click()
    notes = form.locator("textarea[name=notes]")
    notes.fill("CCCD 001203004567")
    form.get_by_role("button", name="Lưu lượt thăm").click()
    expect(notes).to_have_attribute("aria-invalid", "true")
    assert focused_id(page) == notes.get_attribute("id")
    described = notes.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{i}").count() for i in described.split()), described
    expect(summary).to_contain_text("Ghi chú")
    assert_accessible(page, "the visit form with the server's error")


def test_visit_edit_server_errors_are_tied_to_the_result_radios(
    page: Page, world, scene, sign_in, live_server
):
    """The server-rendered path: the page comes back with the errors and focus on the field."""
    sign_in(page, "tnv@tungnha.vn")
    page.goto(live_server.url + reverse("households:visit-edit", args=[scene["visit"].pk]))
    page.evaluate("document.querySelectorAll('input[name=result]').forEach(r => r.checked = false)")
    with page.expect_navigation():
        page.evaluate("document.querySelector('main form').submit()")  # past the browser's checks

    group = page.locator("fieldset[role=radiogroup]")
    expect(group).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=result]").first).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_result_error")).to_contain_text("Chọn kết quả")
    expect(page.locator("[data-error-summary]")).to_contain_text("Kết quả")
    assert focused_id(page) == "id_result_0"
    assert_accessible(page, "the visit edit form with an error")


def test_assignment_form_errors_on_checkboxes_and_selects(
    page: Page, world, scene, sign_in, live_server
):
    # Nothing on this form is required on its own (groups or households; a volunteer or a
    # team), so the server finds what is missing and ties each error to its field.
    sign_in(page, "phuong@tungnha.vn")
    page.goto(live_server.url + reverse("workspace:assignment-create", args=[world.ward.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    wrong = page.locator('[aria-invalid="true"]:not(fieldset)')
    assert wrong.count() >= 2  # the group checkboxes and the volunteer select
    assert page.locator('select[name="volunteer"][aria-invalid="true"]').count() == 1
    assert focused_id(page) == wrong.first.get_attribute("id")
    assert_accessible(page, "the assignment form with the server's errors")


def test_household_and_login_errors_pass_axe(page: Page, world, scene, sign_in, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "tnv@tungnha.vn")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page, "the login form with an error")

    sign_in(page, "tnv@tungnha.vn")
    page.goto(live_server.url + reverse("households:create"))
    page.get_by_role("button", name="Thêm hộ").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert focused_id(page) == page.locator('[aria-invalid="true"]').first.get_attribute("id")
    assert_accessible(page, "the new household form with errors")


def test_training_plan_server_error_is_tied_to_its_field(
    page: Page, world, scene, sign_in, live_server
):
    """The trainings offline script's path: the server's answer lands on the end time."""
    sign_in(page, "tnv@tungnha.vn")
    page.goto(live_server.url + reverse("trainings:create"))
    form = page.locator("form[data-training-form=plan]")
    form.get_by_role("button", name="Lưu").click()  # nothing filled: the page's own checks
    expect(form.locator("[data-error-summary]")).to_contain_text("Ngày")
    assert focused_id(page) == form.locator(
        '[aria-invalid="true"]:not(fieldset)'
    ).first.get_attribute("id")

    form.get_by_label("Truy cập và sử dụng Internet").check()
    form.locator("input[name=day]").fill("2026-12-01")
    form.locator("input[name=start_time]").fill("10:00")
    form.locator("input[name=end_time]").fill("09:00")
    form.locator("select[name=area]").select_option(label="Tổ dân phố 1")
    form.get_by_role("button", name="Lưu").click()
    end = form.locator("input[name=end_time]")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[data-error-summary]")).to_contain_text("Giờ kết thúc")
    assert focused_id(page) == end.get_attribute("id")
    error = page.locator("#" + end.get_attribute("aria-describedby").split()[-1])
    expect(error).to_contain_text("phải sau giờ bắt đầu")
    assert_accessible(page, "the training plan form with the server's error")
