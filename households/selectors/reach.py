"""Who reaches which household: the scope check every read and write of a household goes
through, and the visit's one-statement read of its household on the hot path."""

import dataclasses
import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q, Subquery
from django.utils import timezone

from areas.locks import day_known_open, day_open_condition
from areas.models import Area, Level
from volunteers.authority import Action, authority_may
from volunteers.models import COORDINATOR_ROLES, FIELD_ROLES, Membership, User
from volunteers.scoping import Scope, field_scope_for, scope_for, user_roles

from ..models import Household, Visit


def household_scope_for(*, user: User) -> Scope:
    """Coordinators read their whole scope; volunteers and team leaders their field areas.
    Computed once per user object (a request, a sync batch)."""
    cached = user.__dict__.get("_tungnha_household_scope")
    if cached is None:
        if user_roles(user) & COORDINATOR_ROLES:
            cached = scope_for(user=user)
        else:
            cached = field_scope_for(user=user)
        user.__dict__["_tungnha_household_scope"] = cached
    return cached


def _assigned_household_ids(*, user: User) -> frozenset[int]:
    """Households given to a field user one by one (beyond their groups), cached per user."""
    cached = user.__dict__.get("_tungnha_assigned_households")
    if cached is None:
        cached = frozenset()
        if not (user_roles(user) & COORDINATOR_ROLES):
            from volunteers.models import Assignment

            cached = frozenset(
                Assignment.objects.active()
                .for_field_user(user)
                .filter(household_id__isnull=False)
                .values_list("household_id", flat=True)
            )
        user.__dict__["_tungnha_assigned_households"] = cached
    return cached


def household_is_assigned_to(household: Household, user: User) -> bool:
    """Given to the user (or their team) one by one, beyond their groups."""
    return household.pk in _assigned_household_ids(user=user)


def household_reach_q(*, user: User, prefix: str = "") -> Q:
    """Households the user may see and log for: their areas, plus any assigned one by one.
    `prefix` reaches the household through a relation (e.g. "household__" from a visit)."""
    reach = household_scope_for(user=user).q(field=f"{prefix}area")
    assigned = _assigned_household_ids(user=user)
    if assigned:
        reach |= Q(**{f"{prefix}pk__in": sorted(assigned)})
    return reach


def household_in_reach(*, user: User, household: Household) -> bool:
    return household_scope_for(user=user).contains(household.area) or (
        household.pk in _assigned_household_ids(user=user)
    )


def _field_reach_condition(*, user: User) -> tuple[str, list]:
    """`household_reach_q` for a field user (no coordinator role) as one SQL condition on the
    household row, no query run here: `volunteers.scoping.field_scope_for` (the subtrees of the
    user's field memberships; in a ward where the user or their team holds group assignments,
    those groups instead) plus households assigned one by one. Hand-written: the ORM needs
    ~10 ms to build the same condition. tests/households/test_reach_sql.py holds it equal to
    the Python scope, scenario by scenario."""
    from volunteers.models import Assignment

    q = connection.ops.quote_name
    area, membership = q(Area._meta.db_table), q(Membership._meta.db_table)
    assignment = q(Assignment._meta.db_table)
    household = q(Household._meta.db_table)
    roles = sorted(FIELD_ROLES)
    in_roles = ", ".join(["%s"] * len(roles))
    step = Area.steplen
    ward_of_membership = (
        f"CASE ma.level WHEN {int(Level.GROUP)} THEN substr(ma.path, 1, length(ma.path) - {step})"
        f" WHEN {int(Level.WARD)} THEN ma.path END"
    )
    # The user is the signed-in one: active (an inactive user is never authenticated), so the
    # memberships' "user is active" join of Membership.objects.active() is left out.
    held = (
        f"FROM {membership} m JOIN {area} ma ON ma.id = m.area_id "
        f"WHERE m.user_id = %s AND m.is_active = %s AND m.role IN ({in_roles})"
    )
    held_params = [user.pk, True, *roles]
    # Assignment.objects.active().for_field_user(user)
    # Only table names from the models' _meta and integer constants are interpolated below;
    # every value is a parameter.
    active = (
        "a.released_at IS NULL AND (a.valid_until IS NULL OR a.valid_until >= %s) "  # noqa: S608
        f"AND (a.volunteer_id = %s OR a.team_id IN (SELECT m2.team_id FROM {membership} m2 "
        f"WHERE m2.user_id = %s AND m2.is_active = %s AND m2.role IN ({in_roles}) "
        "AND m2.team_id IS NOT NULL))"
    )
    active_params = [timezone.localdate(), user.pk, user.pk, True, *roles]
    sql = (
        f"(EXISTS (SELECT 1 FROM {area} ha "  # noqa: S608
        f"WHERE ha.id = {household}.{q('area_id')} AND ("
        # a field membership's subtree, unless assignments replace it in its ward
        f"EXISTS (SELECT 1 {held} AND substr(ha.path, 1, length(ma.path)) = ma.path "
        f"AND NOT EXISTS (SELECT 1 FROM {assignment} a JOIN {area} aa ON aa.id = a.area_id "
        f"WHERE {active} AND substr(aa.path, 1, length(aa.path) - {step}) = "
        f"{ward_of_membership}))"
        # an assigned group, in a ward where the user holds a field membership
        f" OR EXISTS (SELECT 1 FROM {assignment} a JOIN {area} aa ON aa.id = a.area_id "
        f"WHERE {active} AND substr(ha.path, 1, length(aa.path)) = aa.path "
        f"AND EXISTS (SELECT 1 {held} AND {ward_of_membership} = "
        f"substr(aa.path, 1, length(aa.path) - {step})))"
        # a household assigned one by one
        f")) OR EXISTS (SELECT 1 FROM {assignment} a WHERE {active} "
        f"AND a.household_id = {household}.{q('id')}))"
    )
    params = [
        *held_params,
        *active_params,
        *active_params,
        *held_params,
        *active_params,
    ]
    return sql, params


