"""An outbox item's guards (core.sync.items): what the phone sent, checked before any app."""

import uuid

import pytest

from core.sync.items import MAX_DEPTH, Refused, item_read

TYPES = {"visit"}


def read(raw: object):
    return item_read(raw, position=0, known_types=TYPES)


def good(**data) -> dict:
    return {"type": "visit", "id": str(uuid.uuid4()), "data": data}


def nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("not an item", "__all__"),
        ({"type": "visit", "data": {}}, "id"),
        ({"type": "visit", "id": 7, "data": {}}, "id"),
        ({"type": "visit", "id": "not-a-uuid", "data": {}}, "id"),
        ({"type": "nonsense", "id": str(uuid.uuid4()), "data": {}}, "type"),
        ({"type": "visit", "id": str(uuid.uuid4()), "data": "x"}, "type"),
        (good(notes="nửa biểu tượng \ud83d"), "notes"),
        (good(notes="NUL\x00"), "notes"),
        (good(household=2**63), "household"),
        (good(household=-(2**63) - 1), "household"),
        (good(teammates=[1, 2**64]), "teammates"),
        (good(count=float("nan")), "count"),
        (good(notes=nested(MAX_DEPTH + 1)), "notes"),
        (good(attendees=[{"\ud800": "x"}]), "attendees"),
        (good(device_time="0001-01-01T00:00:00+07:00"), "device_time"),
        (good(device_time="not a time"), "device_time"),
        (good(device_time="1970-01-01T00:00:00Z"), "device_time"),
    ],
)
def test_an_item_no_field_can_hold_is_refused_with_the_reason(raw, field):
    with pytest.raises(Refused) as refused:
        read(raw)
    assert list(refused.value.errors) == [field]
    assert all(isinstance(m, str) and m for m in refused.value.errors[field])


def test_a_good_item_is_read_with_its_device_time_and_save_order():
    raw = {**good(household=2**63 - 1, notes="🙂", teammates=[1]), "seq": 4}
    raw["made_at"] = "2026-01-10T08:30:00+07:00"
    entry = read(raw)
    assert (entry.type, entry.seq, entry.raw_id) == ("visit", 4, raw["id"])
    assert entry.made_at == pytest.approx(1768008600.0)


def test_the_device_time_in_data_stands_in_for_made_at():
    entry = read(good(device_time="2026-01-10T01:30:00Z"))
    assert entry.made_at == pytest.approx(1768008600.0)


@pytest.mark.parametrize("made_at", ["0001-01-01T00:00:00+07:00", "soon", 12, None])
def test_an_unreadable_made_at_or_seq_only_loses_its_place(made_at):
    entry = read({**good(), "made_at": made_at, "seq": "first"})
    assert (entry.made_at, entry.seq) == (None, None)


def test_a_value_nested_to_the_limit_is_read():
    assert read(good(notes=nested(MAX_DEPTH - 1))).data["notes"]
