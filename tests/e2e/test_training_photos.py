"""A report's photos leave the phone smaller: a 4000×3000 shot arrives about 1600 px on its
long side and a few hundred KB; the class's page then shows the server's thumbnails."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageFilter
from playwright.sync_api import Page, expect

from tests.trainings.factories import planned
from trainings.models import SessionState, TrainingSession
from trainings.topics import topics_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _camera_jpeg() -> bytes:
    """A phone's 12 MP shot: gradients and fine grain, over 3 MB as the camera saves it."""
    size = (4000, 3000)
    grain = Image.effect_noise(size, 60).filter(ImageFilter.GaussianBlur(1.2))
    light = Image.linear_gradient("L").resize(size)
    side = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", (Image.blend(light, grain, 0.5), grain, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_photos_are_downscaled_on_the_phone_before_upload(page: Page, world, sign_in, live_server):
    topics_ensure()
    session = planned(user=world.users["volunteer"], area=world.groups[0])
    original = _camera_jpeg()
    assert len(original) > 3_000_000
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "0900000006")
    page.goto(f"{live_server.url}{reverse('trainings:report', args=[session.pk])}")
    page.fill("input[name=attendee_count]", "12")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}],
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("[data-state]")).to_have_text("Đã báo cáo")
    session = TrainingSession.objects.get(pk=session.pk)
    assert session.state == SessionState.REPORTED
    photo = session.photos.get()
    assert 50_000 < photo.size <= 450 * 1024  # a few hundred KB
    with photo.file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.size == (1600, 1200)
    thumbnail = page.locator(".photos img").first
    expect(thumbnail).to_have_attribute("src", photo.get_thumbnail_url())
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 480
