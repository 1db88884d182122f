"""Rows of a model written by one hand-written multi-row INSERT: the hot paths' writer.

The ORM's `bulk_create` builds its statement through the query compiler on every call, and for
one row that costs several times running the statement (a visit: ~0.5 ms of a request's ~5).
`RowsInsert` prepares the column list once per model and process and turns each instance into
its parameters through the fields' own `pre_save` and `get_db_prep_save`, as `bulk_create`
does — so the values stored are the ORM's, only the SQL is built here. No signals are sent
(bulk_create sends none either).

Used by every written-out INSERT of the hot paths (a visit and its household's last visit, the
tallies journal), so the rules of turning a field into a parameter live in one place.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


class RowsInsert:
    """The INSERT of `model`'s concrete columns but its auto primary key (or of `fields`).

    `values_sql(count)` is the `INSERT INTO … (…) VALUES (…), …` text for `count` rows, and
    `params(objects)` their parameters in order; `insert(objects)` runs it, and sets each
    object's primary key from `RETURNING` where the database returns rows (both engines here
    do: PostgreSQL, SQLite ≥ 3.35), in the order given, as bulk_create does."""

    def __init__(self, model: type[models.Model], fields: Sequence[str] | None = None) -> None:
        meta = model._meta
        self.model = model
        if fields is None:
            chosen = [field for field in meta.concrete_fields if not field.primary_key]
        else:
            chosen = [meta.get_field(name) for name in fields]
        self.fields = chosen
        # (attname, field, whether pre_save computes the value: auto_now, auto_now_add)
        self._plan = [
            (
                field.attname,
                field,
                bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)),
            )
            for field in chosen
        ]
        self._sql: dict[tuple[str, int], tuple[str, str, str]] = {}

    def parts(self) -> tuple[str, str, str]:
        """(quoted table, quoted column list, one row's placeholders) for this connection."""
        key = (connection.vendor, -1)
        if key not in self._sql:
            q = connection.ops.quote_name
            self._sql[key] = (
                q(self.model._meta.db_table),
                ", ".join(q(field.column) for field in self.fields),
                f"({', '.join(['%s'] * len(self.fields))})",
            )
        return self._sql[key]

    def values_sql(self, count: int) -> str:
        table, columns, row = self.parts()
        return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * count)}"  # noqa: S608

    def params(self, objects: Iterable[models.Model]) -> list[Any]:
        # The connection itself, not the `connection` proxy: each attribute read through the
        # proxy is a lookup of its own, and a row asks the connection once per field.
        db = connections[DEFAULT_DB_ALIAS]
        params: list[Any] = []
        for obj in objects:
            for attname, field, computed in self._plan:
                value = field.pre_save(obj, add=True) if computed else getattr(obj, attname)
                params.append(field.get_db_prep_save(value, db))
        return params

    def values_params(self, rows: Iterable[Sequence[Any]]) -> list[Any]:
        """The parameters of rows given as values in the order of `fields` (no instance built,
        no `pre_save`: the caller gives every value, timestamps included)."""
        db = connections[DEFAULT_DB_ALIAS]
        params: list[Any] = []
        for values in rows:
            for (_attname, field, _computed), value in zip(self._plan, values, strict=True):
                params.append(field.get_db_prep_save(value, db))
        return params

    def insert(self, objects: Sequence[models.Model]) -> None:
        """One statement for all `objects`; their primary keys set from RETURNING."""
        if not objects:
            return
        pk = self.model._meta.pk
        sql = self.values_sql(len(objects))
        returning = connection.features.can_return_rows_from_bulk_insert
        if returning:
            sql += f" RETURNING {connection.ops.quote_name(pk.column)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params(objects))
            if not returning:
                return
            rows = cursor.fetchall()
        for obj, (value,) in zip(objects, rows, strict=True):
            setattr(obj, pk.attname, value)
            obj._state.adding = False
            obj._state.db = connection.alias
