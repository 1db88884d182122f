import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.activity import PRESENCE, Indicator, activity_changed
from households.models import Household, StatusChange, Visit, VisitEdit, VisitStatus
from households.services import (
    Conflict,
    household_create,
    household_update,
    visit_edit,
    visit_record,
    visit_review,
)

from .factories import household_in, visit_data, visit_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def deltas():
    seen = []

    def receiver(sender, deltas, **kwargs):
        seen.extend(deltas)

    activity_changed.connect(receiver, weak=False, dispatch_uid="test-households")
    yield seen
    activity_changed.disconnect(dispatch_uid="test-households")


@pytest.fixture
def volunteer(world):
    return world.users["volunteer"]


@pytest.fixture
def household(world):
    return household_in(world.groups[0], members=3)


def address(**extra):
    return {"house_number": "12", "alley": "Ngõ 5", "street": "Định Công", "members": 3, **extra}


# --- Households ------------------------------------------------------------------------------
def test_household_create_is_idempotent_by_client_id(world, volunteer):
    client_id = uuid.uuid4()
    first, created = household_create(
        user=volunteer, area=world.groups[0], data=address(), client_id=client_id
    )
    again, created_again = household_create(
        user=volunteer, area=world.groups[0], data=address(), client_id=client_id
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert first.created_by == volunteer
    assert first.changes.count() == 1


def test_household_create_with_changed_payload_under_known_id_conflicts(world, volunteer):
    client_id = uuid.uuid4()
    household_create(user=volunteer, area=world.groups[0], data=address(), client_id=client_id)
    with pytest.raises(Conflict):
        household_create(
            user=volunteer, area=world.groups[0], data=address(members=9), client_id=client_id
        )
    assert Household.objects.get(client_uuid=client_id).members == 3


def test_household_outside_volunteer_areas_is_refused_and_nothing_written(world, volunteer):
    with pytest.raises(ValidationError) as error:
        household_create(user=volunteer, area=world.other_groups[0], data=address())
    assert "area" in error.value.message_dict
    assert not Household.objects.filter(area=world.other_groups[0]).exists()


def test_same_address_in_same_group_warns_until_confirmed(world, volunteer):
    household_create(user=volunteer, area=world.groups[0], data=address())
    with pytest.raises(ValidationError) as error:
        household_create(user=volunteer, area=world.groups[0], data=address(house_number="Số 12"))
    assert "confirm_duplicate" in error.value.message_dict
    _household, created = household_create(
        user=volunteer, area=world.groups[0], data=address(), confirm_duplicate=True
    )
    assert created


def test_contact_details_need_recorded_consent(world, volunteer):
    data = address(contact_name="Bà Lan", contact_phone="0912345678")
    with pytest.raises(ValidationError):
        household_create(user=volunteer, area=world.groups[0], data=data)
    household, _created = household_create(
        user=volunteer, area=world.groups[0], data=data, consent=True
    )
    assert household.consent_by == volunteer
    assert household.consent_at is not None


def test_withdrawing_consent_erases_contact_and_records_the_change(world, volunteer):
    data = address(contact_name="Bà Lan", contact_phone="0912345678")
    household, _ = household_create(user=volunteer, area=world.groups[0], data=data, consent=True)
    household_update(household=household, user=volunteer, data=data, consent=False)
    household.refresh_from_db()
    assert household.contact_name == household.contact_phone == ""
    assert household.consent_at is None
    assert "contact_phone" in household.changes.first().changes


@pytest.mark.parametrize(
    "notes",
    [
        "CCCD 001093001234 của chủ hộ",
        "số 0010 9300 1234",
        "mã OTP 482913 đã gửi",
        "Mã xác thực: 123456",
        "mật khẩu: abc12345",
    ],
)
def test_notes_with_id_numbers_codes_or_passwords_are_refused(world, volunteer, notes):
    with pytest.raises(ValidationError) as error:
        household_create(user=volunteer, area=world.groups[0], data=address(notes=notes))
    assert "notes" in error.value.message_dict


def test_ordinary_notes_are_kept(world, volunteer):
    household, _ = household_create(
        user=volunteer,
        area=world.groups[0],
        data=address(notes="Ông bà 75 tuổi, gọi trước 0912345678, hẹn thứ 7"),
    )
    assert "75 tuổi" in household.notes


# --- Visits ----------------------------------------------------------------------------------
def test_visit_record_twice_with_same_payload_returns_the_same_visit(household, volunteer):
    client_id = uuid.uuid4()
    data = visit_data(install_guidance=1)
    first, created = visit_record(
        volunteer=volunteer, household=household, client_id=client_id, data=data
    )
    again, created_again = visit_record(
        volunteer=volunteer, household=household, client_id=client_id, data=data
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Visit.objects.filter(client_uuid=client_id).count() == 1


def test_a_form_without_a_device_time_posted_again_is_the_same_visit(
    household, volunteer, monkeypatch
):
    """The page without script sends no time; the server's own clock must not make the second
    post of the same form, a few seconds later, look like a changed payload."""
    client_id = uuid.uuid4()
    data = {"result": "helped", "install_guidance": 1, "status_to": ""}
    first, _ = visit_record(
        volunteer=volunteer, household=household, client_id=client_id, data=data
    )
    later = timezone.now() + datetime.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again, created = visit_record(
        volunteer=volunteer, household=household, client_id=client_id, data=data
    )
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(Conflict):
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=client_id,
            data={**data, "install_guidance": 2},
        )


@pytest.mark.parametrize("result", ["not_home", "refused", "come_back"])
def test_a_step_is_recorded_only_with_a_visit_that_helped(household, volunteer, result):
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(result=result, status_to="app_installed"),
        )
    assert "status_to" in error.value.message_dict
    household.refresh_from_db()
    assert household.digital_status == "none"
    assert not Visit.objects.exists()


