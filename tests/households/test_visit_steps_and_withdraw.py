"""Several VNeID steps in one visit, and a visit withdrawn by its author: the household's chain,
the volunteer's totals and every tally (campaigns' included) move exactly."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import CampaignAreaTally
from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas
from households.forms import VisitForm
from households.models import StatusChange, Visit, VisitEdit, VisitStatus
from households.selectors import volunteer_totals
from households.services import (
    visit_can_edit,
    visit_can_withdraw,
    visit_record,
    visit_review,
    visit_steps_of,
    visit_withdraw,
)
from tests.campaigns.factories import campaign_for

from .factories import household_in, visit_data, visit_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(world):
    return world.users["volunteer"]


@pytest.fixture
def household(world):
    return household_in(world.groups[0], members=3)


def chain_moves(household) -> list[tuple[str, str]]:
    return list(household.status_changes.order_by("pk").values_list("from_status", "to_status"))


# --- Several steps ---------------------------------------------------------------------------
def test_steps_are_read_in_chain_order_from_a_string_or_a_list():
    assert visit_steps_of("level1") == ["level1"]
    assert visit_steps_of(["level1", "app_installed"]) == ["app_installed", "level1"]
    assert visit_steps_of("") == visit_steps_of(None) == []


def test_install_and_level1_in_one_visit_move_the_chain_twice(household, volunteer):
    visit = visit_for(household, volunteer, status_to=["app_installed", "level1"])
    household.refresh_from_db()
    assert household.digital_status == "level1"
    assert chain_moves(household) == [("none", "app_installed"), ("app_installed", "level1")]
    assert set(StatusChange.objects.values_list("visit_id", flat=True)) == {visit.pk}
    assert visit.status_to == "level1"


def test_the_form_counts_one_person_for_each_step_ticked():
    form = VisitForm(data={"result": "helped", "status_to": ["app_installed", "level1"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["install_guidance"] == 1
    assert form.cleaned_data["level1_activations"] == 1


def test_the_form_still_reads_one_step_sent_as_a_string_by_an_older_page():
    form = VisitForm(data={"result": "helped", "status_to": "app_installed"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["status_to"] == ["app_installed"]


def test_the_form_refuses_an_unknown_step_in_vietnamese():
    form = VisitForm(data={"result": "helped", "status_to": ["app_installed", "flying"]})
    assert not form.is_valid()
    assert form.errors["status_to"] == ["Bước không hợp lệ."]


def test_steps_with_a_gap_are_refused_and_nothing_is_written(household, volunteer):
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(status_to=["app_installed", "level2_registered"]),
        )
    assert "Đã kích hoạt định danh mức 1" in error.value.message_dict["status_to"][0]
    assert not Visit.objects.exists()
    household.refresh_from_db()
    assert household.digital_status == "none"


def test_steps_the_chain_does_not_allow_yet_are_refused_whole(household, volunteer):
    """Level 1 and level 2 registration for a household without the app: the first step is
    not allowed, so the visit is refused and no step of it is kept."""
    with pytest.raises(ValidationError) as error:
        visit_record(
            volunteer=volunteer,
            household=household,
            client_id=uuid.uuid4(),
            data=visit_data(status_to=["level1", "level2_registered"]),
        )
    assert "Đã cài ứng dụng VNeID" in error.value.message_dict["status_to"][0]
    assert not Visit.objects.exists()
    assert not StatusChange.objects.exists()


def test_a_step_already_reached_among_several_is_harmless(household, volunteer, world):
    visit_for(household, world.users["volunteer2"], status_to="app_installed")
    visit_for(household, volunteer, status_to=["app_installed", "level1"])
    household.refresh_from_db()
    assert household.digital_status == "level1"
    assert len(chain_moves(household)) == 2


def test_a_single_step_visit_keeps_its_fingerprint_as_a_string_or_a_list(household, volunteer):
    """A phone that queued a visit before several steps were possible resends it as a string:
    the same visit, not a conflict."""
    client_id = uuid.uuid4()
    moment = timezone.now()
    first, created = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=client_id,
        data=visit_data(status_to="app_installed", device_time=moment),
    )
    again, created_again = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=client_id,
        data=visit_data(status_to=["app_installed"], device_time=moment),
    )
    assert (created, created_again, first.pk) == (True, False, again.pk)


def test_rejecting_a_visit_of_two_steps_takes_both_back_and_approving_restores_them(
    household, volunteer, world
):
    visit = visit_for(household, volunteer, status_to=["app_installed", "level1"])
    visit_review(visit=visit, reviewer=world.users["ward"], approve=False)
    household.refresh_from_db()
    assert household.digital_status == "none"
    visit_review(visit=visit, reviewer=world.users["ward"], approve=True)
    household.refresh_from_db()
    assert household.digital_status == "level1"


# --- Withdrawal ------------------------------------------------------------------------------
def tallies_now() -> tuple:
    stored = stored_tallies()
    return (stored.areas, stored.volunteers, stored.campaign_areas, stored.campaign_volunteers)


def test_a_withdrawn_visit_leaves_every_total_as_before_it_was_logged(household, volunteer, world):
    campaign_for(world.city, start=timezone.localdate() - datetime.timedelta(days=3))
    visit_for(household_in(world.groups[1]), volunteer, install_guidance=1)  # stays
    before = (tallies_now(), volunteer_totals(user=volunteer))
    household_before = household.__class__.objects.get(pk=household.pk)
    visit = visit_for(
        household,
        volunteer,
        status_to=["app_installed", "level1"],
        install_guidance=1,
        level1_activations=1,
        dossiers_eid=1,
        teammates=[world.users["volunteer2"].pk],
    )
    assert CampaignAreaTally.objects.filter(level1_activations__gt=0).exists()
    assert (tallies_now(), volunteer_totals(user=volunteer)) != before

    visit_withdraw(visit=visit, user=volunteer)

    assert (tallies_now(), volunteer_totals(user=volunteer)) == before
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
    household.refresh_from_db()
    assert household.digital_status == household_before.digital_status == "none"
    assert household.last_visit_at == household_before.last_visit_at is None
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WITHDRAWN  # kept for the audit
    edit = VisitEdit.objects.get(visit=visit)
    assert (edit.edited_by, edit.changes) == (volunteer, {"status": ["ok", "withdrawn"]})


def test_only_the_author_withdraws_within_the_window(household, volunteer, world):
    visit = visit_for(household, volunteer, install_guidance=1)
    leader = world.users["leader"]
    assert visit_can_edit(visit=visit, user=leader)  # a team leader corrects...
    assert not visit_can_withdraw(visit=visit, user=leader)  # ...but does not take back
    with pytest.raises(ValidationError):
        visit_withdraw(visit=visit, user=leader)
    Visit.objects.filter(pk=visit.pk).update(
        received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    visit.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        visit_withdraw(visit=visit, user=volunteer)
    assert "24 giờ" in error.value.messages[0]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.OK


def test_a_withdrawn_visit_cannot_be_withdrawn_twice_edited_or_reviewed(
    household, volunteer, world
):
    visit = visit_for(household, volunteer, install_guidance=1)
    visit_withdraw(visit=visit, user=volunteer)
    visit.refresh_from_db()
    assert not visit_can_withdraw(visit=visit, user=volunteer)
    assert not visit_can_edit(visit=visit, user=volunteer)
    with pytest.raises(ValidationError):
        visit_withdraw(visit=visit, user=volunteer)
    with pytest.raises(ValidationError):
        visit_review(visit=visit, reviewer=world.users["ward"], approve=True)
    assert volunteer_totals(user=volunteer)["overall"]["visits"] == 0


def test_withdrawing_leaves_a_step_a_later_visit_built_on(household, volunteer, world):
    first = visit_for(household, volunteer, status_to="app_installed")
    visit_for(household, world.users["volunteer2"], status_to="level1")
    visit_withdraw(visit=first, user=volunteer)
    household.refresh_from_db()
    assert household.digital_status == "level1"


def test_withdrawing_the_latest_visit_puts_the_last_visit_back(household, volunteer):
    earlier = timezone.now() - datetime.timedelta(hours=2)
    visit_for(household, volunteer, device_time=earlier, result="not_home")
    latest = visit_for(household, volunteer, install_guidance=1)
    visit_withdraw(visit=latest, user=volunteer)
    household.refresh_from_db()
    assert household.last_visit_at == earlier
