"""A big upload is checked by a worker (core.jobs), never in the request: the page shows the
job's bar, then the same preview (or the errors, or why the file was refused)."""

import pytest
from django.urls import reverse

from workspace.imports.jobs import estimated_rows, import_job_confirm, import_job_upload
from workspace.models import ImportJob, JobStatus

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _always_in_the_worker(settings):
    settings.TUNGNHA_IMPORT_INLINE_CHECK_BYTES = 0


def upload(client, world, content: bytes, name: str = "ho.xlsx"):
    client.force_login(world.users["ward"])
    url = reverse("workspace:import-start", args=[world.ward.pk, "households"])
    handle = files_upload(content, name)
    return client.post(url, {"file": handle, "consent_all": "on"})


def files_upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_request_only_stores_the_upload_and_the_page_shows_the_bar(world, client):
    response = upload(client, world, files.households_xlsx(30))
    job = ImportJob.objects.get()
    assert response.url == reverse("workspace:import-detail", args=[job.pk])
    assert (job.status, job.checked) == (JobStatus.QUEUED, False)
    assert job.errors == []  # nothing was read in the request
    assert job.result == {}
    page = client.get(response.url).content.decode()
    assert "<progress" in page
    assert 'hx-trigger="every 1s"' in page
    assert 'id="import-checking"' in page


def test_the_worker_checks_then_the_user_confirms_as_for_a_small_file(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, files.households_xlsx(30))
    job = ImportJob.objects.get()
    assert (job.status, job.checked) == (JobStatus.PREVIEW, True), job.error
    assert job.result["new"] == 30
    assert job.attempts == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["written"] == {"created": 30}


def test_a_file_refused_by_the_reader_ends_the_job_saying_why(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, files.merged_xlsx())
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "ô gộp" in job.error
    assert bytes(job.content) == b""
    page = client.get(reverse("workspace:import-detail", args=[job.pk])).content.decode()
    assert "ô gộp" in page


def test_bad_rows_found_by_the_worker_are_listed(world, django_capture_on_commit_callbacks):
    rows = files.household_rows(4)
    rows[1][5] = "Tổ dân phố 99"
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_upload(
            kind="households",
            ward=world.ward,
            user=world.users["ward"],
            filename="ho.xlsx",
            content=files.xlsx([files.HOUSEHOLD_HEADERS, *rows]),
        )
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID
    assert job.errors[0]["row"] == 3
    assert job.result["valid"] == 3


def test_a_wrong_extension_is_refused_in_the_request(world, client):
    response = upload(client, world, b"%PDF-1.4", name="ho.pdf")
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_the_estimate_of_rows_reads_a_csv_and_an_xlsx_extent():
    assert estimated_rows(content=b"a,b\n1,2\n3,4\n", filename="x.csv") == 2
    assert estimated_rows(content=b"not a zip", filename="x.xlsx") == 0
