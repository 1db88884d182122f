"""Imports: every bad file gets its sentence, every bad row its row and column, and a good file
lands whole, once, however many times it is imported."""

import codecs

import pytest
from django.urls import reverse

from core.spreadsheets.reader import FileRefused, decode_csv
from households.models import Household, HouseholdChange
from households.registry.selectors import registry_drift
from volunteers.models import Membership, Role, User
from workspace.imports.jobs import import_job_confirm, import_job_create, import_job_run
from workspace.models import ImportJob, JobStatus

from . import files


def create(world, content: bytes, name: str = "ho.xlsx", kind: str = "households", **options):
    return import_job_create(
        kind=kind,
        ward=world.ward,
        user=world.users["ward"],
        filename=name,
        content=content,
        options=options,
    )


def run(job, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm(job=job)
    job.refresh_from_db()
    return job


BAD_FILES = [
    ("empty.xlsx", lambda: b"", "Tệp rỗng."),
    ("list.xls", lambda: b"\xd0\xcf\x11\xe0", "không được hỗ trợ"),
    ("list.pdf", lambda: b"%PDF-1.4", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ("fake.xlsx", lambda: b"not a zip at all", "không phải là tệp Excel .xlsx hợp lệ"),
    ("no-header.xlsx", lambda: files.xlsx(files.household_rows(3)), "Không tìm thấy dòng tiêu đề"),
    (
        "missing-group.xlsx",
        lambda: files.xlsx([["Họ tên chủ hộ", "Số nhà"], ["An", "1"]]),
        "Thiếu cột bắt buộc: “Tổ dân phố”",
    ),
    ("merged.xlsx", files.merged_xlsx, "ô gộp"),
    ("bomb.xlsx", files.xml_bomb_xlsx, "không an toàn"),
    ("zipbomb.xlsx", files.zip_bomb_xlsx, "nén quá mức"),
    ("header-only.xlsx", lambda: files.xlsx([files.HOUSEHOLD_HEADERS]), "không có dòng dữ liệu"),
    ("cp1258.csv", lambda: files.households_csv(encoding="cp1258"), "không ở bảng mã UTF-8"),
    (
        "mojibake.csv",
        lambda: (
            files.households_csv()
            .decode("utf-8")
            .encode("utf-8")
            .decode("cp1252", "replace")
            .encode("utf-8")
        ),
        "lỗi font",
    ),
    ("big.csv", lambda: b"a" * (50 * 1024 * 1024 + 1), "lớn hơn 50 MB"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_with_its_message(world, name, make, message):
    with pytest.raises(FileRefused) as refused:
        create(world, make(), name)
    assert message in refused.value.message
    assert not ImportJob.objects.exists()


def test_extra_sheets_are_ignored_with_a_note(world):
    job = create(world, files.households_xlsx(2, sheets=3))
    assert job.status == JobStatus.PREVIEW
    assert any("3 trang tính" in warning for warning in job.warnings)


def test_formula_cell_is_a_row_error_at_its_column(world):
    job = create(world, files.formula_xlsx())
    assert job.status == JobStatus.INVALID
    assert {key: job.errors[0][key] for key in ("row", "column")} == {
        "row": 3,
        "column": "Số nhân khẩu",
    }
    assert "công thức" in job.errors[0]["message"]


def test_title_rows_above_the_header_are_skipped(world):
    title = [["DANH SÁCH HỘ GIA ĐÌNH PHƯỜNG ĐỊNH CÔNG"], []]
    job = create(world, files.households_xlsx(2, title_rows=title))
    assert job.status == JobStatus.PREVIEW
    assert job.result["new"] == 2


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_csv_in_utf8_bom_utf16_and_either_delimiter_reads_the_same(world, encoding, delimiter):
    content = files.households_csv(3, delimiter=delimiter, encoding=encoding)
    job = create(world, content, "ho.csv")
    assert job.status == JobStatus.PREVIEW, job.errors
    assert job.result["new"] == 3


def test_utf16_csv_keeps_vietnamese_intact():
    text = decode_csv(codecs.BOM_UTF16_LE + "Họ tên chủ hộ".encode("utf-16-le"))
    assert text == "Họ tên chủ hộ"


def test_every_bad_row_is_listed_with_row_and_column_in_vietnamese(world):
    rows = files.household_rows(6)
    rows[1][5] = "Tổ dân phố 99"  # unknown group, row 3
    rows[2][6] = "12345"  # malformed phone, row 4
    rows[3][2] = rows[3][3] = rows[3][4] = ""  # no address, row 5
    rows[4] = list(rows[0])  # duplicate of row 2 in the file, row 6
    rows[5][7] = "nhiều"  # members not a number, row 7
    job = create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    assert job.status == JobStatus.INVALID
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {
        (3, "Tổ dân phố"),
        (4, "Số điện thoại"),
        (5, "Số nhà"),
        (6, ""),
        (7, "Số nhân khẩu"),
    }
    messages = " ".join(error["message"] for error in job.errors)
    assert "Không có tổ dân phố “Tổ dân phố 99”" in messages
    assert "Trùng với dòng 2" in messages
    assert not Household.objects.exists()


def test_a_group_of_another_ward_is_unknown_here(world):
    rows = files.household_rows(1, group=world.other_groups[0].name)
    rows[0][5] = "Tổ dân phố Hoàng Liệt"
    job = create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    assert job.status == JobStatus.INVALID
    assert job.errors[0]["column"] == "Tổ dân phố"


def test_invalid_job_cannot_be_confirmed(world):
    rows = files.household_rows(2)
    rows[0][5] = "Tổ 99"
    job = create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    assert not import_job_confirm(job=job)


def test_good_file_lands_whole_and_reimport_creates_no_duplicates(
    world, django_capture_on_commit_callbacks
):
    content = files.households_xlsx(20)
    job = run(create(world, content, consent_all=True), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    assert job.result["written"] == {"created": 20}
    assert Household.objects.filter(area=world.groups[0]).count() == 20
    assert registry_drift() == []  # the bulk insert recounted its groups
    household = Household.objects.get(house_number="3")
    assert household.contact_phone == "+84900000003"
    assert household.consent_at is not None
    assert HouseholdChange.objects.filter(household=household).exists()

    again = create(world, content)
    assert again.result["existing"] == 20
    assert again.result["new"] == 0
    run(again, django_capture_on_commit_callbacks)
    assert Household.objects.count() == 20


def test_without_consent_only_address_and_members_are_kept(
    world, django_capture_on_commit_callbacks
):
    job = create(world, files.households_xlsx(2))
    assert any("chưa có đồng ý" in warning for warning in job.warnings)
    run(job, django_capture_on_commit_callbacks)
    assert set(Household.objects.values_list("contact_name", "contact_phone")) == {("", "")}


def test_address_in_one_column_is_split(world, django_capture_on_commit_callbacks):
    rows = [
        ["Chủ hộ", "Địa chỉ", "Tổ", "SĐT", "Nhân khẩu"],
        ["Trần Thị B", "Số 12, ngõ 34/5, phố Định Công", "Tổ 2", "+84 912 345 678", 3],
        ["Lê Văn C", "7 ngõ 9 đường Giải Phóng", "TDP 02", "0912.345.679", 2],
    ]
    run(create(world, files.xlsx(rows), consent_all=True), django_capture_on_commit_callbacks)
    first, second = Household.objects.order_by("house_number")
    assert (first.house_number, first.alley, first.street) == ("12", "ngõ 34/5", "phố Định Công")
    assert (second.house_number, second.alley, second.street) == ("7", "ngõ 9", "đường Giải Phóng")
    assert first.area == second.area == world.groups[1]


def test_a_failure_while_writing_leaves_nothing(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from workspace.imports import households as module

    calls = {"n": 0}
    original = module.insert_rows

    def broken(model, rows):
        # The households of batch 1, their history, the households of batch 2, then a failure.
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return original(model, rows)

    monkeypatch.setattr(module, "BATCH", 5)
    monkeypatch.setattr(module, "insert_rows", broken)
    job = create(world, files.households_xlsx(12))
    with pytest.raises(RuntimeError):
        run(job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert calls["n"] == 4
    assert job.status == JobStatus.FAILED
    assert Household.objects.count() == 0
    assert HouseholdChange.objects.count() == 0


def test_a_rerun_after_a_lost_worker_starts_clean(world):
    job = create(world, files.households_xlsx(3))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Household.objects.count() == 3


def test_a_job_that_keeps_killing_workers_is_marked_failed(world):
    job = create(world, files.households_xlsx(3))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3)
    assert import_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert Household.objects.count() == 0


def test_volunteer_import_adds_people_to_teams_once(world, django_capture_on_commit_callbacks):
    team = world.teams[1]
    rows = [
        ["Họ và tên", "SĐT", "Email", "Tổ CNS", "Vai trò"],
        ["Ngô Thị Hạnh", "0987 111 222", "hanh@example.vn", team.name, ""],
        ["Bùi Văn Nam", "+84987111333", "", team.name, "Tổ trưởng"],
    ]
    content = files.xlsx(rows)
    job = run(create(world, content, "tnv.xlsx", "volunteers"), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    nam = User.objects.get(phone="+84987111333")
    assert not nam.has_usable_password()
    assert Membership.objects.get(user=nam).role == Role.TEAM_LEADER
    assert Membership.objects.get(user__phone="+84987111222").team == team
    again = create(world, content, "tnv.xlsx", "volunteers")
    assert again.result["existing"] == 2


def test_volunteer_import_names_an_unknown_team(world):
    rows = [["Họ và tên", "Số điện thoại", "Tổ CNS"], ["A", "0987111222", "Tổ không có"]]
    job = create(world, files.xlsx(rows), "tnv.xlsx", "volunteers")
    assert job.errors[0]["column"] == "Tổ CNS"


def test_volunteer_import_names_rows_whose_email_is_taken_before_anything_is_written(world):
    taken = world.users["volunteer"].email
    assert taken
    rows = [
        ["Họ và tên", "SĐT", "Email"],
        ["Người Một", "0987 111 501", "same@example.vn"],
        ["Người Hai", "0987 111 502", "SAME@example.vn"],
        ["Người Ba", "0987 111 503", taken],
    ]
    job = create(world, files.xlsx(rows), "tnv.xlsx", "volunteers")
    assert [(error["row"], error["column"]) for error in job.errors] == [(3, "Email"), (4, "Email")]
    assert "dòng 2" in job.errors[0]["message"]
    assert not User.objects.filter(phone__startswith="+8498711150").exists()


def test_upload_page_shows_the_refusal_and_preview_lists_errors(
    login, world, django_capture_on_commit_callbacks
):
    client = login(world.users["ward"])
    url = reverse("workspace:import-start", args=[world.ward.pk, "households"])
    response = client.post(url, {"file": _upload("x.xlsx", b"")})
    assert response.status_code == 400
    assert "Tệp rỗng" in response.content.decode() or "rỗng" in response.content.decode()
    rows = files.household_rows(2)
    rows[1][5] = "Tổ 42"
    with django_capture_on_commit_callbacks(execute=True):  # the worker's check, eagerly
        response = client.post(
            url, {"file": _upload("x.xlsx", files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))}
        )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Tổ 42" in page
    assert "import-errors" in page


def test_coordinator_cannot_import_into_another_ward(login, world):
    client = login(world.users["other_ward"])
    url = reverse("workspace:import-start", args=[world.ward.pk, "households"])
    response = client.post(url, {"file": _upload("x.xlsx", files.households_xlsx(1))})
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_template_files_read_back_as_valid_headers(login, world):
    client = login(world.users["ward"])
    for kind in ("households", "volunteers", "visits"):
        response = client.get(reverse("workspace:import-template", args=[kind]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        from core.spreadsheets.reader import open_table
        from workspace.imports.registry import importer_class

        table = open_table(content=content, filename="t.xlsx", columns=importer_class(kind).columns)
        assert table.header_row == 1


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
