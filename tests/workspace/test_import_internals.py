"""The fast paths of the import give exactly what the slow ones gave: the xlsx reader the values
openpyxl reads, the folded keys those of core.text / households.services, the packed rows the
rows, and a run in batches the same households as a run in one go."""

import base64
import datetime
import io
import os
import zipfile

import openpyxl
import pytest

from core.spreadsheets.reader import FileRefused, SheetReader, open_table
from core.text import search_key
from households.models import Household, HouseholdChange
from households.services import address_key
from workspace.imports import jobs as import_jobs
from workspace.imports import registry, validation
from workspace.imports.base import PACKED, PackedRecords
from workspace.imports.jobs import import_job_create, import_job_run
from workspace.imports.keys import fold, fold_address
from workspace.models import ImportJob, JobStatus

from . import files

TRICKY = [
    "",
    "   ",
    "Phường Định Công",
    "ĐƯỜNG GIẢI PHÓNG",
    "Nguyễn Thị Ánh   Tuyết",
    "Nguye\u0302\u0303n",  # decomposed (NFD) input
    "Số 12, ngõ 34/5, phố Định Công",
    "Căn hộ 1203, Số nhà 7",
    "a\u034fb",  # combining grapheme joiner: combining class 0, kept by search_key
    "Straße",
    "１２ ﬁ",  # fullwidth digits and a ligature: NFKD makes them ASCII
    "½ căn",
    "Hộ 🏠 số 3",
    "tab\there\u00a0nbsp",
    "Tổ dân phố 05",
    "ǅ Ǆ ǉ",
    "Ơ Ư ơ ư ă Ă â ê ô",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_fold_is_search_key(text):
    assert fold(text) == search_key(text)


@pytest.mark.parametrize("text", TRICKY)
def test_fast_address_key_is_the_services_one(text):
    parts = {"house_number": text, "alley": "Ngõ " + text, "street": text[::-1], "apartment": ""}
    assert fold_address(**parts) == address_key(**parts)


def _openpyxl_values(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = []
    for number, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
        values = {
            index: cell.value
            for index, cell in enumerate(row)
            if cell.value is not None and cell.value != ""
        }
        if values:
            rows.append((number, values))
    return rows


def _reader_rows(content: bytes) -> list[tuple]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    strings = []
    if "xl/sharedStrings.xml" in archive.namelist():
        from core.spreadsheets.reader import _shared_strings

        strings = _shared_strings(archive, "xl/sharedStrings.xml")
    reader = SheetReader(
        archive.open(workbook.worksheets[0]._worksheet_path),
        strings=strings,
        epoch=workbook.epoch,
        date_styles=workbook._date_formats,
        timedelta_styles=workbook._timedelta_formats,
    )
    rows = []
    for number, cells in reader:
        values = {index: value for index, (value, _formula) in cells.items() if value != ""}
        if values:
            rows.append((number, values))
    return rows


def test_sheet_reader_reads_what_openpyxl_reads():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Tên", "Số", "Tỉ lệ", "Ngày", "Đúng", None, "Ghi chú"])
    sheet.append(["Nguyễn Văn An", 12, 0.5, datetime.datetime(2024, 3, 5), True, None, "x"])
    sheet.append([])
    sheet.append(["Lê Thị Bình", 7.0, -3.25, datetime.date(2023, 1, 31), False, None, ""])
    sheet["J6"] = "xa bên phải"
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    assert _reader_rows(content) == _openpyxl_values(content)
    excel_like = files.with_shared_strings(content)
    assert b"sharedStrings" in excel_like
    assert _reader_rows(excel_like) == _openpyxl_values(excel_like)
    assert _reader_rows(excel_like) == _reader_rows(content)


def _sheet_xml(body: str, prefix: str = "") -> bytes:
    ns = f"xmlns{':' + prefix.rstrip(':') if prefix else ''}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet '
        f'{ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<{prefix}sheetData>{body}</{prefix}sheetData></{prefix}worksheet>"
    ).encode()


def _read_xml(xml: bytes, strings=()) -> list:
    reader = SheetReader(
        io.BytesIO(xml),
        strings=list(strings),
        epoch=datetime.datetime(1899, 12, 30),
        date_styles=set(),
        timedelta_styles=set(),
    )
    return list(reader)


def test_sheet_reader_handles_prefixes_rich_text_formulas_and_missing_references():
    body = (
        '<x:row r="2"><x:c r="B2" t="s"><x:v>1</x:v></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>Ngõ </x:t></x:r><x:r><x:t>34</x:t></x:r>'
        "<x:rPh><x:t>phonetic</x:t></x:rPh></x:is></x:c>"
        '<x:c r="E2"><x:f>1+2</x:f><x:v>3</x:v></x:c>'
        '<x:c r="F2" t="str"><x:v>text</x:v></x:c><x:c r="G2" t="b"><x:v>1</x:v></x:c></x:row>'
        '<x:row><x:c><x:v>2.5</x:v></x:c><x:c r="C3" t="e"><x:v>#N/A</x:v></x:c></x:row>'
        '<x:row r="7"><x:c r="AA7"><x:v>1E3</x:v></x:c></x:row>'
    )
    rows = _read_xml(_sheet_xml(body, "x:"), strings=["zero", "Tổ 1"])
    assert rows == [
        (
            2,
            {
                1: ("Tổ 1", False),
                2: ("Ngõ 34", False),
                4: (None, True),
                5: ("text", False),
                6: (True, False),
            },
        ),
        (3, {0: (2.5, False), 2: ("#N/A", False)}),
        (7, {26: (1000, False)}),
    ]


def test_sheet_reader_refuses_a_dtd():
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>'
    with pytest.raises(Exception, match="DTD"):
        _read_xml(xml)


def test_shared_strings_keep_runs_and_drop_phonetic_hints(world):
    from core.spreadsheets.reader import _shared_strings

    xml = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main"><si><t>Tổ 1</t></si><si><r><t>Phố </t></r><r><rPr/><t>Định Công</t></r>'
        "<rPh><t>ふ</t></rPh></si><si><t/></si></sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        assert _shared_strings(archive, "/xl/sharedStrings.xml") == ["Tổ 1", "Phố Định Công", ""]


def test_an_excel_file_with_shared_strings_reads_into_rows():
    table = open_table(
        content=files.with_shared_strings(files.households_xlsx(3)),
        filename="ho.xlsx",
        columns=registry.importer_class("households").columns,
    )
    rows = list(table.rows)
    assert [number for number, _values, _formulas in rows] == [2, 3, 4]
    assert rows[0][1]["contact_name"] == "Nguyễn Văn 1"
    assert rows[0][1]["members"] == 2


def test_a_bomb_in_a_shared_strings_part_is_refused(world):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&b;</t></si></sst>"
    )
    content = files.with_shared_strings(files.households_xlsx(1), strings_xml=bomb)
    with pytest.raises(FileRefused) as refused:
        import_job_create(
            kind="households",
            ward=world.ward,
            user=world.users["ward"],
            filename="ho.xlsx",
            content=content,
        )
    assert "không an toàn" in refused.value.message
    assert not ImportJob.objects.exists()


