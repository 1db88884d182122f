"""The ranking one indicator at a time, as a phone shows it: units ordered by their % of the
chosen indicator's target (or by the count where none is set), the top and bottom few marked
so that the page opens on them, and each row's accent-free name for the search box."""

from dataclasses import dataclass

from core.text import search_key

from .rows import Cell, Row, tone

EDGE = 5  # units shown at each end before "show all"


@dataclass
class RankedUnit:
    rank: int
    row: Row
    cell: Cell
    middle: bool  # hidden until "show all" (or a search) on a phone
    search: str
    tone: str = ""


def indicator_ranking(
    *, rows: list[Row], key: str, pace: float, edge: int = EDGE
) -> list[RankedUnit]:
    """No query: `rows` already hold every cell."""

    cells = {id(row): next(cell for cell in row.cells if cell.key == key) for row in rows}

    def order(row: Row) -> tuple:
        cell = cells[id(row)]
        return (cell.pct is None, -(cell.pct or 0), -cell.achieved, row.name)

    ranked = sorted(rows, key=order)
    count = len(ranked)
    return [
        RankedUnit(
            rank=index,
            row=row,
            cell=cells[id(row)],
            middle=edge < index <= count - edge,
            # The dashboard keys its rows once for every list; others are keyed here.
            search=row.extra.get("search") or search_key(row.name),
            tone=tone(cells[id(row)].pct, pace),
        )
        for index, row in enumerate(ranked, start=1)
    ]
