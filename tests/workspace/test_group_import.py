"""A ward's residential groups imported from a list: whole or nothing, never twice."""

import pytest

from areas.models import Area, Kind
from workspace.models import JobStatus

from . import files
from .test_imports import create, run

pytestmark = pytest.mark.django_db


def _groups(world):
    return Area.objects.filter(path__startswith=world.ward.path, depth=world.ward.depth + 1)


def test_group_list_lands_once_with_villages_recognised(world, django_capture_on_commit_callbacks):
    rows = [["Tên tổ dân phố/thôn", "Loại"], ["Tổ dân phố 31", ""], ["Thôn Đông", "Thôn"]]
    before = _groups(world).count()
    job = run(
        create(world, files.xlsx(rows), "to.xlsx", "groups"), django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.DONE
    assert _groups(world).count() == before + 2
    assert _groups(world).get(name="Thôn Đông").kind == Kind.VILLAGE
    again = create(world, files.xlsx(rows), "to.xlsx", "groups")
    assert again.result["existing"] == 2


def test_bad_rows_are_listed_and_nothing_is_written(world):
    rows = [["Tổ dân phố"], ["Tổ dân phố 40"], [""], ["tổ dân phố 40"], ["x" * 201]]
    before = _groups(world).count()
    job = create(world, files.xlsx(rows), "to.xlsx", "groups")
    messages = {(error["row"], error["message"]) for error in job.errors}
    assert any("Trùng với dòng 2" in message for _row, message in messages)
    assert any("dài quá 200" in message for _row, message in messages)
    assert job.status != JobStatus.DONE
    assert _groups(world).count() == before


def test_groups_already_in_the_ward_are_skipped_not_doubled(world):
    rows = [["Tên tổ dân phố/thôn"], ["Tổ dân phố 1"], ["TỔ DÂN PHỐ 2"]]
    job = create(world, files.xlsx(rows), "to.xlsx", "groups")
    assert job.result["existing"] == 2