def test_visit_record_with_changed_payload_conflicts_and_changes_nothing(
    household, volunteer, deltas
):
    client_id = uuid.uuid4()
    data = visit_data(install_guidance=1)
    visit_record(volunteer=volunteer, household=household, client_id=client_id, data=data)
    with pytest.raises(Conflict):
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=client_id,
            data={**data, "install_guidance": 2},
        )
    assert Visit.objects.get(client_uuid=client_id).install_guidance == 1
    assert len(deltas) == 1


def test_visit_counts_into_the_activity_tallies(household, volunteer, deltas):
    _visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(
            install_guidance=2,
            level1_activations=1,
            level2_coaching=1,
            dossiers_eid=1,
            dossiers_online=2,
            email=1,
            e_payment=1,
        ),
    )
    (delta,) = deltas
    assert delta.area_id == household.area_id
    assert delta.volunteer_id == volunteer.pk
    assert delta.day == timezone.localdate()
    assert delta.counts[Indicator.HOUSEHOLDS_VISITED] == 1
    assert delta.counts[Indicator.INSTALL_GUIDANCE] == 2
    assert delta.counts[Indicator.LEVEL2_ACTIVATIONS] == 1
    assert delta.counts[Indicator.DOSSIERS_TOTAL] == 3
    assert delta.counts[Indicator.DOSSIERS_ONLINE] == 2
    assert delta.counts[Indicator.OTHER_HELP] == 2


def test_nobody_at_home_does_not_count_as_household_reached(household, volunteer, deltas):
    visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(result="not_home"),
    )
    (delta,) = deltas  # the knock was work: a presence, and no indicator moves
    assert delta.volunteer_id == volunteer.pk
    assert {key: value for key, value in delta.counts.items() if value} == {PRESENCE: 1}


def test_teammates_at_the_door_each_get_a_presence_and_no_counts(
    household, world, volunteer, deltas
):
    teammate = world.users["volunteer2"]
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=2, teammates=[teammate.pk]),
    )
    by_volunteer = {delta.volunteer_id: delta.counts for delta in deltas}
    assert by_volunteer[volunteer.pk][Indicator.INSTALL_GUIDANCE] == 2
    assert by_volunteer[volunteer.pk][PRESENCE] == 1
    assert by_volunteer[teammate.pk] == {PRESENCE: 1}
    deltas.clear()
    visit_review(visit=visit, reviewer=world.users["ward"], approve=False)
    assert {delta.volunteer_id: delta.counts[PRESENCE] for delta in deltas} == {
        volunteer.pk: -1,
        teammate.pk: -1,
    }


