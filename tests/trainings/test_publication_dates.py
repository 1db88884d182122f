"""Documents carry their day of publication (counted on it, refused in the future); a post an
official enters counts as a post but not as that official taking part."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import AreaDayTally
from campaigns.tallies import raw_deltas, stored_tallies, tallies_diff, tallies_from_deltas
from trainings.models import Document
from trainings.samples import tiny_pdf
from trainings.services import document_add, post_add

pytestmark = pytest.mark.django_db

PAST = datetime.date(2023, 3, 20)


def day_row(area, day):
    return AreaDayTally.objects.filter(area=area, day=day).first()


def test_a_document_of_a_past_campaign_counts_on_its_day_of_publication(world):
    document_add(
        user=world.users["city"],
        area=world.legacy_ward,
        title="Cẩm nang VNeID 2023",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
        published_on=PAST,
    )
    assert day_row(world.legacy_city, PAST).documents_added == 1
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []


def test_a_document_dated_in_the_future_is_refused_and_nothing_is_kept(world):
    with pytest.raises(ValidationError) as refused:
        document_add(
            user=world.users["ward"],
            area=world.ward,
            title="Sắp phát hành",
            upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
            published_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "tương lai" in refused.value.message_dict["published_on"][0]
    assert not Document.objects.exists()


def test_without_a_date_a_document_counts_today(world):
    document = document_add(
        user=world.users["ward"],
        area=world.ward,
        title="Hôm nay",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
    )
    assert document.published_on == timezone.localdate()


def test_the_migration_puts_existing_documents_on_the_day_they_were_added(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "trainings.migrations.0007_document_published_on_post_author_participates"
    )
    document = document_add(
        user=world.users["ward"],
        area=world.ward,
        title="Cũ",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
    )
    added = timezone.make_aware(datetime.datetime(2023, 3, 5, 23, 30))
    Document.objects.filter(pk=document.pk).update(created_at=added, published_on=PAST)
    migration.published_on_the_day_added(apps, None)
    document.refresh_from_db()
    assert document.published_on == timezone.localtime(added).date()


def test_a_post_entered_by_an_official_counts_the_post_not_the_official(world):
    today = timezone.localdate()
    before = day_row(world.ward, today)
    participations = before.volunteer_participations if before else 0
    post = post_add(
        user=world.users["ward"],
        area=world.ward,
        platform="facebook",
        url="https://facebook.com/doan/posts/chinh-thuc",
        published_on=today,
    )
    assert post.author_participates is False
    row = day_row(world.ward, today)
    assert row.awareness_posts >= 1
    assert row.volunteer_participations == participations
    volunteer_post = post_add(
        user=world.users["volunteer"],
        area=world.groups[0],
        platform="zalo",
        url="https://zalo.me/doan/bai-2",
        published_on=today,
    )
    assert volunteer_post.author_participates is True
    row.refresh_from_db()
    assert row.volunteer_participations == participations + 1
    assert tallies_diff(tallies_from_deltas(raw_deltas()), stored_tallies()) == []
