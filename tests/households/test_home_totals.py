"""The volunteer's home totals: each number with its unit, today next to the running campaign,
and the visit's counts under their own indicator's name (DOMAIN.md)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from households.selectors import volunteer_totals
from tests.campaigns.factories import campaign_for

from .factories import household_in, visit_for

pytestmark = pytest.mark.django_db


def _cells(content: str, indicator: str) -> list[str]:
    row = re.search(rf'<tr data-indicator="{indicator}">(.*?)</tr>', content, re.S).group(1)
    return [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def _stat(content: str, period: str) -> str:
    block = re.search(rf'data-period="{period}">(.*?)</div>', content, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.fixture
def days():
    today = timezone.localdate()
    return today, today - datetime.timedelta(days=2), today - datetime.timedelta(days=9)


def _at(day: datetime.date) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(9))
    return timezone.make_aware(moment) if day != timezone.localdate() else timezone.now()


def test_today_and_this_campaign_side_by_side_with_units(world, login, days):
    today, this_week, before = days
    campaign_for(world.city, name="Đợt cao điểm tháng này", start=this_week, end=today)
    volunteer = world.users["volunteer"]
    for day, counts in (
        (today, {"install_guidance": 2, "level2_coaching": 1}),
        (this_week, {"install_guidance": 1, "level1_activations": 3}),
        (before, {"install_guidance": 4}),  # before the campaign began
    ):
        visit_for(household_in(world.groups[0]), volunteer, device_time=_at(day), **counts)
    visit_for(household_in(world.groups[0]), volunteer, result="not_home")
    content = login(volunteer).get(reverse("home")).content.decode()
    assert _stat(content, "today") == "Hôm nay 1 hộ 2 lượt thăm"
    assert _stat(content, "wide") == "Chiến dịch này · Đợt cao điểm tháng này 2 hộ 3 lượt thăm"
    assert _cells(content, "install_guidance") == ["2 lượt", "3 lượt"]
    assert _cells(content, "level1_activations") == ["0 lượt", "3 lượt"]
    assert _cells(content, "level2_coaching") == ["1 lượt", "1 lượt"]
    # Coaching a level-2 activation is named as such, never as a level-2 activation.
    assert "Hướng dẫn kích hoạt mức 2" in content
    assert "Kích hoạt định danh điện tử mức 2" not in content
    assert "· mức 2:" not in content  # the old label, under "Kích hoạt"


def test_without_a_running_campaign_the_second_column_says_everything_so_far(world, login, days):
    _today, _this_week, before = days
    campaign_for(world.city, name="Đợt đã qua", start=before - datetime.timedelta(5), end=before)
    volunteer = world.users["volunteer"]
    visit_for(household_in(world.groups[0]), volunteer, install_guidance=1)
    visit_for(household_in(world.groups[0]), volunteer, device_time=_at(before), install_guidance=4)
    totals = volunteer_totals(user=volunteer)
    assert "campaign" not in totals
    content = login(volunteer).get(reverse("home")).content.decode()
    assert _stat(content, "wide") == "Từ trước đến nay 2 hộ 2 lượt thăm"
    assert _cells(content, "install_guidance") == ["1 lượt", "5 lượt"]


def test_a_campaign_of_another_ward_is_not_this_volunteers(world, days):
    today, this_week, _before = days
    campaign_for(world.other_ward, name="Chỉ Hoàng Liệt", start=this_week, end=today)
    visit_for(household_in(world.groups[0]), world.users["volunteer"], install_guidance=1)
    assert "campaign" not in volunteer_totals(user=world.users["volunteer"])
