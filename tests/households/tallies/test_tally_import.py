"""Paper tallies from one file for many units: through the workspace's import machinery, with
each bad row named by row and column, visits already there confirmed first, and a repeated
import counting nothing twice."""

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from campaigns.models import AreaDayTally, CampaignAreaTally
from households.tallies.models import Tally
from tests.campaigns.factories import campaign_for
from tests.households.factories import household_in, raw_visit
from tests.workspace import files
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db

# The title row and the header come first: the file's first data row is row 3.
FIRST_ROW = 3

HEADERS = [
    "STT",
    "Mã đơn vị",
    "Ngày",
    "Hướng dẫn cài VNeID",
    "Kích hoạt mức 1",
    "Kích hoạt mức 2",
    "Tổng hồ sơ",
    "Hồ sơ định danh",
    "Hồ sơ trực tuyến",
    "Lượt đoàn viên tham gia",
]


def tally_file(rows: list[list]) -> bytes:
    """Shaped as a district keeps it: a merged title over the header, a total row below."""
    return files.xlsx(
        [HEADERS, *rows, ["", "Tổng cộng", "", 999, 999, 999, 999, 999, 999, 999]],
        title_rows=[["BẢNG TỔNG HỢP KẾT QUẢ THÁNG THANH NIÊN 2023"]],
    )


def create(world, content: bytes, user_key: str = "city", area=None) -> ImportJob:
    return import_job_create(
        kind="tallies",
        ward=area or world.legacy_city,
        user=world.users[user_key],
        filename="tong-hop.xlsx",
        content=content,
    )


def run(job, capture, **options) -> ImportJob:
    with capture(execute=True):
        assert import_job_confirm(job=job, options=options or None)
    job.refresh_from_db()
    return job


def city_day(world, day, key):
    row = AreaDayTally.objects.filter(area=world.legacy_city, day=day).first()
    return getattr(row, key) if row else 0


def test_one_file_for_many_units_lands_in_the_campaign_and_again_counts_nothing_twice(
    world, django_capture_on_commit_callbacks
):
    campaign = campaign_for(world.legacy_city)
    district = world.legacy_district
    rows = [
        [1, world.legacy_ward.code, "12/03/2023", 14, 3, 5, 29, 11, 4, 6],
        [2, world.legacy_ward.name, "13/03/2023", 1, 0, 0, "", "", "", 2],
        [3, district.code, "14/03/2023", 10, 0, 0, 0, 0, 0, 1],
    ]
    job = create(world, tally_file(rows))
    assert job.status == JobStatus.PREVIEW, job.errors
    assert any("tổng cộng" in warning for warning in job.warnings)
    job = run(job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["written"]["created"] == 3
    total = CampaignAreaTally.objects.get(campaign=campaign, area=world.legacy_city)
    assert total.install_guidance == 25
    assert total.dossiers_total == 29
    assert total.dossiers_eid == 11
    assert total.volunteer_participations == 9
    assert total.unique_volunteers == 0
    # The same file again: found, unchanged, nothing added.
    again = run(create(world, tally_file(rows)), django_capture_on_commit_callbacks)
    assert again.result["existing"] == 3
    total.refresh_from_db()
    assert total.install_guidance == 25
    # A corrected file replaces the day's counts.
    rows[0][3] = 20
    fixed = create(world, tally_file(rows))
    assert fixed.result["contacts_added"] == 1  # one stored unit-day will be replaced
    run(fixed, django_capture_on_commit_callbacks)
    total.refresh_from_db()
    assert total.install_guidance == 31
    assert Tally.objects.count() == 3


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["x", "99999", "12/03/2023", 1, 0, 0, 0, 0, 0, 0], "Mã đơn vị", "Không có đơn vị"),
        (["x", "00307", "12/03/2099", 1, 0, 0, 0, 0, 0, 0], "Ngày", "chưa đến"),
        (["x", "00307", "12/03/2023", -4, 0, 0, 0, 0, 0, 0], "Hướng dẫn cài VNeID", "số âm"),
        (
            ["x", "00307", "12/03/2023", "nhiều", 0, 0, 0, 0, 0, 0],
            "Hướng dẫn cài VNeID",
            "số nguyên",
        ),
        (["x", "00307", "ngày 12", 1, 0, 0, 0, 0, 0, 0], "Ngày", "không đọc được"),
        (["x", "00307", "12/03/2023", 1, 0, 0, 3, 2, 4, 0], "Tổng hồ sơ", "nhỏ hơn"),
    ],
    ids=["unknown-code", "future-day", "negative", "not-a-number", "bad-day", "dossier-total"],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(
    world, row, column, words, django_capture_on_commit_callbacks
):
    good = ["1", "00307", "11/03/2023", 5, 0, 0, 0, 0, 0, 0]
    job = create(world, tally_file([good, row]), user_key="ward", area=world.legacy_ward)
    assert job.status == JobStatus.INVALID
    error = job.errors[0]
    assert (error["row"], error["column"]) == (FIRST_ROW + 1, column)
    assert words in error["message"]
    assert not Tally.objects.exists()


