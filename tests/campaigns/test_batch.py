"""Several reads in one statement (campaigns.selectors.batch): each read's rows equal what the
ORM returns for the same queryset, typed alike, from a single query."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from areas.models import Area
from campaigns.models import AreaDayTally, Campaign, CampaignAreaTally, ReportJob, SignOff
from campaigns.selectors.batch import instance, read_of, read_together
from campaigns.signoff import signoff_submit

from .factories import CURRENT_DAY, campaign_for, record

pytestmark = pytest.mark.django_db


def test_reads_return_what_the_orm_returns_in_one_query(world):
    campaign_for(world.city)
    legacy = campaign_for(world.legacy_city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], install_guidance=2)
    signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=legacy)
    querysets = {
        # dates (some empty), text, small integers
        "areas": Area.objects.filter(path__startswith=world.ward.path).values_list(
            "id", "path", "name", "level", "valid_from", "valid_to"
        ),
        # dates and timestamps
        "campaigns": Campaign.objects.values_list("id", "start", "end", "updated_at"),
        "days": AreaDayTally.objects.filter(area=world.ward).values_list(
            "day", "install_guidance", "updated_at"
        ),
        # a join, nullable foreign keys and timestamps
        "signoffs": SignOff.objects.values_list(
            "id", "area__path", "submitted_by__full_name", "decided_by_id", "submitted_at"
        ),
        # an aggregate after the fields
        "grouped": CampaignAreaTally.objects.values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n"),
        "empty": ReportJob.objects.values_list("id", "created_at"),
    }
    with CaptureQueriesContext(connection) as queries:
        rows = read_together(**{name: read_of(qs) for name, qs in querysets.items()})
    assert len(queries) == 1
    for name, queryset in querysets.items():
        assert sorted(rows[name], key=repr) == sorted(queryset, key=repr), name
    assert rows["days"]
    assert rows["signoffs"]
    assert not rows["empty"]


def test_a_sliced_ordered_read_keeps_its_order_and_limit(world):
    queryset = Area.objects.filter(path__startswith=world.city.path).order_by("-path")
    rows = read_together(first=read_of(queryset.values_list("path")[:3]))["first"]
    assert rows == list(queryset.values_list("path")[:3])


def test_fields_it_cannot_carry_are_refused_not_guessed(world):
    with pytest.raises(TypeError):
        read_of(Campaign.objects.values_list("indicators"))  # JSON: ambiguous text
    with pytest.raises(ValueError, match="before the annotations"):
        read_of(
            CampaignAreaTally.objects.values("campaign_id")
            .annotate(n=Count("id"))
            .values_list("n", "campaign_id")
        )


def test_instances_take_their_values_by_name(world):
    area = instance(Area, name="X", level=3, id=7, path="0001")
    assert (area.pk, area.path, area.name, area.level) == (7, "0001", "X", 3)