def household_for_visit(
    *,
    user: User,
    pk: int | None = None,
    client_uuid=None,
    visit_client_id=None,
    day: datetime.date | None = None,
) -> Household | None:
    """The household a visit names (by server id or by the client id it was made with), with
    its area, if the user may log for it — one query. `known_visit_id` holds the id of a visit
    already recorded under `visit_client_id` (a resend), else None. With `day`, the same
    statement asks whether any frozen period meets that day (`areas.locks`) and, when none
    does, tells the running batch so (`day_known_open`): the visit's guard then asks nothing."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not (user_roles(user) & COORDINATOR_ROLES):
        return _field_visit_target(
            user=user, pk=pk, client_uuid=client_uuid, visit_client_id=visit_client_id, day=day
        )
    households = Household.objects.select_related("area").filter(household_reach_q(user=user))
    households = households.filter(pk=pk) if pk else households.filter(client_uuid=client_uuid)
    if visit_client_id is not None:
        known = Visit.objects.filter(client_uuid=visit_client_id).values("pk")[:1]
        households = households.annotate(known_visit_id=Subquery(known))
    household = households.first()
    if household is not None and not authority_may(user=user, action=Action.EDIT, obj=household):
        # Read as a coordinator, but logged for only under a field role held there.
        return None
    if household is not None and visit_client_id is None:
        household.known_visit_id = None
    return household


def _field_visit_target(
    *, user: User, pk: int | None, client_uuid, visit_client_id, day: datetime.date | None
) -> Household | None:
    """`household_for_visit` for a field user, the sync endpoint's every visit: written out,
    because building the same statement through the ORM cost several times running it
    (bench/bench_visits.py). The rows become model instances through the fields' own
    converters, as a queryset's would."""
    q = connection.ops.quote_name
    if pk:
        key, key_value = "id", pk
    else:
        key, key_value = "client_uuid", _db_value(Household, "client_uuid", client_uuid)
    if visit_client_id is None:
        known, known_params = "NULL", []
    else:
        known = (
            f"(SELECT kv.{q('id')} FROM {q(Visit._meta.db_table)} kv "  # noqa: S608
            f"WHERE kv.{q('client_uuid')} = %s)"
        )
        known_params = [_db_value(Visit, "client_uuid", visit_client_id)]
    day_open, day_params = day_open_condition(day) if day is not None else ("NULL", [])
    rows = _field_visit_rows(
        user=user,
        extra=f"{known}, {day_open}",
        extra_params=[*known_params, *day_params],
        where=f"{q(Household._meta.db_table)}.{q(key)} = %s",
        where_params=[key_value],
    )
    if not rows:
        return None
    household, (known_visit_id, open_day) = rows[0]
    household.known_visit_id = known_visit_id
    if day is not None and open_day:
        day_known_open(day)
    return household


