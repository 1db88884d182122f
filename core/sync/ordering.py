"""The order a batch is applied in, and where it is cut.

Items are applied in the order they were made on the phone: by device time, then by the
phone's save order, then by place in the request. A creation an item depends on (the household
a visit names, the plan a report names) goes before it wherever it sits. The cut comes after
the order, so a parent always lands no later than its children: a prefix never keeps a child
and drops its parent."""

from collections.abc import Callable, Sequence

from .items import Item

# One batch is what a cheap phone on a weak signal can send, and the server apply, well
# inside the outbox's 30-second timeout. The rest is answered "deferred" and sent next.
BATCH_LIMIT = 100

ParentOf = Callable[[Item], str | None]


def _made_order(item: Item) -> tuple:
    # Items whose device time is unknown (an old page, a broken clock) keep their place
    # after the dated ones rather than jumping ahead of them.
    return (
        item.made_at is None,
        item.made_at or 0.0,
        item.seq is None,
        item.seq or 0,
        item.position,
    )


def in_order(items: Sequence[Item], *, parent_of: ParentOf) -> list[Item]:
    """`items` in the order to apply them. `parent_of(item)` is the raw id of the creation
    `item` depends on (or None); a parent found in the batch is placed before its child."""
    by_id = {item.raw_id: item for item in items}
    placed: set[int] = set()
    ordered: list[Item] = []
    for item in sorted(items, key=_made_order):
        chain: list[Item] = []
        seen: set[int] = set()
        current: Item | None = item
        # Walk up the parents not yet placed; `seen` stops a cycle (a crafted batch).
        while current is not None and current.position not in placed | seen:
            chain.append(current)
            seen.add(current.position)
            parent_id = parent_of(current)
            current = by_id.get(parent_id) if parent_id else None
        for link in reversed(chain):
            placed.add(link.position)
            ordered.append(link)
    return ordered


def cut(ordered: Sequence[Item], *, limit: int = BATCH_LIMIT) -> tuple[list[Item], list[Item]]:
    """(applied now, deferred): the first `limit` items in order, and the rest."""
    return list(ordered[:limit]), list(ordered[limit:])
