"""Visit back-entry, the review queue, and exports that neutralise formulas and stay streamed."""

import csv
import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from core.activity import activity_changed
from core.spreadsheets.writer import neutralise
from households.models import Visit, VisitStatus
from households.review import review_scan
from households.services import visit_record
from tests.households.factories import visit_data
from workspace.exports.jobs import export_job_create
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import ExportJob, JobStatus

from . import files
from .factories import household_in, visit_to


@pytest.fixture
def deltas():
    seen = []

    def receiver(sender, deltas, **kwargs):
        seen.extend(deltas)

    activity_changed.connect(receiver, weak=False)
    yield seen
    activity_changed.disconnect(receiver)


def _visits_file(day: str, volunteer: str, rows: int = 2) -> bytes:
    header = [
        "Ngày",
        "Tình nguyện viên",
        "Tổ dân phố",
        "Địa chỉ hộ",
        "Kết quả",
        "Hướng dẫn cài VNeID",
    ]
    body = [
        [day, volunteer, "Tổ dân phố 1", f"{n}, Phố Định Công", "Đã hỗ trợ", 1]
        for n in range(1, rows + 1)
    ]
    return files.xlsx([header, *body])


def test_visit_back_entry_counts_once_however_often_imported(
    world, deltas, django_capture_on_commit_callbacks
):
    for number in ("1", "2"):
        household_in(world.groups[0], number=number, street="Phố Định Công")
    day = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    content = _visits_file(day, "0900000006")
    kwargs = {
        "kind": "visits",
        "ward": world.ward,
        "user": world.users["ward"],
        "filename": "v.xlsx",
    }
    job = import_job_create(content=content, **kwargs)
    assert job.status == JobStatus.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.result
    assert Visit.objects.filter(volunteer=world.users["volunteer"]).count() == 2
    assert sum(delta.counts["install_guidance"] for delta in deltas) == 2
    again = import_job_create(content=content, **kwargs)
    assert again.result["existing"] == 2
    assert Visit.objects.count() == 2


def test_visit_rows_outside_the_volunteer_areas_or_unknown_are_errors(world):
    household_in(world.groups[0], number="1")
    day = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    header = ["Ngày", "Tình nguyện viên", "Tổ dân phố", "Địa chỉ hộ", "Hướng dẫn cài VNeID"]
    rows = [
        [day, "0900000007", "Tổ dân phố 1", "1, Phố Định Công", 1],  # volunteer2 does cover group 1
        ["32/13/2023", "0900000006", "Tổ dân phố 1", "1, Phố Định Công", 1],
        [day, "0911111111", "Tổ dân phố 1", "1, Phố Định Công", 1],
        [day, "0900000006", "Tổ dân phố 1", "99, Phố Không Có", 1],
        [day, "0900000006", "Tổ dân phố 1", "", 1],
    ]
    job = import_job_create(
        kind="visits",
        ward=world.ward,
        user=world.users["ward"],
        filename="v.xlsx",
        content=files.xlsx([header, *rows]),
    )
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {(3, "Ngày"), (4, "Tình nguyện viên"), (5, "Địa chỉ hộ"), (6, "Địa chỉ hộ")}


def test_padded_visits_wait_for_review_and_a_rejected_one_counts_nowhere(login, world, deltas):
    volunteer = world.users["volunteer"]
    household = household_in(world.groups[0], members=2)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=2)
    fast = [
        visit_to(household, volunteer, when=start + datetime.timedelta(minutes=n * 4))
        for n in range(13)
    ]
    over = visit_to(household_in(world.groups[0], number="9"), volunteer, install_guidance=5)
    outside = visit_to(household_in(world.groups[4], number="3"), volunteer)
    fine = visit_to(
        household_in(world.groups[1], number="7"),
        volunteer,
        when=start - datetime.timedelta(days=1),
    )
    assert review_scan(ward=world.ward) == 15
    assert Visit.objects.get(pk=fine.pk).status == VisitStatus.OK
    for visit in (*fast, over, outside):
        assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PENDING_REVIEW
    client = login(world.users["ward"])
    page = client.get(reverse("workspace:review", args=[world.ward.pk])).content.decode()
    assert "nhiều hơn số nhân khẩu" in page
    assert "ngoài địa bàn" in page
    client.post(reverse("workspace:review-decide", args=[over.pk]), {"decision": "reject"})
    assert Visit.objects.get(pk=over.pk).status == VisitStatus.REJECTED
    assert deltas[-1].counts["install_guidance"] == -5
    client.post(reverse("workspace:review-decide", args=[outside.pk]), {"decision": "approve"})
    assert Visit.objects.get(pk=outside.pk).status == VisitStatus.OK
    assert review_scan(ward=world.ward) == 0  # decided visits are not flagged again