def _field_visit_rows(
    *, user: User, extra: str, extra_params: list, where: str, where_params: list
) -> list[tuple[Household, tuple]]:
    """Households (with their area) matching `where` and in the field user's reach, each with
    the values of the `extra` columns: one hand-written statement."""
    household_table, area_table = _visit_target_tables()
    q = connection.ops.quote_name
    reach, reach_params = _field_reach_condition(user=user)
    sql = (
        f"SELECT {household_table.columns}, {area_table.columns}, {extra} "  # noqa: S608
        f"FROM {household_table.name} JOIN {area_table.name} {area_table.alias} "
        f"ON {area_table.alias}.{q('id')} = {household_table.name}.{q('area_id')} "
        f"WHERE {where} AND {reach}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra_params, *where_params, *reach_params])
        rows = cursor.fetchall()
    width = len(household_table.fields)
    area_end = width + len(area_table.fields)
    found = []
    for row in rows:
        household = household_table.instance(row[:width])
        area = area_table.instance(row[width:area_end])
        Household._meta.get_field("area").set_cached_value(household, area)
        found.append((household, tuple(row[area_end:])))
    return found


@dataclass
class VisitTargets:
    """What one sync batch's visits name, read once for the batch (`visit_targets_for`):
    the households in the user's reach by server id and by client id, among those asked for,
    and the visits already recorded under the items' ids (resends)."""

    asked_pks: frozenset[int]
    asked_uuids: frozenset[UUID]
    by_pk: dict[int, Household] = dataclasses.field(default_factory=dict)
    by_uuid: dict[UUID, Household] = dataclasses.field(default_factory=dict)
    known_visits: dict[UUID, int] = dataclasses.field(default_factory=dict)

    def covers(self, *, pk: int | None, client_uuid: UUID | None) -> bool:
        """Does this read answer for the household? A server id asked for and absent is out of
        reach; a client id not found may be a household made earlier in the same batch, so
        only one found is answered here."""
        return pk in self.asked_pks if pk else client_uuid in self.by_uuid

    def household(self, *, pk: int | None, client_uuid: UUID | None) -> Household | None:
        return self.by_pk.get(pk) if pk else self.by_uuid.get(client_uuid)


def visit_targets_for(
    *, user: User, pks: set[int], client_uuids: set[UUID], visit_client_ids: set[UUID]
) -> VisitTargets | None:
    """The batch's households for a field user (their reach in SQL, as `household_for_visit`
    checks it one by one) and its resends: two queries, whatever the batch's size. None for
    anyone else, whose visits are looked up one by one (a coordinator's reach also asks the
    authority check per household)."""
    if not (user.is_authenticated and user.is_active) or user_roles(user) & COORDINATOR_ROLES:
        return None
    targets = VisitTargets(asked_pks=frozenset(pks), asked_uuids=frozenset(client_uuids))
    if pks or client_uuids:
        q = connection.ops.quote_name
        table = q(Household._meta.db_table)
        conditions, params = [], []
        if pks:
            conditions.append(f"{table}.{q('id')} IN ({', '.join(['%s'] * len(pks))})")
            params += sorted(pks)
        if client_uuids:
            marks = ", ".join(["%s"] * len(client_uuids))
            conditions.append(f"{table}.{q('client_uuid')} IN ({marks})")
            params += [_db_value(Household, "client_uuid", value) for value in client_uuids]
        rows = _field_visit_rows(
            user=user,
            extra="NULL",
            extra_params=[],
            where=f"({' OR '.join(conditions)})",
            where_params=params,
        )
        for household, _unused in rows:
            if household.pk in pks:
                targets.by_pk[household.pk] = household
            if household.client_uuid in client_uuids:
                targets.by_uuid[household.client_uuid] = household
    if visit_client_ids:
        # Unordered: the visits' default order would sort the rows for nothing.
        known = Visit.objects.filter(client_uuid__in=visit_client_ids).order_by()
        targets.known_visits = dict(known.values_list("client_uuid", "pk"))
    return targets


def _db_value(model, name: str, value):
    return model._meta.get_field(name).get_db_prep_value(value, connection)


class _TableRead:
    """A model's concrete columns in a hand-written SELECT, and the row back to an instance
    through each field's database converters (SQLite's dates and UUIDs are text)."""

    def __init__(self, model, alias: str | None = None) -> None:
        q = connection.ops.quote_name
        self.model = model
        self.name = q(model._meta.db_table)
        self.alias = alias
        prefix = alias or self.name
        self.fields = model._meta.concrete_fields
        self.columns = ", ".join(f"{prefix}.{q(field.column)}" for field in self.fields)
        self.attnames = [field.attname for field in self.fields]
        self.converters = []
        for field in self.fields:
            column = field.get_col(alias or model._meta.db_table)
            self.converters.append(
                (
                    column,
                    connection.ops.get_db_converters(column) + column.get_db_converters(connection),
                )
            )

    def instance(self, values):
        db = connections[DEFAULT_DB_ALIAS]  # once, not through the proxy per column
        converted = []
        for value, (column, converters) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, db)
            converted.append(value)
        return self.model.from_db(db.alias, self.attnames, converted)


_visit_target_cache: dict[str, tuple[_TableRead, _TableRead]] = {}


def _visit_target_tables() -> tuple[_TableRead, _TableRead]:
    """Built once per process and database engine."""
    key = connection.vendor
    if key not in _visit_target_cache:
        _visit_target_cache[key] = (_TableRead(Household), _TableRead(Area, alias="visit_area"))
    return _visit_target_cache[key]


def can_log_visits(*, user: User) -> bool:
    return bool(user_roles(user) & FIELD_ROLES)
