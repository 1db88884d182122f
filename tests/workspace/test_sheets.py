"""Each list's columns are declared once (workspace.resources): the import reads what the
export writes, the template offers what the import reads, and every header has its cell."""

import datetime

import pytest
from django.utils import translation

from core.spreadsheets.reader import open_table
from core.spreadsheets.writer import spec_bytes
from households.models import COUNT_FIELDS
from workspace.exports.households import household_rows, visit_rows
from workspace.exports.people import team_rows, volunteer_rows
from workspace.imports.registry import IMPORTERS
from workspace.imports.templates import template_rows
from workspace.resources import HouseholdSheet, VisitSheet

from .factories import household_in, visit_to

pytestmark = pytest.mark.django_db


def test_every_importer_reads_the_columns_its_template_writes():
    for kind, importer in IMPORTERS.items():
        headers, example = template_rows(kind)
        assert headers == [str(column.label) for column in importer.columns], kind
        assert len(example) == len(headers), kind


def test_visit_counts_are_declared_in_the_models_order():
    count_keys = [key for key in VisitSheet.export_keys if key in COUNT_FIELDS]
    assert count_keys == list(COUNT_FIELDS)


def test_every_export_row_has_a_cell_under_each_header(world):
    household = household_in(world.groups[0])
    visit_to(household, world.users["volunteer"], install_guidance=1, level2_coaching=1)
    for rows in (household_rows, visit_rows, volunteer_rows, team_rows):
        spec = rows(ward=world.ward, filters={})
        for row in spec.rows:
            assert len(row) == len(spec.headers), rows.__name__


def _read_back(spec, columns):
    return open_table(content=spec_bytes("csv", spec), filename="back.csv", columns=columns)


def test_a_visit_export_is_read_back_with_every_count_column(world):
    household = household_in(world.groups[0])
    visit_to(household, world.users["volunteer"], install_guidance=1, level2_coaching=2)
    table = _read_back(visit_rows(ward=world.ward, filters={}), VisitSheet.import_columns())
    # The export once headed level-2 coaching "hướng dẫn kích hoạt mức 2": read as unknown.
    assert set(COUNT_FIELDS) <= set(table.columns)
    assert set(table.unknown) <= {"Mã lượt", "Trạng thái"}
    _number, values, _formulas = next(table.rows)
    assert str(values["level2_coaching"]) == "2"


def test_a_household_export_fills_in_as_an_import_of_another_ward(world):
    household_in(world.groups[0], number="7", street="Phố Định Công")
    table = _read_back(household_rows(ward=world.ward, filters={}), HouseholdSheet.import_columns())
    for key in ("group", "house_number", "alley", "street", "contact_name", "contact_phone"):
        assert key in table.columns, key
    _number, values, _formulas = next(table.rows)
    assert (str(values["house_number"]), values["street"]) == ("7", "Phố Định Công")


def test_a_visit_row_gives_the_local_day_and_time_and_labels_in_the_language_of_the_export(world):
    household = household_in(world.groups[0], number="7", street="Phố Định Công")
    volunteer = world.users["volunteer"]
    # 17:05 UTC is five past midnight the next day in Hà Nội (UTC+7).
    when = datetime.datetime(2026, 3, 1, 17, 5, tzinfo=datetime.UTC)
    helped = visit_to(household, volunteer, when=when, level1_activations=3)
    refused = visit_to(household, volunteer, when=when, result="refused")
    place = [volunteer.full_name, household.pk, household.area.name, "7, Phố Định Công"]
    counts = [0, 3, *[0] * (len(COUNT_FIELDS) - 2)]
    for language, labels in (
        ("vi", ("Đã hỗ trợ", "Từ chối", "Hợp lệ")),
        ("en", ("Helped", "Refused", "OK")),
    ):
        with translation.override(language):
            rows = list(visit_rows(ward=world.ward, filters={}).rows)
        assert rows == [
            [helped.pk, "02/03/2026", "00:05", *place, labels[0], labels[2], *counts],
            [refused.pk, "02/03/2026", "00:05", *place, labels[1], labels[2], *[0] * len(counts)],
        ], language
