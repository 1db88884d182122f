"""Household lists as wards keep them: a merged title over the header, a total row at the bottom,
accents typed decomposed, a consent column that arrives later, a column of citizen IDs. Each
imports on the first try with everything it can take, says what it left out, and keeps nothing
private."""

import json
import re
import unicodedata

import pytest
from django.db import models

from core.spreadsheets.reader import FileRefused
from core.text import mask_id_numbers, text_normalise
from households.models import Household, HouseholdChange
from workspace.imports.base import PackedRecords
from workspace.models import ImportJob, JobStatus

from . import files
from .test_imports import create, run

pytestmark = pytest.mark.django_db


# --- 1. The header row under title rows, merged or not ------------------------------------------
@pytest.mark.parametrize("subtitle", [True, False], ids=["title-and-subtitle", "title"])
def test_a_list_under_a_merged_title_is_read_and_its_merged_total_left_out(world, subtitle):
    content = files.ward_list_xlsx(files.household_rows(4), subtitle=subtitle)
    job = create(world, content)
    assert job.status == JobStatus.PREVIEW, job.errors
    assert job.result["new"] == 4
    header = 3 + subtitle  # title(s), a blank row, then the header
    total_row = header + 5
    assert any(
        f"dòng tổng cộng/cộng nhóm: dòng {total_row}." in warning for warning in job.warnings
    )


def test_a_merge_inside_the_data_is_still_refused_naming_its_row(world):
    with pytest.raises(FileRefused) as refused:
        create(world, files.merged_xlsx())
    assert "ô gộp" in refused.value.message
    assert "dòng 2" in refused.value.message
    assert not ImportJob.objects.exists()


def test_a_merge_in_the_header_row_is_refused(world):
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(files.ward_list_xlsx(files.household_rows(2))))
    workbook.active.merge_cells("B4:C4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FileRefused, match="ô gộp"):
        create(world, buffer.getvalue())


# --- 2. Blank and total rows: skipped, and said ------------------------------------------------
def test_subtotals_totals_and_blank_rows_are_skipped_and_listed(world):
    rows = files.household_rows(4)
    sheet = [
        files.HOUSEHOLD_HEADERS,
        *rows[:2],
        ["", "Cộng tổ 1", "", "", "", "", "", 5],  # row 4
        [None] * 3 + [""],  # row 5: blank
        *rows[2:],
        ["Tổng số:", None, None, None, None, None, None, 12],  # row 8
        [None, "TỔNG CỘNG", None, None, None, None, None, "=SUM(H2:H7)"],  # row 9
    ]
    job = create(world, files.xlsx(sheet))
    assert job.status == JobStatus.PREVIEW, job.errors
    assert job.result["new"] == 4
    assert "Bỏ qua 3 dòng tổng cộng/cộng nhóm: dòng 4, 8, 9." in job.warnings
    assert "Bỏ qua 1 dòng trống: dòng 5." in job.warnings


def test_a_csv_total_row_is_skipped_too(world):
    content = files.csv_bytes(
        [files.HOUSEHOLD_HEADERS, *files.household_rows(2), ["", "Tổng", "", "", "", "", "", "3"]]
    )
    job = create(world, content, "ho.csv")
    assert job.status == JobStatus.PREVIEW, job.errors
    assert "Bỏ qua 1 dòng tổng cộng/cộng nhóm: dòng 4." in job.warnings


def test_a_household_whose_name_begins_like_a_total_is_a_household(world):
    rows = files.household_rows(2)
    rows[0][1] = "Công Văn Tổng"
    rows[1][1] = "Tống Thị Cộng"
    job = create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows]))
    assert job.result["new"] == 2
    assert not any("tổng cộng" in warning for warning in job.warnings)


# --- 3. One spelling: NFC at the import door and the form door ----------------------------------
@pytest.mark.parametrize("name", ["ho.xlsx", "ho.csv"])
def test_decomposed_accents_are_stored_composed(world, django_capture_on_commit_callbacks, name):
    rows = files.household_rows(2)
    for row in rows:
        row[1], row[3], row[4] = (
            files.nfd(row[1]),
            files.nfd(" Ngõ  34 "),
            files.nfd("Phố Định Công"),
        )
    headers = [files.nfd(header) for header in files.HOUSEHOLD_HEADERS]
    sheet = [headers, *rows]
    content = files.csv_bytes(sheet) if name.endswith(".csv") else files.xlsx(sheet)
    assert files.nfd("Phố Định Công") != "Phố Định Công"
    run(create(world, content, name, consent_all=True), django_capture_on_commit_callbacks)
    stored = Household.objects.order_by("house_number")
    assert {household.street for household in stored} == {"Phố Định Công"}
    assert {household.alley for household in stored} == {"Ngõ 34"}
    assert stored[0].contact_name == "Nguyễn Văn 1"
    assert all(unicodedata.is_normalized("NFC", h.contact_name) for h in stored)


