"""The sessions import refuses hostile spreadsheets through the one reader: quickly, without
inflating them, with a Vietnamese reason on the job, and writing nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.jobs.models import JobStatus
from tests.files import MAX_PEAK_BYTES, MAX_SECONDS, bombs, cost
from trainings.models import SessionImport, TrainingSession

pytestmark = pytest.mark.django_db

BOMBS = bombs(("ngay", "gio_bat_dau", "ma_dia_ban", "chu_de", "so_nguoi"))


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BOMBS], ids=[b[0] for b in BOMBS])
def test_import_refuses_a_bomb_quickly_and_without_inflating_it(
    world, login, django_capture_on_commit_callbacks, make, message
):
    content = make()
    client = login(world.users["ward"])
    upload = SimpleUploadedFile("lop.xlsx", content)
    assert client.get(reverse("trainings:import")).status_code == 200  # warm: not the refusal
    # The upload and the job it queues (run on commit, as the worker would): the whole door.
    with cost() as spent, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:import"), {"area": world.ward.pk, "file": upload})
    assert response.status_code == 302
    job = SessionImport.objects.get()
    assert job.status == JobStatus.INVALID
    assert "Không đọc được tệp" in job.errors[0]["message"]
    assert message in job.errors[0]["message"]
    assert spent.seconds < MAX_SECONDS, spent
    assert spent.peak_bytes < MAX_PEAK_BYTES, spent
    assert not TrainingSession.objects.exists()
    page = client.get(reverse("trainings:import-detail", args=[job.pk])).content.decode()
    assert message in page
