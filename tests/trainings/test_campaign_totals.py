"""Done when: a document and a post added the same day appear in the campaign's totals."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.activity import Indicator
from trainings.samples import tiny_pdf
from trainings.services import document_add, post_add, session_report

from .factories import planned

pytestmark = pytest.mark.django_db

campaigns_selectors = pytest.importorskip("campaigns.selectors")
campaigns_models = pytest.importorskip("campaigns.models")


def _totals(world, day: datetime.date, area) -> dict:
    campaign = campaigns_models.Campaign(name="Đợt thử", start=day, end=day, scope=world.city)
    return campaigns_selectors.totals_by_area(campaign=campaign, area_ids=[area.pk])[area.pk]


def test_document_post_and_class_of_today_appear_in_the_wards_campaign_totals(world):
    today = timezone.localdate()
    before = _totals(world, today, world.ward)
    volunteer = world.users["volunteer"]
    document_add(
        user=volunteer,
        area=world.groups[0],
        title="Cẩm nang",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
    )
    post_add(
        user=volunteer,
        area=world.groups[1],
        platform="facebook",
        url="https://facebook.com/doan/posts/hom-nay",
        published_on=today,
    )
    session = planned(
        user=volunteer,
        area=world.groups[0],
        start=timezone.now() - datetime.timedelta(seconds=1),
    )
    session_report(user=volunteer, session=session, attendee_count=16)
    after = _totals(world, today, world.ward)
    assert after[Indicator.DOCUMENTS_ADDED] - before[Indicator.DOCUMENTS_ADDED] == 1
    assert after[Indicator.AWARENESS_POSTS] - before[Indicator.AWARENESS_POSTS] == 1
    assert after[Indicator.TRAININGS_HELD] - before[Indicator.TRAININGS_HELD] == 1
    assert after[Indicator.TRAINING_ATTENDEES] - before[Indicator.TRAINING_ATTENDEES] == 16


def test_every_trainer_of_a_held_class_participates_and_only_the_lead_carries_its_counts(world):
    from campaigns.models import AreaDayTally
    from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas

    today = timezone.localdate()

    def participations() -> int:
        row = AreaDayTally.objects.filter(area=world.ward, day=today).first()
        return row.volunteer_participations if row else 0

    lead, co_trainer = world.users["volunteer"], world.users["volunteer2"]
    before, held_before = participations(), _totals(world, today, world.ward)
    session = planned(
        user=lead,
        area=world.groups[0],
        start=timezone.now() - datetime.timedelta(seconds=1),
        trainers=[lead, co_trainer],
    )
    session_report(user=lead, session=session, attendee_count=12)
    assert participations() - before == 2
    held_after = _totals(world, today, world.ward)
    assert held_after[Indicator.TRAININGS_HELD] - held_before[Indicator.TRAININGS_HELD] == 1
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
