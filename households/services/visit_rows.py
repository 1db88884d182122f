"""How new visits are written: their rows and their households' last visit, in as few
statements as the engine allows — on PostgreSQL one, for one visit or a batch's run; elsewhere
an INSERT and an UPDATE. Both say the rule of the last visit with the same words
(`_raise_sql`): it only moves forward, to the latest visit's time.

Written out (core.rows): a visit is the hot path, and the ORM's bulk_create and its Case of one
When per household cost more to build than the statements took to run."""

import datetime
import functools

from django.db import connection

from core.rows import RowsInsert

from ..models import Household, Visit

VISIT_ROWS = RowsInsert(Visit)


def visits_insert(visits: list[Visit]) -> None:
    """The visits' rows, each given its primary key, and their households' last visit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_insert_raising_sql(len(visits)), VISIT_ROWS.params(visits))
            # Matched by client id: whatever order the database returns the new rows in.
            ids = {str(client_uuid): pk for pk, client_uuid in cursor.fetchall()}
        for visit in visits:
            visit.pk = ids[str(visit.client_uuid)]
            visit._state.adding = False
            visit._state.db = connection.alias
        return
    VISIT_ROWS.insert(visits)
    latest: dict[int, datetime.datetime] = {}
    for visit in visits:
        if visit.household_id not in latest or latest[visit.household_id] < visit.device_time:
            latest[visit.household_id] = visit.device_time
    households_last_visit_raise(latest)


def households_last_visit_raise(latest: dict[int, datetime.datetime]) -> None:
    """Each household's last visit moved to the time given, where that is later: one
    statement for any number of households."""
    field = Household._meta.get_field("last_visit_at")
    params: list = []
    for pk in sorted(latest):  # in household order: two writers lock them alike
        params += [pk, field.get_db_prep_value(latest[pk], connection)]
    rows = ", ".join(["(%s, %s)"] * len(latest))
    sql = f"WITH n (household, latest) AS (VALUES {rows}) {_raise_sql()}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _raise_sql() -> str:
    """The rule, over a set `n` of (household, latest visit time): the household's last visit
    moves forward to it, never back."""
    q = connection.ops.quote_name
    household = Household._meta
    key, last = q(household.pk.column), q(household.get_field("last_visit_at").column)
    return (
        f"UPDATE {q(household.db_table)} AS h SET {last} = n.latest FROM n "  # noqa: S608
        f"WHERE h.{key} = n.household AND (h.{last} IS NULL OR h.{last} < n.latest)"
    )


@functools.lru_cache(maxsize=64)
def _insert_raising_sql(count: int) -> str:
    """PostgreSQL: the INSERT of `count` visits and the raise of their households in one
    statement (a data-modifying WITH), built once per size and process."""
    q = connection.ops.quote_name
    visit = Visit._meta
    target = q(visit.get_field("household").column)
    moment = q(visit.get_field("device_time").column)
    client = q(visit.get_field("client_uuid").column)
    return (
        f"WITH new AS ({VISIT_ROWS.values_sql(count)} "  # noqa: S608 (names from _meta)
        f"RETURNING {q(visit.pk.column)}, {client}, {target}, {moment}), "
        # In household order: two batches raising the same households lock them alike.
        f"n AS (SELECT {target} AS household, MAX({moment}) AS latest FROM new "
        f"GROUP BY {target} ORDER BY {target}), "
        f"raised AS ({_raise_sql()}) "
        f"SELECT {q(visit.pk.column)}, {client} FROM new"
    )