def test_packed_rows_read_back_the_same_across_chunks():
    packed = PackedRecords()
    rows = [
        [number, base64.b64encode(os.urandom(75)).decode(), "Định Công", None, True, number / 3]
        for number in range(20_000)
    ]
    for row in rows:
        packed.add(row)
    stored = packed.stored()
    assert stored["format"] == PACKED
    assert stored["count"] == len(rows)
    assert len(base64.b64decode(stored["data"])) > 1 << 20  # more than one read step
    assert list(PackedRecords.rows(stored)) == rows
    assert list(PackedRecords.rows([[1, "a"]])) == [[1, "a"]]  # rows stored as a plain list


def _create(world, content: bytes, **options):
    return import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=content,
        options=options,
    )


def _run(job) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_preview_keeps_the_clean_rows_packed_on_the_job(world):
    job = _create(world, files.households_xlsx(7))
    assert job.records["format"] == PACKED
    assert job.records["count"] == 7
    assert len(list(PackedRecords.rows(job.records))) == 7


def test_a_job_previewed_with_rows_as_a_list_still_runs(world):
    job = _create(world, files.households_xlsx(3))
    ImportJob.objects.filter(pk=job.pk).update(records=list(PackedRecords.rows(job.records)))
    job = _run(job)
    assert job.status == JobStatus.DONE
    assert Household.objects.count() == 3


def test_existing_rows_are_found_and_skipped_across_batches(world, monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH", 3)
    monkeypatch.setattr(validation, "BATCH", 3)
    first = _run(_create(world, files.households_xlsx(6), consent_all=True))
    assert first.result["written"] == {"created": 6}
    again = _create(world, files.households_xlsx(10), consent_all=True)
    assert again.result["existing"] == 6
    assert again.result["new"] == 4
    assert again.result["existing_rows"] == [2, 3, 4, 5, 6, 7]
    again = _run(again)
    assert again.status == JobStatus.DONE
    assert again.result["existing"] == 6
    assert again.result["written"] == {"created": 4}
    assert Household.objects.count() == 10
    assert HouseholdChange.objects.count() == 10
    household = Household.objects.get(house_number="9")
    assert household.digital_status == "none"
    assert household.created_at is not None
    assert household.consent_by == world.users["ward"]
    assert household.search_key == search_key(
        f"{household.address} {household.contact_name} {household.contact_phone}"
    )
    change = HouseholdChange.objects.get(household=household)
    assert change.changes == {"imported": [None, household.address]}
    assert change.changed_by == world.users["ward"]


def test_the_progress_bar_starts_half_way_for_checked_rows_and_ends_at_100(world):
    from core.jobs.runner import job_claim
    from workspace.imports.jobs import IMPORT_JOBS, Progress

    job = _create(world, files.households_xlsx(20))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    attempt = job_claim(IMPORT_JOBS, job.pk)
    assert attempt.job.percent == 50
    progress = Progress(attempt)
    progress.offset = attempt.job.total
    progress(10)  # half of the rows written: three quarters of the way
    claimed = ImportJob.objects.get(pk=job.pk)
    assert claimed.percent == 75
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    done = _run(job)
    assert done.status == JobStatus.DONE
    assert done.percent == 100
