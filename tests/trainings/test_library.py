import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from core.activity import Indicator
from trainings.models import AwarenessPost, Document
from trainings.selectors import document_list_for
from trainings.services import document_add, document_delete, post_add, url_normalize

from .conftest import totals
from .factories import topics
from .files import BAD_UPLOADS, GOOD_UPLOADS

pytestmark = pytest.mark.django_db


def _stored() -> set[str]:
    try:
        return set(default_storage.listdir("trainings/documents")[1])
    except FileNotFoundError:
        return set()


@pytest.mark.parametrize("bad", BAD_UPLOADS, ids=lambda bad: bad.name)
def test_bad_upload_is_refused_with_a_clear_message_and_nothing_stored(world, recorded, bad):
    before = _stored()
    with pytest.raises(ValidationError) as error:
        document_add(
            user=world.users["volunteer"],
            area=world.groups[0],
            title="Tài liệu",
            upload=SimpleUploadedFile(bad.name, bad.content),
        )
    assert bad.message in " ".join(error.value.messages)
    assert not Document.objects.exists()
    assert _stored() == before
    assert recorded == []


@override_settings(TRAININGS_DOCUMENT_MAX_BYTES=1024)
def test_file_over_the_limit_is_refused_saying_the_limit(world):
    from trainings.samples import tiny_pdf

    big = tiny_pdf() + b"%" + b"x" * 2048
    with pytest.raises(ValidationError) as error:
        document_add(
            user=world.users["volunteer"],
            area=world.groups[0],
            title="Quá lớn",
            upload=SimpleUploadedFile("lon.pdf", big),
        )
    assert "vượt giới hạn" in " ".join(error.value.messages)
    assert "1,0" in " ".join(error.value.messages) or "1.0" in " ".join(error.value.messages)
    assert not Document.objects.exists()


@pytest.mark.parametrize(("name", "content", "kind"), GOOD_UPLOADS)
def test_good_upload_is_stored_by_its_content_type_and_counted(
    world, recorded, name, content, kind
):
    volunteer = world.users["volunteer"]
    document = document_add(
        user=volunteer,
        area=world.groups[0],
        title="Cẩm nang",
        upload=SimpleUploadedFile(name, content),
        topics=topics("internet", "email"),
    )
    assert document.kind == kind
    assert document.original_name == name
    assert document.file.name.startswith("trainings/documents/")
    assert not document.file.name.endswith(name)
    assert document.file.read() == content
    (delta,) = recorded
    assert delta.counts == {Indicator.DOCUMENTS_ADDED: 1}
    assert delta.day == timezone.localdate()
    assert delta.volunteer_id == volunteer.pk


def test_deleting_a_document_takes_its_count_back(world, recorded):
    document = document_add(
        user=world.users["ward"],
        area=world.ward,
        title="Cẩm nang",
        upload=SimpleUploadedFile(*GOOD_UPLOADS[0][:2]),
    )
    document_delete(user=world.users["ward"], document=document)
    assert totals(recorded, Indicator.DOCUMENTS_ADDED) == 0
    assert not Document.objects.exists()


def test_library_shows_materials_of_units_above_but_not_of_other_wards(world):
    def make(area, title):
        return document_add(
            user=world.users["admin"],
            area=area,
            title=title,
            upload=SimpleUploadedFile(*GOOD_UPLOADS[0][:2]),
        )

    city = make(world.city, "Của thành phố")
    ward = make(world.ward, "Của phường")
    other = make(world.other_ward, "Của phường khác")
    seen = set(document_list_for(user=world.users["volunteer"]))
    assert {city, ward} <= seen
    assert other not in seen


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.facebook.com/doan.dinhcong/posts/123/", "https://facebook.com/doan.dinhcong/posts/123"),
        ("HTTPS://Facebook.com/doan.dinhcong/posts/123?utm_source=zalo#top", "https://facebook.com/doan.dinhcong/posts/123"),
        ("https://m.youtube.com/watch?v=abc&fbclid=x", "https://youtube.com/watch?v=abc"),
        ("http://dinhcong.hoangmai.hanoi.gov.vn:80/tin-tuc/", "http://dinhcong.hoangmai.hanoi.gov.vn/tin-tuc"),
    ],
)  # fmt: skip
def test_url_is_normalized_to_one_spelling(raw, expected):
    assert url_normalize(raw) == expected


@pytest.mark.parametrize(
    "raw", ["javascript:alert(1)", "ftp://example.com/a", "facebook.com/abc", "https://", ""]
)
def test_non_http_url_is_refused_with_a_clear_message(world, recorded, raw):
    with pytest.raises(ValidationError) as error:
        post_add(
            user=world.users["volunteer"],
            area=world.groups[0],
            platform="facebook",
            url=raw,
            published_on=timezone.localdate(),
        )
    assert error.value.message_dict["url"]
    assert not AwarenessPost.objects.exists()
    assert recorded == []


def test_the_same_post_twice_is_refused_even_spelled_differently(world, recorded):
    kwargs = {
        "user": world.users["volunteer"],
        "area": world.groups[0],
        "platform": "zalo",
        "published_on": timezone.localdate(),
    }
    post_add(url="https://zalo.me/p/123", **kwargs)
    with pytest.raises(ValidationError) as error:
        post_add(url="https://zalo.me/p/123/?utm_campaign=x", **kwargs)
    assert "đã được ghi nhận" in error.value.message_dict["url"][0]
    assert AwarenessPost.objects.count() == 1
    assert totals(recorded, Indicator.AWARENESS_POSTS) == 1


def test_unique_constraint_holds_even_past_the_service(world):
    from django.db import IntegrityError, transaction

    post = post_add(
        user=world.users["volunteer"],
        area=world.groups[0],
        platform="tiktok",
        url="https://tiktok.com/@doan/video/1",
        published_on=timezone.localdate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AwarenessPost.objects.create(
            platform="tiktok",
            url=post.url,
            published_on=post.published_on,
            author=post.author,
            area=post.area,
        )


def test_post_in_the_future_or_with_negative_reach_is_refused(world):
    base = {
        "user": world.users["volunteer"], "area": world.groups[0], "platform": "youtube",
        "url": "https://youtube.com/watch?v=x",
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        post_add(published_on=timezone.localdate() + datetime.timedelta(days=2), **base)
    assert "tương lai" in error.value.message_dict["published_on"][0]
    with pytest.raises(ValidationError) as error:
        post_add(published_on=timezone.localdate(), reach=-5, **base)
    assert "số âm" in error.value.message_dict["reach"][0]
    assert not AwarenessPost.objects.exists()


def test_a_post_counts_on_its_publication_day_in_the_unit_as_it_stood(world, recorded):
    post_add(
        user=world.users["ward"],
        area=world.groups[2],
        platform="facebook",
        url="https://facebook.com/doan/posts/2023",
        published_on=datetime.date(2023, 3, 26),
    )
    (delta,) = recorded
    assert delta.area_id == world.legacy_groups[2].pk
    assert delta.day == datetime.date(2023, 3, 26)
    assert delta.counts == {Indicator.AWARENESS_POSTS: 1}