def test_a_unit_outside_the_users_area_is_refused(world):
    # The ward coordinator imports at the city: the city's other units are not theirs.
    other = (
        Area.objects.get_children(world.legacy_district).exclude(pk=world.legacy_ward.pk).first()
    )
    content = tally_file([["1", other.code, "12/03/2023", 1, 0, 0, 0, 0, 0, 0]])
    job = create(world, content, user_key="ward", area=world.legacy_ward)
    assert job.status == JobStatus.INVALID
    assert job.errors[0]["column"] == "Mã đơn vị"
    assert not Tally.objects.exists()


def test_rows_a_unit_above_or_below_already_holds_are_refused_in_the_preview(world):
    content = tally_file(
        [
            ["1", world.legacy_ward.code, "12/03/2023", 1, 0, 0, 0, 0, 0, 0],
            ["2", world.legacy_district.code, "12/03/2023", 9, 0, 0, 0, 0, 0, 0],
        ]
    )
    job = create(world, content)
    assert job.status == JobStatus.INVALID
    assert {error["row"] for error in job.errors} == {FIRST_ROW, FIRST_ROW + 1}
    assert all("hai lần" in error["message"] for error in job.errors)


def test_rows_where_visits_exist_are_listed_and_run_only_once_confirmed(
    world, client, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    raw_visit(household_in(world.groups[0]), world.users["volunteer"])
    raw_visit(household_in(world.groups[1]), world.users["volunteer"])
    content = tally_file([["1", world.ward.code, today.strftime("%d/%m/%Y"), 4, 0, 0, 0, 0, 0, 1]])
    job = create(world, content, user_key="ward", area=world.ward)
    assert job.status == JobStatus.PREVIEW
    assert job.result["visit_row_count"] == 1
    assert job.result["visit_rows"][0]["visits"] == 2
    client.force_login(world.users["ward"])
    page = client.get(reverse("workspace:import-detail", args=[job.pk]))
    assert "trùng đơn vị và ngày với lượt thăm" in page.content.decode()
    # Not confirmed: nothing queued, said why.
    response = client.post(reverse("workspace:import-confirm", args=[job.pk]), follow=True)
    assert "đánh dấu xác nhận" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEW
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:import-confirm", args=[job.pk]), {"visits_confirmed": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert Tally.objects.get().visits_acknowledged == 2


def test_a_worker_run_without_the_confirmation_writes_nothing(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    content = tally_file([["1", world.ward.code, today.strftime("%d/%m/%Y"), 4, 0, 0, 0, 0, 0, 1]])
    job = create(world, content, user_key="ward", area=world.ward)
    # A visit lands between the preview and the run.
    raw_visit(household_in(world.groups[0]), world.users["volunteer"])
    job = run(job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert f"Dòng {FIRST_ROW}" in job.error
    assert not Tally.objects.exists()


def test_the_import_page_opens_at_the_city_for_tallies_and_not_for_a_ward_coordinator(
    world, client
):
    client.force_login(world.users["city"])
    url = reverse("workspace:import-start", args=[world.legacy_city.pk, "tallies"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["ward"])
    assert client.get(url).status_code == 404
    own = reverse("workspace:import-start", args=[world.legacy_ward.pk, "tallies"])
    assert client.get(own).status_code == 200


def test_template_has_the_tally_columns(world, client):
    client.force_login(world.users["ward"])
    response = client.get(reverse("workspace:import-template", args=["tallies"]) + "?format=csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Đơn vị,Ngày,")
    assert "Lượt đoàn viên tham gia" in header


def test_the_valid_rows_of_a_tally_file_can_be_imported_alone(
    world, django_capture_on_commit_callbacks
):
    from workspace.imports.jobs import import_job_confirm_valid

    rows = [
        ["1", world.legacy_ward.code, "12/03/2023", 14, 0, 0, 0, 0, 0, 1],
        ["2", "99999", "12/03/2023", 3, 0, 0, 0, 0, 0, 0],
    ]
    job = create(world, tally_file(rows))
    assert job.status == JobStatus.INVALID
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm_valid(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["left_out_rows"] == 1
    assert Tally.objects.get().install_guidance == 14
