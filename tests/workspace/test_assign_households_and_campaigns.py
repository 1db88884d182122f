"""Single households given to a volunteer (not only whole groups), and the campaign of an
assignment chosen from the campaigns over the ward; free text typed before maps by migration."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from households.selectors import household_list_for
from tests.campaigns.factories import campaign_for
from volunteers.assignments import assignment_create
from volunteers.models import Assignment

from .factories import assignment_of, household_in, volunteer_in

pytestmark = pytest.mark.django_db

CREATE = "workspace:assignment-create"


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return campaign_for(
        world.city,
        name="Tháng cao điểm chuyển đổi số",
        start=today - datetime.timedelta(days=2),
        end=today + datetime.timedelta(days=30),
    )


# --- Single households -------------------------------------------------------------------------
def test_a_coordinator_gives_one_household_and_the_volunteers_list_then_has_it(world, login):
    volunteer = world.users["volunteer"]  # walks groups 0 and 1
    elsewhere = household_in(world.groups[4])
    assert elsewhere not in household_list_for(user=volunteer)
    response = login(world.users["ward"]).post(
        reverse(CREATE, args=[world.ward.pk]),
        {"households": [elsewhere.pk], "volunteer": volunteer.pk},
    )
    assert response.status_code == 302
    row = Assignment.objects.get(household_id=elsewhere.pk)
    assert (row.volunteer, row.area, row.ward) == (volunteer, None, world.ward)
    listing = login(world.users["ward"]).get(reverse("workspace:assignments", args=[world.ward.pk]))
    assert str(elsewhere) in listing.content.decode()  # its address, not an id
    volunteer = type(volunteer).objects.get(pk=volunteer.pk)  # a fresh request's user
    listed = list(household_list_for(user=volunteer))
    assert elsewhere in listed
    # A single household does not replace the groups they walk.
    assert household_in(world.groups[0]) in household_list_for(
        user=type(volunteer).objects.get(pk=volunteer.pk)
    )


def test_groups_and_households_go_together_and_the_page_lists_households(world, login):
    household = household_in(world.groups[5], street="Ngõ Tràng Tiền")
    household.search_key = "1 ngo trang tien"  # as the services store it (accent-free)
    household.save(update_fields=["search_key"])
    household_in(world.groups[5], street="Phố Khác")
    client = login(world.users["ward"])
    page = client.get(reverse(CREATE, args=[world.ward.pk]), {"q": "trang tien"})
    assert page.status_code == 200
    assert b'id="assign-households"' in page.content
    assert "Ngõ Tràng Tiền" in page.content.decode()
    assert "Phố Khác" not in page.content.decode()  # the search narrowed the list
    response = client.post(
        reverse(CREATE, args=[world.ward.pk]),
        {
            "groups": [world.groups[3].pk],
            "households": [household.pk],
            "team": world.teams[1].pk,
        },
    )
    assert response.status_code == 302
    rows = Assignment.objects.filter(team=world.teams[1], released_at__isnull=True)
    assert {(row.area_id, row.household_id) for row in rows} >= {
        (world.groups[3].pk, None),
        (None, household.pk),
    }


def test_a_household_of_another_ward_is_refused_and_nothing_is_given(world, login):
    outside = household_in(world.other_groups[0])
    response = login(world.users["ward"]).post(
        reverse(CREATE, args=[world.ward.pk]),
        {"households": [outside.pk], "volunteer": world.users["volunteer"].pk},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["households"]
    assert not Assignment.objects.filter(household_id=outside.pk).exists()


def test_nothing_chosen_is_refused(world, login):
    response = login(world.users["ward"]).post(
        reverse(CREATE, args=[world.ward.pk]), {"volunteer": world.users["volunteer"].pk}
    )
    assert response.status_code == 200
    assert "Chọn ít nhất một tổ dân phố hoặc một hộ." in response.content.decode()


@pytest.mark.parametrize(("key", "status"), [("volunteer", 403), ("leader", 403), ("nobody", 403)])
def test_field_roles_cannot_give_households(world, login, nobody, key, status):
    user = nobody if key == "nobody" else world.users[key]
    household = household_in(world.groups[4])
    response = login(user).post(
        reverse(CREATE, args=[world.ward.pk]),
        {"households": [household.pk], "volunteer": world.users["volunteer"].pk},
    )
    assert response.status_code == status
    assert not Assignment.objects.filter(household_id=household.pk).exists()


def test_another_wards_coordinator_cannot_give_this_wards_households(world, login):
    household = household_in(world.groups[4])
    response = login(world.users["other_ward"]).post(
        reverse(CREATE, args=[world.ward.pk]),
        {"households": [household.pk], "volunteer": world.users["volunteer"].pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.filter(household_id=household.pk).exists()


@pytest.mark.parametrize("key", ["district", "city"])
def test_units_above_give_households_in_their_wards(world, login, key):
    household = household_in(world.groups[4])
    response = login(world.users[key]).post(
        reverse(CREATE, args=[world.ward.pk]),
        {"households": [household.pk], "volunteer": world.users["volunteer"].pk},
    )
    if key == "district":  # the district union sits in the old tree: today's ward is not its own
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert Assignment.objects.filter(household_id=household.pk).exists()


# --- The campaign, from a list ----------------------------------------------------------------
def test_the_campaign_is_chosen_from_those_over_the_ward(world, login, campaign):
    other = campaign_for(world.other_ward, name="Chỉ ở Hoàng Liệt", start=campaign.start)
    client = login(world.users["ward"])
    page = client.get(reverse(CREATE, args=[world.ward.pk]))
    field = page.context["form"]["campaign"]
    assert "<select" in str(field)
    offered = {value for value, _label in field.field.choices}
    assert campaign.pk in offered
    assert other.pk not in offered
    response = client.post(
        reverse(CREATE, args=[world.ward.pk]),
        {
            "groups": [world.groups[5].pk],
            "volunteer": world.users["volunteer"].pk,
            "campaign": campaign.pk,
        },
    )
    assert response.status_code == 302
    row = Assignment.objects.get(area=world.groups[5], released_at__isnull=True)
    assert (row.campaign_id, row.campaign_label) == (campaign.pk, campaign.name)


def test_a_campaign_outside_the_ward_is_refused(world, login, campaign):
    other = campaign_for(world.other_ward, name="Chỉ ở Hoàng Liệt", start=campaign.start)
    response = login(world.users["ward"]).post(
        reverse(CREATE, args=[world.ward.pk]),
        {
            "groups": [world.groups[5].pk],
            "volunteer": world.users["volunteer"].pk,
            "campaign": other.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["campaign"]
    assert not Assignment.objects.filter(area=world.groups[5]).exists()
    # And the service refuses it too, whoever calls it.
    with pytest.raises(ValidationError):
        assignment_create(
            ward=world.ward,
            created_by=world.users["ward"],
            areas=[world.groups[5]],
            volunteer=world.users["volunteer"],
            campaign_id=other.pk,
        )


def test_a_closed_campaign_is_not_offered(world, login, campaign):
    campaign.status = "closed"
    campaign.save()
    page = login(world.users["ward"]).get(reverse(CREATE, args=[world.ward.pk]))
    assert campaign.pk not in {
        value for value, _label in page.context["form"]["campaign"].field.choices
    }


# --- The migration of typed campaigns -----------------------------------------------------------
def _migrate_labels() -> None:
    module = importlib.import_module("campaigns.migrations.0009_assignment_campaign_from_label")
    module.campaigns_from_labels(apps, None)


def test_typed_campaign_names_map_to_campaigns_and_others_stay_visible(world, campaign):
    volunteer = volunteer_in(world.groups[3])
    matched = assignment_of(world.groups[3], world.ward, volunteer=volunteer)
    Assignment.objects.filter(pk=matched.pk).update(
        campaign_label="  thang cao diem CHUYEN doi so "
    )
    unmatched = assignment_of(world.groups[4], world.ward, volunteer=volunteer)
    Assignment.objects.filter(pk=unmatched.pk).update(campaign_label="Đợt hè 2026")
    elsewhere = campaign_for(world.other_ward, name="Đợt riêng", start=campaign.start)
    wrong_ward = assignment_of(world.groups[5], world.ward, volunteer=volunteer)
    Assignment.objects.filter(pk=wrong_ward.pk).update(campaign_label="Đợt riêng")
    _migrate_labels()
    matched.refresh_from_db()
    unmatched.refresh_from_db()
    wrong_ward.refresh_from_db()
    assert (matched.campaign_id, matched.campaign_label) == (campaign.pk, campaign.name)
    assert (unmatched.campaign_id, unmatched.campaign_label) == (None, "Đợt hè 2026")
    assert (wrong_ward.campaign_id, wrong_ward.campaign_label) == (None, "Đợt riêng")
    assert elsewhere.pk != wrong_ward.campaign_id
    # Run again: nothing changes.
    _migrate_labels()
    matched.refresh_from_db()
    assert matched.campaign_id == campaign.pk


def test_the_migration_is_in_the_graph_and_nothing_is_left_to_migrate():
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
