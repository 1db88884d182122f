"""Sign-off by level: a ward submits, the level above approves or returns with a reason, the
city closes; frozen periods refuse every change of counts; each refusal changes nothing and
every change of state is in the history."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from areas.locks import is_locked, locks_refusals, period_lock_check, period_lock_refusal
from areas.models import Area, Level, PeriodLock
from campaigns.models import AreaDayTally, SignOff, SignOffEvent, SignOffState
from campaigns.selectors.signoffs import signoff_panel, signoff_states
from campaigns.signoff import (
    approving_unit,
    period_close,
    period_reopen,
    signoff_approve,
    signoff_return,
    signoff_submit,
    signoff_unlock,
)
from households.services import visit_edit
from households.sync import DOOR
from tests.factories import member
from tests.households.factories import household_in, visit_data, visit_for
from volunteers.models import Role

from .factories import LEGACY_DAY, campaign_for, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_month(world):
    return campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")


def legacy_group(world) -> Area:
    return Area.objects.filter(path__startswith=world.legacy_ward.path, level=Level.GROUP).first()


def nothing_changed(signoff_count: int, event_count: int, lock_count: int) -> None:
    assert SignOff.objects.count() == signoff_count
    assert SignOffEvent.objects.count() == event_count
    assert PeriodLock.objects.count() == lock_count


def counts() -> tuple[int, int, int]:
    return SignOff.objects.count(), SignOffEvent.objects.count(), PeriodLock.objects.count()


# --- The flow ---------------------------------------------------------------------------------
def test_ward_submits_district_approves_city_closes_youth_month_2023(world, youth_month):
    users = world.users
    signoff = signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    assert signoff.state == SignOffState.SUBMITTED
    assert is_locked(area=world.legacy_ward, day=LEGACY_DAY)
    assert approving_unit(area=world.legacy_ward) == world.legacy_district
    signoff = signoff_approve(user=users["district"], signoff=signoff)
    assert signoff.state == SignOffState.APPROVED
    assert signoff.decided_by == users["district"]
    closing = period_close(user=users["city"], area=world.legacy_city, campaign=youth_month)
    assert closing.state == SignOffState.CLOSED
    # The whole city is frozen for the campaign's days, not the days around it.
    other_ward = Area.objects.filter(era="legacy", level=Level.WARD).exclude(
        pk=world.legacy_ward.pk
    )
    assert is_locked(area=other_ward.first(), day=LEGACY_DAY)
    assert not is_locked(area=world.legacy_ward, day=datetime.date(2023, 4, 1))
    history = [
        (e.action, e.from_state, e.to_state, e.by.pk) for e in SignOffEvent.objects.order_by("pk")
    ]
    assert history == [
        ("submit", "", "submitted", users["ward"].pk),
        ("approve", "submitted", "approved", users["district"].pk),
        ("close", "", "closed", users["city"].pk),
    ]


def test_a_tally_on_a_frozen_day_is_refused_and_nothing_is_counted(world, youth_month):
    group = legacy_group(world)
    record(group, LEGACY_DAY, install_guidance=1)
    signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    with pytest.raises(ValidationError) as refused:
        record(group, LEGACY_DAY, install_guidance=5)
    assert "đã khóa" in refused.value.messages[0]
    assert world.legacy_ward.name in refused.value.messages[0]
    row = AreaDayTally.objects.get(area=world.legacy_ward, day=LEGACY_DAY)
    assert row.install_guidance == 1
    # Outside the period, or in another ward, work is still recorded.
    record(group, datetime.date(2023, 4, 2), install_guidance=1)
    elsewhere = Area.objects.filter(era="legacy", level=Level.WARD).exclude(
        pk=world.legacy_ward.pk
    )[0]
    record(elsewhere, LEGACY_DAY, install_guidance=1)


def test_locks_refusals_answers_a_batch_in_two_queries(
    world, youth_month, django_assert_num_queries
):
    """The function the per-day aggregate tallies call before writing a batch."""
    signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    group = legacy_group(world)
    pairs = [(group.pk, youth_month.start + datetime.timedelta(days=n)) for n in range(40)]
    with django_assert_num_queries(2):
        refusals = locks_refusals(pairs=pairs)
    assert len(refusals) == 31  # the days of March, not those of April
    with django_assert_num_queries(1):
        assert locks_refusals(pairs=[(group.pk, datetime.date(2024, 1, 1))]) == {}
    assert period_lock_refusal(area_id=group.pk, day=LEGACY_DAY)
    with pytest.raises(ValidationError):
        period_lock_check(area_id=group.pk, day=LEGACY_DAY)


def test_return_with_a_reason_opens_the_figures_again(world, youth_month):
    users = world.users
    signoff = signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        signoff_return(user=users["district"], signoff=signoff, reason="  ")
    assert "lý do" in refused.value.messages[0]
    nothing_changed(*before)
    signoff = signoff_return(user=users["district"], signoff=signoff, reason="Thiếu số hồ sơ")
    assert signoff.state == SignOffState.RETURNED
    assert not is_locked(area=world.legacy_ward, day=LEGACY_DAY)
    record(legacy_group(world), LEGACY_DAY, install_guidance=1)
    # Corrected, it is submitted again.
    assert signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month).state
    assert SignOffEvent.objects.filter(action="return", reason="Thiếu số hồ sơ").exists()


def test_unlock_needs_a_reason_and_the_approving_level(world, youth_month):
    users = world.users
    signoff = signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    signoff = signoff_approve(user=users["district"], signoff=signoff)
    before = counts()
    for user, reason in (
        (users["district"], ""),
        (users["ward"], "Sửa số"),
        (users["volunteer"], "x"),
    ):
        with pytest.raises(ValidationError):
            signoff_unlock(user=user, signoff=signoff, reason=reason)
        nothing_changed(*before)
    signoff = signoff_unlock(user=users["district"], signoff=signoff, reason="Sai số lớp học")
    assert signoff.state == SignOffState.RETURNED
    assert not is_locked(area=world.legacy_ward, day=LEGACY_DAY)
    event = SignOffEvent.objects.latest("pk")
    assert (event.action, event.reason, event.by) == ("unlock", "Sai số lớp học", users["district"])


# --- Refusals, for every role -----------------------------------------------------------------
@pytest.mark.parametrize("role", ["volunteer", "leader", "other_ward"])
def test_submitting_for_a_unit_outside_ones_area_is_refused(world, youth_month, role):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        signoff_submit(user=world.users[role], area=world.legacy_ward, campaign=youth_month)
    assert "ngoài địa bàn" in refused.value.messages[0]
    nothing_changed(*before)


def test_only_a_ward_submits(world, youth_month):
    with pytest.raises(ValidationError):
        signoff_submit(
            user=world.users["district"], area=world.legacy_district, campaign=youth_month
        )


@pytest.mark.parametrize("role", ["ward", "volunteer", "leader", "other_ward"])
def test_approval_by_anyone_but_the_level_above_is_refused(world, youth_month, role):
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        signoff_approve(user=world.users[role], signoff=signoff)
    assert "cấp trên trực tiếp" in refused.value.messages[0]
    nothing_changed(*before)
    assert SignOff.objects.get().state == SignOffState.SUBMITTED


def test_approving_ones_own_submission_is_refused(world, youth_month):
    district = world.users["district"]
    signoff = signoff_submit(user=district, area=world.legacy_ward, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        signoff_approve(user=district, signoff=signoff)
    assert "người gửi" in refused.value.messages[0]
    nothing_changed(*before)
    # Another person of the approving level (here the city, above it) may.
    assert signoff_approve(user=world.users["city"], signoff=signoff).state == "approved"


def test_submitting_twice_is_refused(world, youth_month):
    signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError):
        signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    nothing_changed(*before)


@pytest.mark.parametrize("role", ["ward", "district", "volunteer"])
def test_only_the_city_closes_and_reopens(world, youth_month, role):
    before = counts()
    with pytest.raises(ValidationError):
        period_close(user=world.users[role], area=world.legacy_city, campaign=youth_month)
    nothing_changed(*before)
    closing = period_close(user=world.users["city"], area=world.legacy_city, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError):
        period_reopen(user=world.users[role], signoff=closing, reason="Mở lại")
    with pytest.raises(ValidationError):
        period_reopen(user=world.users["city"], signoff=closing, reason="")
    nothing_changed(*before)
    period_reopen(user=world.users["city"], signoff=closing, reason="Bổ sung số liệu")
    assert not is_locked(area=world.legacy_ward, day=LEGACY_DAY)


def test_a_closed_period_refuses_submissions_and_decisions(world, youth_month):
    users = world.users
    signoff = signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    period_close(user=users["city"], area=world.legacy_city, campaign=youth_month)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        signoff_return(user=users["district"], signoff=signoff, reason="Sai")
    assert "khóa sổ" in refused.value.messages[0]
    nothing_changed(*before)


# --- After the reform: the city approves communes ---------------------------------------------
def test_after_the_reform_a_commune_is_approved_by_the_city(world):
    campaign = campaign_for(world.city, name="Cao điểm 2026")
    assert approving_unit(area=world.ward) == world.city
    signoff = signoff_submit(user=world.users["ward"], area=world.ward, campaign=campaign)
    with pytest.raises(ValidationError):
        signoff_approve(user=world.users["district"], signoff=signoff)  # Hoàng Mai is gone
    assert signoff_approve(user=world.users["city"], signoff=signoff).state == "approved"


def test_a_month_outside_campaigns_is_signed_off_in_its_era(world):
    month = datetime.date(2023, 4, 1)
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, month=month)
    assert signoff.period == (datetime.date(2023, 4, 1), datetime.date(2023, 4, 30))
    assert is_locked(area=world.legacy_ward, day=datetime.date(2023, 4, 30))
    assert not is_locked(area=world.legacy_ward, day=datetime.date(2023, 5, 1))
    with pytest.raises(ValidationError):
        signoff_submit(user=world.users["ward"], area=world.ward, month=month)  # wrong era
    future = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    with pytest.raises(ValidationError):
        signoff_submit(user=world.users["ward"], area=world.ward, month=future)


# --- Visits: the service, an edit, the sync door ----------------------------------------------
@pytest.fixture
def this_month_submitted(world):
    return signoff_submit(
        user=world.users["ward"], area=world.ward, month=timezone.localdate().replace(day=1)
    )


def test_a_visit_in_a_submitted_period_is_refused_with_a_clear_message(world, this_month_submitted):
    household = household_in(world.groups[0])
    with pytest.raises(ValidationError) as refused:
        visit_for(household, world.users["volunteer"], install_guidance=1)
    assert "đã khóa" in refused.value.messages[0]
    assert not household.visits.exists()


def test_an_edit_of_counts_in_a_locked_period_is_refused_a_note_is_not(world):
    volunteer = world.users["volunteer"]
    visit = visit_for(household_in(world.groups[0]), volunteer, install_guidance=1)
    signoff_submit(
        user=world.users["ward"], area=world.ward, month=timezone.localdate().replace(day=1)
    )
    with pytest.raises(ValidationError):
        visit_edit(visit=visit, editor=volunteer, data=visit_data(install_guidance=4))
    visit.refresh_from_db()
    assert visit.install_guidance == 1
    assert not visit.edits.exists()
    # A corrected note moves no figure: it is kept.
    visit_edit(
        visit=visit, editor=volunteer, data=visit_data(install_guidance=1, notes="Đã gọi lại")
    )


def test_the_sync_door_answers_a_locked_visit_with_its_own_refusal(world, this_month_submitted):
    household = household_in(world.groups[0])
    good = household_in(world.other_groups[0])  # another ward: still open
    other = member(world.other_groups[0], Role.VOLUNTEER, full_name="TNV Hoàng Liệt")
    item = {
        "type": "visit",
        "id": str(uuid.uuid4()),
        "data": {
            "household": household.pk,
            "result": "helped",
            "device_time": timezone.now().isoformat(),
            "install_guidance": 1,
        },
    }
    [answer] = DOOR.apply(user=world.users["volunteer"], items=[item])
    assert answer["status"] == "invalid"
    assert "đã khóa" in str(answer["errors"])
    item["id"], item["data"]["household"] = str(uuid.uuid4()), good.pk
    [answer] = DOOR.apply(user=other, items=[item])
    assert answer["status"] == "created"


# --- Reads --------------------------------------------------------------------------------------
def test_states_per_unit_in_two_queries(world, youth_month, django_assert_max_num_queries):
    signoff = signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=youth_month)
    signoff_approve(user=world.users["district"], signoff=signoff)
    wards = list(Area.objects.filter(path__startswith=world.legacy_district.path, level=Level.WARD))
    with django_assert_max_num_queries(2):
        states = signoff_states(campaign=youth_month, areas=wards)
    assert states[world.legacy_ward.pk].code == "approved"
    assert world.users["district"].full_name in states[world.legacy_ward.pk].who_when
    assert {states[w.pk].code for w in wards if w != world.legacy_ward} == {"not_sent"}
    with django_assert_max_num_queries(2):
        district = signoff_states(campaign=youth_month, areas=[world.legacy_district])
    summary = district[world.legacy_district.pk]
    assert summary.summary.startswith(f"1/{len(wards)}")


def test_the_panel_offers_each_role_what_it_may_do(world, youth_month):
    users = world.users
    ward_panel = signoff_panel(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    assert ward_panel["can_submit"]
    assert not ward_panel["waiting"]
    signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    district_panel = signoff_panel(
        user=users["district"], area=world.legacy_district, campaign=youth_month
    )
    assert [s.area for s in district_panel["waiting"]] == [world.legacy_ward]
    ward_panel = signoff_panel(user=users["ward"], area=world.legacy_ward, campaign=youth_month)
    assert not ward_panel["can_submit"]
    assert not ward_panel["waiting"]
    city_panel = signoff_panel(user=users["city"], area=world.legacy_city, campaign=youth_month)
    assert city_panel["can_close"]
    assert not signoff_panel(
        user=users["district"], area=world.legacy_district, campaign=youth_month
    )["can_close"]


def test_in_a_batch_the_locked_visit_alone_is_refused(world, this_month_submitted):
    """A phone's backlog: the frozen periods are read once for the batch, and each item still
    gets its own answer — the visit of a submitted month refused, last month's landing."""
    household = household_in(world.groups[0])
    now = timezone.now()
    last_month = (now.replace(day=1) - datetime.timedelta(days=3)).isoformat()

    def item(when):
        data = {"household": household.pk, "result": "helped", "install_guidance": 1}
        return {"type": "visit", "id": str(uuid.uuid4()), "data": {**data, "device_time": when}}

    answers = DOOR.apply(
        user=world.users["volunteer"], items=[item(now.isoformat()), item(last_month)]
    )
    assert [answer["status"] for answer in answers] == ["invalid", "created"]
    assert "đã khóa" in str(answers[0]["errors"])
    assert household.visits.count() == 1