def test_the_household_form_stores_decomposed_accents_composed(world, login):
    from django.urls import reverse

    client = login(world.users["volunteer"])
    form = {"area": world.groups[1].pk, "house_number": "5", "street": files.nfd("Phố Định Công")}
    assert client.post(reverse("households:create"), form).status_code == 302
    assert Household.objects.get().street == "Phố Định Công"


def test_text_normalise_composes_trims_and_collapses():
    assert text_normalise(files.nfd("  Phường\tĐịnh   Công \n")) == "Phường Định Công"
    assert text_normalise("Ngõ 12") == "Ngõ 12"


# --- 4. Consent given later adds the contacts ---------------------------------------------------
def _with_consent(rows: list[list], answer: str = "Có") -> list[list]:
    return [
        [*files.HOUSEHOLD_HEADERS, "Đồng ý lưu liên hệ"],
        *[[*row, answer] for row in rows],
    ]


def test_consent_given_later_adds_contacts_to_the_households_already_there(
    world, django_capture_on_commit_callbacks
):
    rows = files.household_rows(3)
    first = run(
        create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows])),
        django_capture_on_commit_callbacks,
    )
    assert first.status == JobStatus.DONE
    assert set(Household.objects.values_list("contact_name", "contact_phone")) == {("", "")}

    again = create(world, files.xlsx(_with_consent(rows)))
    assert (again.result["new"], again.result["existing"]) == (0, 3)
    assert again.result["contacts_added"] == 3
    done = run(again, django_capture_on_commit_callbacks)
    assert done.result["written"] == {"created": 0, "contacts_added": 3}
    household = Household.objects.get(house_number="2")
    assert (household.contact_name, household.contact_phone) == ("Nguyễn Văn 2", "+84900000002")
    assert household.consent_at is not None
    assert household.consent_by == world.users["ward"]
    assert "nguyen van 2" in household.search_key
    change = HouseholdChange.objects.filter(household=household).latest("pk")
    assert change.changes["contact_name"] == ["", "Nguyễn Văn 2"]
    assert Household.objects.count() == 3

    third = create(world, files.xlsx(_with_consent(rows)))
    assert third.result["contacts_added"] == 0
    assert not any("liên hệ khác" in warning for warning in third.warnings)


def test_a_contact_already_stored_is_never_replaced(world, django_capture_on_commit_callbacks):
    rows = files.household_rows(1)
    run(create(world, files.xlsx(_with_consent(rows))), django_capture_on_commit_callbacks)
    rows[0][1] = ""  # no name this time, another phone: the same household, by its address
    rows[0][6] = "0988 777 666"
    job = create(world, files.xlsx(_with_consent(rows)))
    assert job.result["contacts_added"] == 0
    assert any("1 hộ đã có trong danh sách với liên hệ khác" in w for w in job.warnings)
    run(job, django_capture_on_commit_callbacks)
    assert Household.objects.get().contact_phone == "+84900000001"


def test_rows_without_consent_add_nothing_to_the_households_there(
    world, django_capture_on_commit_callbacks
):
    rows = files.household_rows(2)
    run(
        create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows])),
        django_capture_on_commit_callbacks,
    )
    job = create(world, files.xlsx(_with_consent(rows, answer="Không")))
    assert job.result["contacts_added"] == 0
    run(job, django_capture_on_commit_callbacks)
    assert set(Household.objects.values_list("contact_name", "contact_phone")) == {("", "")}


# --- 5. Ignored columns are named; citizen IDs are kept nowhere ---------------------------------
IDS = ["001088012345", "001 190 054 321", "079203004567"]
ID_HEADERS = [*files.HOUSEHOLD_HEADERS, "Số CCCD", "Năm sinh", "Mã số khác"]


def _id_rows() -> list[list]:
    rows = files.household_rows(3)
    return [
        [*row, IDS[index], 1960 + index, IDS[(index + 1) % 3].replace(" ", "")]
        for index, row in enumerate(rows)
    ]