def test_many_level2_coachings_in_a_day_are_flagged(world):
    volunteer = world.users["volunteer"]
    # Morning to noon of yesterday (local): one day whatever time the test runs at.
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    base = yesterday.replace(hour=8, minute=0, second=0, microsecond=0)
    for n in range(3):
        visit_to(
            household_in(world.groups[0], number=str(n), members=20),
            volunteer,
            when=base + datetime.timedelta(hours=n * 2),
            level2_coaching=8,
        )
    assert review_scan(ward=world.ward) == 3


def test_coordinator_of_another_ward_cannot_decide_here(login, world):
    visit = visit_to(
        household_in(world.groups[0]), world.users["volunteer"], status="pending_review"
    )
    client = login(world.users["other_ward"])
    response = client.post(
        reverse("workspace:review-decide", args=[visit.pk]), {"decision": "reject"}
    )
    assert response.status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PENDING_REVIEW


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+84912", "'+84912"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Nguyễn", "Nguyễn"),
        (-5, -5),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_household_export_writes_every_row_neutralised(
    world, fmt, django_capture_on_commit_callbacks
):
    household_in(world.groups[0], street="=cmd|' /C calc'!A0")
    household_in(world.groups[1], number="2")
    household_in(world.other_groups[0], number="3")
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(
            kind="households", fmt=fmt, ward=world.ward, user=world.users["ward"]
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.total == 2
    if fmt == "csv":
        with open(job.path, encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0] == "Mã hộ"
        assert any(cell.startswith("'=cmd") for cell in rows[1] + rows[2])
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(job.path, read_only=True).worksheets[0]
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert "'=cmd|' /C calc'!A0" in values


def test_export_follows_the_list_filters(login, world, django_capture_on_commit_callbacks):
    client = login(world.users["ward"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:export-create", args=[world.ward.pk, "volunteers"]),
            {"format": "csv", "f_team": world.teams[2].pk},
        )
    job = ExportJob.objects.get()
    assert response.url == reverse("workspace:export-detail", args=[job.pk])
    download = client.get(reverse("workspace:export-download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "Hoàng Đức Anh" in text
    assert "Đỗ Thị Mai" not in text


def test_coordinator_cannot_export_from_another_ward(login, world):
    client = login(world.users["other_ward"])
    response = client.post(
        reverse("workspace:export-create", args=[world.ward.pk, "households"]), {"format": "csv"}
    )
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_household_and_visit_lists_render_for_the_coordinator(login, world):
    household = household_in(world.groups[0])
    visit_to(household, world.users["volunteer"])
    client = login(world.users["ward"])
    for name in ("workspace:household-list", "workspace:visit-list"):
        response = client.get(reverse(name, args=[world.ward.pk]))
        assert response.status_code == 200
        assert "Phố Định Công" in response.content.decode()


def test_a_visit_queued_as_logged_shows_why_and_the_decided_card_stays(login, world):
    household = household_in(world.groups[0], members=2)
    visit, _created = visit_record(
        volunteer=world.users["volunteer"],
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(install_guidance=3, over_members_confirmed=True),
    )
    assert visit.status == VisitStatus.PENDING_REVIEW
    client = login(world.users["ward"])
    page = client.get(reverse("workspace:review", args=[world.ward.pk])).content.decode()
    assert "nhiều hơn số nhân khẩu" in page
    assert "hộ có 2 nhân khẩu" in page
    answer = client.post(
        reverse("workspace:review-decide", args=[visit.pk]),
        {"decision": "reject"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'id="review-{visit.pk}"' in answer
    assert "Đã loại" in answer
