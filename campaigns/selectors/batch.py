"""Several reads in one statement: each read's rows come back as one JSON text column.

A dashboard shows a dozen small reads (the unit and its children, their figures, targets, the
daily trend, sign-offs, overlapping campaigns…). Sent one by one, each costs a round trip and
its own execution overhead, which at a few hundred rows apiece is most of their cost; together
they are one round trip. Each read stays the queryset its selector builds (its filters, and so
its scoping, are the selector's), compiled here rather than run, and is wrapped as a scalar
subquery aggregating its rows into a JSON array — `json_agg` on PostgreSQL,
`json_group_array` on SQLite (the two backends the project runs on).

The values are then typed back as the ORM would type them: JSON carries numbers and text, so
dates and timestamps (ISO text on either backend) are parsed, and booleans (0/1 on SQLite) made
bool. A field of another kind is refused rather than guessed.
"""

import datetime
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

Converter = Callable[[object], object] | None

# Internal types whose JSON value is already the Python value.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
}


def _datetime(value: object) -> datetime.datetime | None:
    if value is None:
        return None
    try:  # ISO text from either backend: the C parser, else Django's (a wider syntax)
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = parse_datetime(str(value))
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without an offset
    return parsed


def _date(value: object) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return parse_date(str(value)[:10])


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


_CONVERTERS: dict[str, Converter] = {
    "DateTimeField": _datetime,
    "DateField": _date,
    "BooleanField": _bool,
}


def _converter(field) -> Converter:
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind in _CONVERTERS:
        return _CONVERTERS[kind]
    raise TypeError(f"batch reads do not carry {kind} values through JSON")


@dataclass(frozen=True)
class Read:
    """One read of a batch: SQL selecting `width` columns, and how to type each back."""

    sql: str
    params: tuple
    converters: tuple[Converter, ...]


def read_of(queryset: QuerySet) -> Read:
    """A `values_list()` queryset as a read of a batch, its columns in the order it names them."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    converters = [_converter(column.output_field) for column, _sql, _alias in compiler.select]
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    if queryset._fields and list(queryset._fields) != names:
        # The ORM selects fields before annotations whatever order values_list() names them
        # in, and reorders each row after; a batch read would have to do the same.
        raise ValueError(f"name the fields before the annotations: {names}")
    return Read(sql=sql, params=tuple(params), converters=tuple(converters))


def read_of_sql(sql: str, params: list | tuple, width: int) -> Read:
    """Written-out SQL of `width` columns, read back untyped (numbers and text as JSON has them)."""
    return Read(sql=sql, params=tuple(params), converters=(None,) * width)


def _wrapped(read: Read) -> str:
    columns = ", ".join(f"c{index}" for index in range(len(read.converters)))
    if connection.vendor == "postgresql":
        rows = f"COALESCE(json_agg(json_build_array({columns})), '[]')::text"
    else:
        rows = f"json_group_array(json_array({columns}))"
    # The CTE names the columns: two reads' columns may share a name, or have none.
    return f"(WITH s({columns}) AS ({read.sql}) SELECT {rows} FROM s)"  # noqa: S608 — compiled SQL, params apart


def _typed(rows: list[list], converters: tuple[Converter, ...]) -> list[tuple]:
    """The rows with the columns that need it typed back (most need nothing)."""
    typed = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
    if not typed:
        return [tuple(row) for row in rows]
    for row in rows:
        for index, convert in typed:
            row[index] = convert(row[index])
    return [tuple(row) for row in rows]


def instance(model: type[Model], **values: object) -> Model:
    """A model instance from values read in a batch, the other fields deferred (`from_db` takes
    its values in the model's field order, whatever order the names come in)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(None, names, [values[name] for name in names])


class CompiledReads:
    """Reads kept compiled per process by what they are built from, most recently used last:
    building and compiling a page's querysets can cost as much as running them, and a page
    asks for the same SQL and parameters again and again. Only SQL is kept, never data. The
    caller's key must hold everything the reads are built from."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple, dict[str, Read]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], dict[str, Read]]) -> dict[str, Read]:
        key = (connection.alias, connection.vendor, *key)
        with self._lock:
            reads = self._kept.get(key)
            if reads is not None:
                self._kept.move_to_end(key)
                return reads
        reads = build()
        with self._lock:
            self._kept[key] = reads
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return reads


def read_together(**reads: Read) -> dict[str, list[tuple]]:
    """One statement for all of `reads`: each one's rows, in the order its SQL returns them."""
    if not reads:
        return {}
    names = list(reads)
    sql = "SELECT " + ", ".join(_wrapped(reads[name]) for name in names)
    params = [param for name in names for param in reads[name].params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        texts = cursor.fetchone()
    return {
        name: _typed(json.loads(text) if text else [], reads[name].converters)
        for name, text in zip(names, texts, strict=True)
    }
