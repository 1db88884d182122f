"""The order a batch is applied in, and the cut after it (core.sync.ordering)."""

import uuid

from core.sync.items import Item
from core.sync.ordering import cut, in_order


def item(position: int, kind: str = "visit", *, made_at=None, seq=None, parent=None) -> Item:
    raw_id = str(uuid.UUID(int=position + 1))
    data = {"parent": parent} if parent else {}
    return Item(position, uuid.UUID(raw_id), kind, data, made_at, seq, raw_id)


def parent_of(entry: Item) -> str | None:
    return entry.data.get("parent")


def positions(items: list[Item]) -> list[int]:
    return [entry.position for entry in items]


def test_items_go_by_device_time_then_save_order_then_place_in_the_batch():
    batch = [
        item(0, made_at=300.0),
        item(1, made_at=100.0, seq=9),
        item(2, made_at=100.0, seq=4),
        item(3),  # no device time: after the dated ones, in its place
        item(4, made_at=100.0),  # same time, no save order: after those that have one
        item(5),
    ]
    assert positions(in_order(batch, parent_of=parent_of)) == [2, 1, 4, 0, 3, 5]


def test_save_order_decides_between_items_without_a_device_time():
    batch = [item(0, seq=3), item(1, seq=1), item(2, seq=2)]
    assert positions(in_order(batch, parent_of=parent_of)) == [1, 2, 0]


def test_a_parent_goes_before_its_child_whatever_their_times():
    household = item(2, "household", made_at=500.0)
    visit = item(0, made_at=100.0, parent=household.raw_id)
    other = item(1, made_at=200.0)
    ordered = in_order([visit, other, household], parent_of=parent_of)
    assert positions(ordered) == [2, 0, 1]


def test_a_parent_outside_the_batch_changes_nothing():
    batch = [item(0, made_at=2.0, parent=str(uuid.uuid4())), item(1, made_at=1.0)]
    assert positions(in_order(batch, parent_of=parent_of)) == [1, 0]


def test_a_cycle_of_parents_still_places_every_item_once():
    first, second = item(0, made_at=1.0), item(1, made_at=2.0)
    first = item(0, made_at=1.0, parent=second.raw_id)
    second = item(1, made_at=2.0, parent=first.raw_id)
    assert sorted(positions(in_order([first, second], parent_of=parent_of))) == [0, 1]


def test_the_cut_never_keeps_a_child_whose_parent_it_drops():
    """The parent made last on the phone is ordered before its children, so a cut after the
    order keeps it; what is past the limit is returned to be deferred, not lost."""
    household = item(5, "household", made_at=900.0)
    visits = [item(i, made_at=float(i), parent=household.raw_id) for i in range(5)]
    now, later = cut(in_order([*visits, household], parent_of=parent_of), limit=3)
    assert positions(now) == [5, 0, 1]
    assert positions(later) == [2, 3, 4]


def test_nothing_is_cut_below_the_limit():
    batch = [item(i) for i in range(3)]
    now, later = cut(in_order(batch, parent_of=parent_of), limit=3)
    assert (positions(now), later) == ([0, 1, 2], [])
