"""Awareness posts from one file for many units: URL duplicates named per row, an official's
rows not counted as their participation, bad rows named by row and column."""

import pytest
from django.utils import timezone

from campaigns.models import AreaDayTally
from trainings.models import AwarenessPost
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import JobStatus

from . import files

pytestmark = pytest.mark.django_db

HEADERS = ["Nền tảng", "Đường dẫn", "Ngày đăng", "Đơn vị", "Người đăng"]


def create(world, rows, user="city", area=None):
    return import_job_create(
        kind="posts",
        ward=area or world.legacy_city,
        user=world.users[user],
        filename="bai-dang.xlsx",
        content=files.xlsx([HEADERS, *rows]),
    )


def run(job, capture):
    with capture(execute=True):
        assert import_job_confirm(job=job)
    job.refresh_from_db()
    return job


def test_posts_of_many_units_land_and_known_urls_are_listed_by_row(
    world, django_capture_on_commit_callbacks
):
    rows = [
        ["Facebook", "https://www.facebook.com/doan/posts/1?fbclid=abc", "12/03/2023", "00307", ""],
        ["Zalo", "https://zalo.me/doan/2", "13/03/2023", world.legacy_district.code, "0900000006"],
    ]
    job = run(create(world, rows), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert AwarenessPost.objects.count() == 2
    first = AwarenessPost.objects.get(url="https://facebook.com/doan/posts/1")
    assert first.area == world.legacy_ward
    assert first.author == world.users["city"]
    assert first.author_participates is False  # the official who imported it
    row = AreaDayTally.objects.get(area=world.legacy_city, day=first.published_on)
    assert (row.awareness_posts, row.volunteer_participations) == (1, 0)
    again = create(world, [*rows, ["TikTok", "https://tiktok.com/@doan/3", "14/03/2023", "", ""]])
    assert again.status == JobStatus.PREVIEW
    assert again.result["existing_rows"] == [2, 3]
    assert again.result["new"] == 1


def test_a_url_twice_in_the_file_and_bad_cells_are_named_by_row_and_column(world):
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).strftime("%d/%m/%Y")
    rows = [
        ["Facebook", "https://facebook.com/doan/posts/9", "12/03/2023", "", ""],
        ["Facebook", "https://m.facebook.com/doan/posts/9/", "12/03/2023", "", ""],
        ["Myspace", "https://example.org/a", "12/03/2023", "", ""],
        ["Zalo", "không có", "12/03/2023", "", ""],
        ["Zalo", "https://zalo.me/b", future, "", ""],
        ["Zalo", "https://zalo.me/c", "12/03/2023", "99999", ""],
        ["Zalo", "https://zalo.me/d", "12/03/2023", "", "Người Lạ"],
    ]
    job = create(world, rows)
    assert job.status == JobStatus.INVALID
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {
        (3, ""),
        (4, "Nền tảng"),
        (5, "Đường dẫn"),
        (6, "Ngày đăng"),
        (7, "Đơn vị"),
        (8, "Người đăng"),
    }
    assert "Trùng với dòng 2" in next(e["message"] for e in job.errors if e["row"] == 3)
    assert not AwarenessPost.objects.exists()