def _text_in_database() -> str:
    """Every text, JSON and binary column of every import job, household and history row, with
    the job's packed rows unpacked: where an ID could have been kept."""
    parts: list[str] = []
    for model in (ImportJob, Household, HouseholdChange):
        for obj in model.objects.all():
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if isinstance(field, models.BinaryField):
                    parts.append(bytes(value or b"").decode("utf-8", "replace"))
                elif isinstance(field, models.JSONField):
                    parts.append(json.dumps(value, ensure_ascii=False))
                elif isinstance(value, str):
                    parts.append(value)
            if model is ImportJob and obj.records:
                parts.extend(json.dumps(row) for row in PackedRecords.rows(obj.records))
    return "\n".join(parts)


def _assert_no_id_kept() -> None:
    text = _text_in_database()
    assert text  # something was stored, and it holds no ID however spaced
    joined = re.sub(r"(?<=\d)[ .\-](?=\d)", "", text)
    for number in IDS:
        assert number.replace(" ", "") not in joined


@pytest.mark.parametrize("name", ["ho.xlsx", "ho.csv"])
def test_an_id_column_is_named_and_no_id_survives_preview_or_import(
    world, django_capture_on_commit_callbacks, name
):
    sheet = [ID_HEADERS, *_id_rows()]
    content = files.csv_bytes(sheet) if name.endswith(".csv") else files.xlsx(sheet)
    job = create(world, content, name, consent_all=True)
    assert job.status == JobStatus.PREVIEW, job.errors
    assert any("Cột “Số CCCD” có số định danh" in warning for warning in job.warnings)
    # A column of 12-digit numbers under another header is found by its values.
    assert any("Cột “Mã số khác” có số định danh" in warning for warning in job.warnings)
    assert "Cột “Năm sinh” không được lưu." in job.warnings
    assert not any("“STT”" in warning for warning in job.warnings)
    assert bytes(job.content) == b""
    _assert_no_id_kept()
    done = run(job, django_capture_on_commit_callbacks)
    assert done.status == JobStatus.DONE
    assert Household.objects.count() == 3
    _assert_no_id_kept()


def test_an_id_typed_in_a_kept_cell_is_masked_in_the_errors(world):
    rows = [row[:8] for row in _id_rows()]
    rows[0][6] = IDS[0]  # an ID in the phone cell
    rows[1][6] = IDS[1]
    job = create(world, files.xlsx([ID_HEADERS, *[[*row, "", "", ""] for row in rows]]))
    assert job.status == JobStatus.INVALID
    assert [error["row"] for error in job.errors] == [2, 3]
    assert "•••••••••345" in job.errors[0]["message"]
    _assert_no_id_kept()


def test_an_import_that_must_keep_its_file_refuses_an_id_column(world):
    rows = [["Họ và tên", "SĐT", "Số CMND/CCCD"], ["Ngô Thị Hạnh", "0987 111 222", IDS[0]]]
    with pytest.raises(FileRefused, match="Số CMND/CCCD"):
        create(world, files.xlsx(rows), "tnv.xlsx", "volunteers")
    assert not ImportJob.objects.exists()


def test_mask_id_numbers_keeps_phones_and_house_numbers():
    assert mask_id_numbers("Số 001.088.012.345 sai") == "Số •••••••••345 sai"
    assert mask_id_numbers("0912 345 678, số 12/34") == "0912 345 678, số 12/34"


# --- The preview page says all of it ------------------------------------------------------------
def test_the_preview_page_names_skipped_rows_ignored_columns_and_contacts_added(
    login, world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    rows = files.household_rows(2)
    run(
        create(world, files.xlsx([files.HOUSEHOLD_HEADERS, *rows])),
        django_capture_on_commit_callbacks,
    )
    client = login(world.users["ward"])
    headers = [*files.HOUSEHOLD_HEADERS, "Đồng ý lưu liên hệ", "Số CCCD"]
    content = files.ward_list_xlsx(
        [[*row, "Có", IDS[index]] for index, row in enumerate(rows)], headers=headers
    )
    url = reverse("workspace:import-start", args=[world.ward.pk, "households"])
    with django_capture_on_commit_callbacks(execute=True):  # the worker's check, eagerly
        response = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", content)})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Bỏ qua 1 dòng tổng cộng/cộng nhóm: dòng 7." in page
    assert "Cột “Số CCCD” có số định danh" in page
    assert "2 cập nhật liên hệ" in page
    assert "0 mới, 2 đã có" in page
    for number in IDS:
        assert number not in page