def test_visit_in_march_2023_counts_in_the_legacy_group(world, volunteer, deltas):
    household = household_in(world.groups[0])
    march = datetime.datetime(2023, 3, 15, 9, 0, tzinfo=datetime.UTC)
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(device_time=march, install_guidance=1),
    )
    assert visit.area == world.legacy_groups[0]
    assert deltas[0].area_id == world.legacy_groups[0].pk
    assert deltas[0].day == datetime.date(2023, 3, 15)


def test_device_time_far_in_the_future_is_refused(household, volunteer):
    future = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(device_time=future),
        )
    assert "device_time" in error.value.message_dict
    assert not Visit.objects.exists()


def test_counts_above_members_need_confirmation_and_go_to_review(household, volunteer):
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(install_guidance=5),
        )
    assert "over_members_confirmed" in error.value.message_dict
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=5, over_members_confirmed=True),
    )
    assert visit.status == VisitStatus.PENDING_REVIEW


def test_nobody_home_with_people_helped_is_refused(household, volunteer):
    with pytest.raises(ValidationError):
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(result="not_home", install_guidance=1),
        )


def test_visit_outside_the_volunteers_areas_is_refused(world, volunteer):
    household = household_in(world.other_groups[0])
    with pytest.raises(ValidationError):
        visit_record(
            volunteer=volunteer, household=household, client_id=uuid.uuid4(), data=visit_data()
        )
    assert not Visit.objects.exists()


def test_status_moves_forward_one_step_with_history(household, volunteer):
    visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(status_to="app_installed", install_guidance=1),
    )
    household.refresh_from_db()
    assert household.digital_status == "app_installed"
    change = StatusChange.objects.get(household=household)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "none",
        "app_installed",
        volunteer,
    )


def test_level2_activated_before_registered_is_refused(household, volunteer):
    Household.objects.filter(pk=household.pk).update(digital_status="level1")
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(status_to="level2_activated", level2_coaching=1),
        )
    assert "công an" in error.value.message_dict["status_to"][0]
    household.refresh_from_db()
    assert household.digital_status == "level1"
    assert not Visit.objects.exists()


def test_skipped_step_is_refused_with_the_missing_step_named(household, volunteer):
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(status_to="level1", level1_activations=1),
        )
    assert "Đã cài ứng dụng VNeID" in error.value.message_dict["status_to"][0]


def test_step_already_reached_offline_by_a_teammate_is_harmless(household, volunteer):
    Household.objects.filter(pk=household.pk).update(digital_status="level1")
    _visit, created = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(status_to="app_installed", install_guidance=1),
    )
    household.refresh_from_db()
    assert created
    assert household.digital_status == "level1"


def test_edit_within_window_moves_tallies_by_the_difference(household, volunteer, deltas):
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=1),
    )
    visit_edit(
        visit=visit, editor=volunteer, data=visit_data(install_guidance=2, dossiers_online=1)
    )
    visit.refresh_from_db()
    assert visit.install_guidance == 2
    edit = VisitEdit.objects.get(visit=visit)
    assert edit.edited_by == volunteer
    assert edit.changes["install_guidance"] == [1, 2]
    total = sum(d.counts[Indicator.INSTALL_GUIDANCE] for d in deltas)
    online = sum(d.counts[Indicator.DOSSIERS_ONLINE] for d in deltas)
    assert (total, online) == (2, 1)


def test_edit_raising_counts_past_the_members_sends_the_visit_to_review(household, volunteer):
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=1),
    )
    visit_edit(visit=visit, editor=volunteer, data=visit_data(install_guidance=1, notes="Ổn"))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.OK  # a note: nothing unusual
    over = visit_data(install_guidance=5, over_members_confirmed=True)  # the household has 3
    visit_edit(visit=visit, editor=volunteer, data=over)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING_REVIEW
    assert visit.edits.order_by("edited_at").last().changes["status"] == [
        VisitStatus.OK,
        VisitStatus.PENDING_REVIEW,
    ]


