"""Keeping the counts exact: a door that touched households recounts their areas."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from ..models import Household
from .models import HouseholdCount


def registry_recount(area_ids: Iterable[int | None]) -> None:
    """Recount the households of `area_ids` (in the caller's transaction). Each area's row is
    locked before it is counted, so of two transactions touching one group the second counts
    after the first has committed and sees both (PostgreSQL, READ COMMITTED: each statement
    reads afresh); SQLite writes one transaction at a time. Areas in id order: no deadlock."""
    ids = sorted({area_id for area_id in area_ids if area_id is not None})
    if not ids:
        return
    now = timezone.now()
    with transaction.atomic():
        HouseholdCount.objects.bulk_create(
            [HouseholdCount(area_id=area_id) for area_id in ids], ignore_conflicts=True
        )
        list(HouseholdCount.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        counted = {
            row["area_id"]: row
            for row in Household.objects.filter(area_id__in=ids)
            .order_by()
            .values("area_id")
            .annotate(n=Count("pk"), people=Sum("members"))
        }
        rows = [
            HouseholdCount(
                area_id=area_id,
                households=counted.get(area_id, {}).get("n", 0),
                members=counted.get(area_id, {}).get("people") or 0,
                updated_at=now,
            )
            for area_id in ids
        ]
        HouseholdCount.objects.bulk_update(rows, ["households", "members", "updated_at"])


def registry_rebuild() -> int:
    """Every area's counts afresh from the households (after a bulk load that bypassed the
    doors, or to heal one that was missed); return the number of areas holding households."""
    table, households = HouseholdCount._meta.db_table, Household._meta.db_table
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {q(table)}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {q(table)} ({q('area_id')}, {q('households')}, {q('members')}, "  # noqa: S608
            f"{q('updated_at')}) "
            f"SELECT {q('area_id')}, COUNT(*), COALESCE(SUM({q('members')}), 0), %s "
            f"FROM {q(households)} GROUP BY {q('area_id')}",
            [connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount


def registry_household_saved(sender, instance: Household, update_fields=None, **kwargs) -> None:
    """post_save/post_delete of a Household (connected in AppConfig.ready): a household made,
    changed or removed through the ORM recounts its area. A save of other fields only (a
    status, a timestamp) changes no count."""
    if update_fields is not None and not {"area", "area_id", "members"} & set(update_fields):
        return
    registry_recount([instance.area_id])
