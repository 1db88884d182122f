"""The administrator can look into the import and export jobs, but not edit them or read
the uploaded file."""

import pytest
from django.urls import reverse

from .factories import export_job_in, import_job_in

pytestmark = pytest.mark.django_db


def test_the_administrator_lists_jobs_and_opens_one_without_its_file(login, world):
    job = import_job_in(world.ward)
    export_job_in(world.ward, "/tmp/some-export.csv")  # noqa: S108
    client = login(world.users["admin"])
    for name in ("importjob", "exportjob"):
        assert client.get(reverse(f"admin:workspace_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:workspace_importjob_change", args=[job.pk]))
    assert page.status_code == 200
    assert 'name="content"' not in page.content.decode()
    assert client.get(reverse("admin:workspace_importjob_add")).status_code == 403


def test_a_coordinator_is_kept_out_of_the_jobs_admin(login, world):
    client = login(world.users["ward"])
    page = client.get(reverse("admin:workspace_importjob_changelist"))
    assert page.status_code == 302
