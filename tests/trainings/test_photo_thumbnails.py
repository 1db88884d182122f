"""Training photos: the lists load a small JPEG the server made (Pillow), not the original."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from trainings.models import SessionPhoto
from trainings.services import session_report
from trainings.thumbnails import THUMBNAIL_SIDE, thumbnail_bytes

from .factories import planned, png_upload

pytestmark = pytest.mark.django_db


def _camera_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A photo as a phone takes it: large and full of detail (noise does not compress)."""
    image = Image.effect_noise((width, height), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def _reported(world, photos):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=5, photos=photos)
    return session


def test_a_reported_photo_gets_a_small_thumbnail_and_the_page_lists_it(world, login):
    original = _camera_jpeg()
    assert len(original) > 2_000_000
    session = _reported(world, [SimpleUploadedFile("lop.jpg", original, "image/jpeg")])
    photo = session.photos.get()
    assert photo.thumbnail
    with photo.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert max(thumb.size) == THUMBNAIL_SIDE
        assert thumb.size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE * 3 // 4)
        assert thumb.format == "JPEG"
    client = login(world.users["volunteer"])
    page = client.get(reverse("trainings:detail", args=[session.pk])).content.decode()
    assert f'src="{photo.get_thumbnail_url()}"' in page
    assert f'src="{photo.get_absolute_url()}"' not in page  # the original only behind the link
    response = client.get(photo.get_thumbnail_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    assert len(body) < 100_000 < len(original)


def test_a_photo_stored_before_thumbnails_gets_one_on_first_request(world, login):
    session = _reported(world, [png_upload(width=900, height=600)])
    photo = session.photos.get()
    SessionPhoto.objects.filter(pk=photo.pk).update(thumbnail="")
    response = login(world.users["volunteer"]).get(photo.get_thumbnail_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    photo.refresh_from_db()
    assert photo.thumbnail
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
        assert thumb.size == (THUMBNAIL_SIDE, 320)


def test_an_unreadable_image_is_served_as_it_is(world, login):
    broken = b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 10
    session = _reported(world, [SimpleUploadedFile("hong.png", broken, "image/png")])
    photo = session.photos.get()
    assert not photo.thumbnail
    response = login(world.users["volunteer"]).get(photo.get_thumbnail_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == broken


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_a_decompression_bomb_is_not_unpacked():
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _chunk(b"IEND", b"")
    )
    with pytest.raises(Image.DecompressionBombError):
        thumbnail_bytes(io.BytesIO(bomb))


def test_a_thumbnail_of_another_wards_class_is_not_served(world, login):
    session = _reported(world, [png_upload()])
    photo = session.photos.get()
    response = login(world.users["other_ward"]).get(photo.get_thumbnail_url())
    assert response.status_code == 404
