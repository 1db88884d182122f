"""Reads for the coordinator workspace over households and visits of one ward."""

from django.db.models import Count, Q, QuerySet

from areas.models import Area
from households.models import Household, Visit
from volunteers.assignments import assignments_of, ward_groups_of


def ward_households(*, ward: Area) -> QuerySet[Household]:
    return Household.objects.filter(area__path__startswith=ward.path).select_related("area")


def ward_visits(*, ward: Area) -> QuerySet[Visit]:
    """Visits to the ward's households (their group today), whatever unit they counted in."""
    return Visit.objects.filter(household__area__path__startswith=ward.path).select_related(
        "household", "household__area", "volunteer"
    )


def coverage_by_group(*, ward: Area) -> list[dict]:
    """Per residential group: households, visited, not yet visited, %, and who covers it."""
    counts = {
        row["area_id"]: row
        for row in Household.objects.filter(area__path__startswith=ward.path)
        .values("area_id")
        .annotate(total=Count("id"), visited=Count("id", filter=Q(last_visit_at__isnull=False)))
    }
    covering: dict[int, list[str]] = {}
    for assignment in assignments_of(ward=ward).filter(area__isnull=False):
        covering.setdefault(assignment.area_id, []).append(str(assignment.assignee))
    rows = []
    for group in ward_groups_of(ward=ward):
        row = counts.get(group.pk, {"total": 0, "visited": 0})
        total, visited = row["total"], row["visited"]
        rows.append(
            {
                "group": group,
                "total": total,
                "visited": visited,
                "unvisited": total - visited,
                "percent": round(visited * 100 / total) if total else 0,
                "covered_by": covering.get(group.pk, []),
            }
        )
    return rows
