"""An existing database upgrades by `migrate` alone: the reports' and training imports' old
statuses map onto the one JobStatus, and back when the migrations are reversed."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import ReportJob
from core.jobs.models import JobStatus
from tests.campaigns.factories import campaign_for
from trainings.models import SessionImport

BEFORE = [("campaigns", "0002_volunteer_day_presence"), ("trainings", "0003_report_resends")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [
        node for node in executor.loader.graph.leaf_nodes() if node[0] in {"campaigns", "trainings"}
    ]


def _statuses(table: str) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status FROM {table}")  # noqa: S608 — our own table names
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_old_statuses_map_onto_the_one_job_status_and_back(world):
    user = world.users["city"]
    campaign = campaign_for(world.legacy_city)
    queued = ReportJob.objects.create(campaign=campaign, area=world.legacy_city, created_by=user)
    failed = ReportJob.objects.create(
        campaign=campaign,
        area=world.legacy_city,
        created_by=user,
        status=JobStatus.FAILED,
        error="hỏng",
    )
    invalid = SessionImport.objects.create(
        file=SimpleUploadedFile("lop.csv", b"x"),
        area=world.ward,
        original_name="lop.csv",
        created_by=world.users["ward"],
        status=JobStatus.INVALID,
    )
    latest = _latest()
    try:
        _migrate(BEFORE)
        assert _statuses("campaigns_reportjob") == {queued.pk: "pending", failed.pk: "failed"}
        assert _statuses("trainings_sessionimport") == {invalid.pk: "failed"}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT requested_by_id, errors FROM campaigns_reportjob WHERE id = %s", [failed.pk]
            )
            requested_by, errors = cursor.fetchone()
        assert requested_by == user.pk
        assert json.loads(errors) == ["hỏng"]
    finally:
        _migrate(latest)
    assert ReportJob.objects.get(pk=queued.pk).status == JobStatus.QUEUED
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.created_by) == (JobStatus.FAILED, "hỏng", user)
    assert SessionImport.objects.get(pk=invalid.pk).status == JobStatus.INVALID