def test_edit_after_the_window_or_by_another_volunteer_is_refused(household, world, volunteer):
    visit, _ = visit_record(
        volunteer=volunteer, household=household, client_id=uuid.uuid4(), data=visit_data()
    )
    with pytest.raises(ValidationError):
        visit_edit(visit=visit, editor=world.users["volunteer2"], data=visit_data(email=1))
    Visit.objects.filter(pk=visit.pk).update(
        received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    with pytest.raises(ValidationError):
        visit_edit(visit=visit, editor=volunteer, data=visit_data(email=1))


def test_team_leader_may_correct_a_team_visit(household, world, volunteer):
    visit, _ = visit_record(
        volunteer=volunteer, household=household, client_id=uuid.uuid4(), data=visit_data()
    )
    visit_edit(visit=visit, editor=world.users["leader"], data=visit_data(email=1))
    visit.refresh_from_db()
    assert visit.email == 1


def test_rejecting_a_visit_takes_it_out_of_the_tallies(household, world, volunteer, deltas):
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=1),
    )
    visit_review(visit=visit, reviewer=world.users["ward"], approve=False)
    assert sum(d.counts[Indicator.INSTALL_GUIDANCE] for d in deltas) == 0
    household.refresh_from_db()
    assert household.last_visit_at is None


def test_raw_source_yields_what_the_deltas_added(household, world, volunteer, deltas):
    from core.activity import ACTIVITY_SOURCES

    for count in (1, 2):
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(install_guidance=count),
        )
    recomputed = list(ACTIVITY_SOURCES["households"]())
    assert sum(d.counts[Indicator.INSTALL_GUIDANCE] for d in recomputed) == 3
    assert sum(d.counts[Indicator.INSTALL_GUIDANCE] for d in deltas) == 3


def test_teammates_must_belong_to_the_volunteers_team(household, world, volunteer):
    visit, _ = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(teammates=[world.users["volunteer2"].pk]),
    )
    assert list(visit.teammates.all()) == [world.users["volunteer2"]]
    with pytest.raises(ValidationError):
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(teammates=[world.users["other_ward"].pk]),
        )


def test_rejecting_a_visit_takes_back_its_status_step_and_approving_restores_it(
    household, world, volunteer
):
    ward = world.users["ward"]
    visit = visit_for(household, volunteer, status_to="app_installed", install_guidance=1)
    visit_review(visit=visit, reviewer=ward, approve=False)
    household.refresh_from_db()
    assert household.digital_status == "none"
    steps = list(household.status_changes.order_by("pk").values_list("from_status", "to_status"))
    assert steps == [("none", "app_installed"), ("app_installed", "none")]  # history kept
    visit_review(visit=visit, reviewer=ward, approve=True)
    household.refresh_from_db()
    assert household.digital_status == "app_installed"


def test_rejecting_a_visit_whose_step_a_later_visit_built_on_leaves_the_status(
    household, world, volunteer
):
    first = visit_for(household, volunteer, status_to="app_installed", install_guidance=1)
    visit_for(household, volunteer, status_to="level1", level1_activations=1)
    visit_review(visit=first, reviewer=world.users["ward"], approve=False)
    household.refresh_from_db()
    assert household.digital_status == "level1"


def test_rejecting_a_visit_leaves_a_step_that_another_counted_visit_also_reported(
    household, world, volunteer
):
    """A teammate's visit that reported the same step (made no move: the step was reached)
    is evidence of its own; rejecting the first visit does not take the step back."""
    first = visit_for(household, volunteer, status_to="app_installed", install_guidance=1)
    visit_for(household, world.users["volunteer2"], status_to="app_installed", install_guidance=1)
    visit_review(visit=first, reviewer=world.users["ward"], approve=False)
    household.refresh_from_db()
    assert household.digital_status == "app_installed"
