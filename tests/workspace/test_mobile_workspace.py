"""The workspace on a 360 px phone: a confirmed release, a marked tab, folded filters, and table
cells that carry their column's label so a row can show as a card."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.campaigns.factories import CURRENT_DAY, campaign_for, record, target

from .factories import assignment_of, household_in, visit_to

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    """Every start tag with its attributes and the text up to its end tag (nesting ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in {"input", "br", "meta", "link", "img"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def elements(response, tag: str, **attrs) -> list[dict]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return [
        element
        for element in parser.elements
        if element["tag"] == tag
        and all(element["attrs"].get(name.replace("_", "-")) == v for name, v in attrs.items())
    ]


def filter_boxes(response) -> list[dict]:
    return [d for d in elements(response, "details") if "filter-box" in d["attrs"].get("class", "")]


@pytest.fixture
def coordinator(login, world):
    return login(world.users["ward"])


# --- Release needs a confirmation -------------------------------------------------------------
def test_releasing_an_assignment_asks_first_and_says_the_group_leaves_their_list(
    coordinator, world
):
    team = world.teams[2]
    assignment_of(world.groups[5], world.ward, team=team)
    response = coordinator.get(reverse("workspace:assignments", args=[world.ward.pk]))
    [form] = [
        form
        for form in elements(response, "form")
        if "/release/" in form["attrs"].get("action", "")
    ]
    assert form["attrs"]["onsubmit"] == "return window.confirm(this.dataset.confirm)"
    question = form["attrs"]["data-confirm"]
    assert team.name in question
    assert world.groups[5].name in question
    assert "không còn thấy" in question
    [button] = [b for b in elements(response, "button") if b["text"].strip() == "Thu hồi"]
    assert "link" not in button["attrs"].get("class", "")


def test_a_release_still_goes_through_once_confirmed(coordinator, world):
    assignment = assignment_of(world.groups[5], world.ward, team=world.teams[2])
    response = coordinator.post(reverse("workspace:assignment-release", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.released_at is not None


# --- The current tab --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("workspace:ward", None),
        ("workspace:team-list", "Tổ CNS"),
        ("workspace:volunteer-list", "Tình nguyện viên"),
        ("workspace:assignments", "Phân công"),
        ("workspace:coverage", "Độ phủ"),
        ("workspace:household-list", "Hộ gia đình"),
        ("workspace:visit-list", "Lượt thăm"),
        ("workspace:review", "Cần kiểm tra"),
    ],
)
def test_the_current_tab_is_marked_and_only_it(coordinator, world, url_name, label):
    url = reverse(url_name, args=[world.ward.pk])
    response = coordinator.get(url)
    tabs = [a for a in elements(response, "a") if a["attrs"].get("aria-current")]
    tabs = [a for a in tabs if a["attrs"]["href"].startswith("/workspace/")]
    assert len(tabs) == 1
    assert tabs[0]["attrs"]["aria-current"] == "page"
    assert tabs[0]["attrs"]["href"] == url
    assert tabs[0]["text"].strip() == (label or world.ward.name)


def test_a_page_under_a_tab_marks_that_tab_as_its_section(coordinator, world):
    response = coordinator.get(reverse("workspace:team-detail", args=[world.teams[0].pk]))
    [tab] = [a for a in elements(response, "a") if a["attrs"].get("aria-current")]
    assert tab["attrs"]["aria-current"] == "true"
    assert tab["attrs"]["href"] == reverse("workspace:team-list", args=[world.ward.pk])


# --- Filters fold away ------------------------------------------------------------------------
@pytest.mark.parametrize("url_name", ["workspace:household-list", "workspace:visit-list"])
def test_filters_are_folded_until_one_is_used(coordinator, world, url_name):
    url = reverse(url_name, args=[world.ward.pk])
    [folded] = filter_boxes(coordinator.get(url))
    assert "open" not in folded["attrs"]
    assert folded["text"].strip().startswith("Lọc danh sách")
    # Sorting or paging is not filtering.
    [still_folded] = filter_boxes(coordinator.get(url, {"sort": "area"}))
    assert "open" not in still_folded["attrs"]
    [opened] = filter_boxes(coordinator.get(url, {"area": world.groups[1].pk}))
    assert "open" in opened["attrs"]


def test_volunteer_filters_fold_too_and_open_on_a_search(coordinator, world):
    url = reverse("workspace:volunteer-list", args=[world.ward.pk])
    [folded] = filter_boxes(coordinator.get(url))
    assert "open" not in folded["attrs"]
    [opened] = filter_boxes(coordinator.get(url, {"q": "Mai"}))
    assert "open" in opened["attrs"]


# --- Cells know their column, for the card layout ----------------------------------------------
def test_household_and_visit_cells_carry_their_column_label(coordinator, world):
    household = household_in(world.groups[0], number="12", street="Phố Kim Giang")
    visit_to(household, world.users["volunteer"])
    households = coordinator.get(reverse("workspace:household-list", args=[world.ward.pk]))
    labels = [td["attrs"].get("data-label") for td in elements(households, "td")]
    assert labels[:5] == [
        "Địa chỉ",
        "Tổ dân phố",
        "Nhân khẩu",
        "Tình trạng số",
        "Lần thăm gần nhất",
    ]
    [wrapper] = elements(households, "div", id="list-table")
    assert "stack" in wrapper["attrs"]["class"].split()

    visits = coordinator.get(reverse("workspace:visit-list", args=[world.ward.pk]))
    [day] = elements(visits, "td", data_label="Ngày")
    assert day["text"].strip().count("/") == 2


def test_the_htmx_table_swap_keeps_the_labels_and_its_target(coordinator, world):
    household_in(world.groups[0], number="3")
    response = coordinator.get(
        reverse("workspace:household-list", args=[world.ward.pk]), HTTP_HX_REQUEST="true"
    )
    assert not filter_boxes(response)  # only the table
    [wrapper] = elements(response, "div", id="list-table")
    assert "stack" in wrapper["attrs"]["class"].split()
    assert elements(response, "td", data_label="Tổ dân phố")


def test_team_and_volunteer_tables_use_the_same_card_layout(coordinator, world):
    for url_name, label in (("team-list", "Thành viên"), ("volunteer-list", "Số điện thoại")):
        response = coordinator.get(reverse(f"workspace:{url_name}", args=[world.ward.pk]))
        assert elements(response, "td", data_label=label)


def test_coverage_cells_carry_their_column_label(coordinator, world):
    household_in(world.groups[0])
    response = coordinator.get(reverse("workspace:coverage", args=[world.ward.pk]))
    assert elements(response, "div", **{"class": "table-wrap stack"})
    first_row = elements(response, "tr", data_group=str(world.groups[0].pk))
    assert first_row
    labels = {td["attrs"].get("data-label") for td in elements(response, "td")}
    assert {"Số hộ", "Đã thăm", "Chưa thăm", "Tỷ lệ (%)", "Người/tổ phụ trách"} <= labels


# --- The campaign ranking on a phone -----------------------------------------------------------
def test_campaign_ranking_names_each_figure_for_the_card_layout(login, world):
    campaign = campaign_for(world.city)
    target(campaign, world.groups[0], "households_visited", 10)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=4)
    # The table of every indicator, as the ward's dashboard fetches it when its box is opened.
    response = login(world.users["city"]).get(
        reverse("campaigns:area-table", args=[campaign.pk, world.ward.pk]),
        headers={"HX-Request": "true"},
    )
    wrapper = next(
        d for d in elements(response, "div") if "cells-stack" in d["attrs"].get("class", "")
    )
    style = wrapper["attrs"]["style"]
    assert "--l2: 'Lượt hộ gia đình được tiếp cận';" in style
    assert elements(response, "td", data_label="% chỉ tiêu")
