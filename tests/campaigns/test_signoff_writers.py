"""Every door that records work honours a frozen period: the workspace's visit back-entry (in
its preview, and at its write should the period freeze in between) and the library's
documents, which count in campaigns."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.signoff import signoff_submit
from households.models import Visit
from tests.trainings.factories import pdf_upload
from tests.workspace import files
from tests.workspace.factories import household_in
from trainings.models import Document
from trainings.services import document_add
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import JobStatus

pytestmark = pytest.mark.django_db

HEADER = ["Ngày", "Tình nguyện viên", "Tổ dân phố", "Địa chỉ hộ", "Hướng dẫn cài VNeID"]


def _this_month(world):
    return signoff_submit(
        user=world.users["ward"], area=world.ward, month=timezone.localdate().replace(day=1)
    )


def _import(world, day: datetime.date):
    household_in(world.groups[0], number="1", street="Phố Định Công")
    row = [day.strftime("%d/%m/%Y"), "0900000006", "Tổ dân phố 1", "1, Phố Định Công", 1]
    return import_job_create(
        kind="visits",
        ward=world.ward,
        user=world.users["ward"],
        filename="v.xlsx",
        content=files.xlsx([HEADER, row]),
    )


def test_visit_import_preview_names_rows_in_a_frozen_period(world):
    _this_month(world)
    job = _import(world, timezone.localdate())
    assert job.status != JobStatus.PREVIEW or job.errors
    [error] = job.errors
    assert error["column"] == "Ngày"
    assert "đã khóa" in error["message"]
    assert not Visit.objects.exists()


def test_visit_import_frozen_between_preview_and_confirm_writes_nothing(
    world, django_capture_on_commit_callbacks
):
    job = _import(world, timezone.localdate())
    assert job.status == JobStatus.PREVIEW, job.errors
    _this_month(world)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job)
    job.refresh_from_db()
    assert job.status != JobStatus.DONE
    assert "đã khóa" in str([job.error, job.errors])
    assert not Visit.objects.exists()


def test_a_document_added_in_a_frozen_period_is_refused(world):
    _this_month(world)
    with pytest.raises(ValidationError) as refused:
        document_add(
            user=world.users["ward"], area=world.ward, title="Cẩm nang", upload=pdf_upload()
        )
    assert "đã khóa" in refused.value.messages[0]
    assert not Document.objects.exists()
