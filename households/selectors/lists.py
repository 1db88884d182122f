"""Reads for the volunteer's pages: their households, teammates, visits and totals."""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, Level
from core.campaign_choices import CampaignChoice, campaign_choices_for
from volunteers.models import FIELD_ROLES, Membership, User
from volunteers.scoping import field_scope_for

from ..models import COUNT_FIELDS, STATUS_CHAIN, Household, Visit, VisitResult, VisitStatus
from .reach import household_reach_q

FILTER_UNVISITED = "unvisited"


FILTER_PENDING = "pending"


def household_groups_for(*, user: User) -> QuerySet[Area]:
    """Residential groups where the user may add households (field areas only)."""
    return (
        field_scope_for(user=user)
        .areas()
        .filter(level=Level.GROUP, valid_to__isnull=True)
        .order_by("path")
    )


def household_list_for(*, user: User, search: str = "", filter: str = "") -> QuerySet[Household]:
    """Households in the user's areas, searched without accents, in a constant number of
    queries whatever the count (last visit is kept on the row, the group is joined)."""
    households = (
        Household.objects.filter(household_reach_q(user=user))
        .select_related("area")
        .matching(search)
    )
    if filter == FILTER_UNVISITED:
        households = households.filter(last_visit_at__isnull=True)
    elif filter == FILTER_PENDING:
        households = households.filter(last_visit_at__isnull=False).exclude(
            digital_status=STATUS_CHAIN[-1]
        )
    return households.order_by("area__path", "street", "alley", "house_number", "pk")


def household_get_for(*, user: User, pk: int) -> Household:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(household_list_for(user=user), pk=pk)


def household_brief_for(*, user: User) -> list[dict]:
    """The compact list the phone keeps offline: one query, only what the screens show."""
    rows = household_list_for(user=user).values(
        "id",
        "client_uuid",
        "house_number",
        "alley",
        "street",
        "apartment",
        "members",
        "digital_status",
        "last_visit_at",
        "area__name",
        "search_key",
    )
    return [
        {
            "id": row["id"],
            "uuid": str(row["client_uuid"]) if row["client_uuid"] else None,
            "address": ", ".join(
                part
                for part in (row["apartment"], row["house_number"], row["alley"], row["street"])
                if part
            ),
            "group": row["area__name"],
            "members": row["members"],
            "status": row["digital_status"],
            "visited": row["last_visit_at"].isoformat() if row["last_visit_at"] else None,
            "key": row["search_key"],
        }
        for row in rows
    ]


def teammate_ids_for(*, user: User) -> set[int]:
    """Field members of the user's teams (the people who can be "present" on a visit)."""
    cached = getattr(user, "_tungnha_teammates", None)
    if cached is None:
        teams = Membership.objects.active().filter(user=user, team__isnull=False)
        cached = set(
            Membership.objects.active()
            .filter(team__in=teams.values("team"), role__in=FIELD_ROLES)
            .exclude(user=user)
            .values_list("user_id", flat=True)
        )
        user._tungnha_teammates = cached
    return cached


def teammate_choices_for(*, user: User) -> list[tuple[int, str]]:
    ids = teammate_ids_for(user=user)
    return list(
        User.objects.filter(pk__in=ids).order_by("full_name").values_list("pk", "full_name")
    )


def visit_teammate_choices(*, visit: Visit) -> list[tuple[int, str]]:
    """The teammates an edit may tick: the volunteer's team now, and whoever is already on the
    visit (a teammate who left the team since stays, rather than vanish from the form)."""
    ids = teammate_ids_for(user=visit.volunteer) | set(visit.teammates.values_list("pk", flat=True))
    return list(
        User.objects.filter(pk__in=ids).order_by("full_name").values_list("pk", "full_name")
    )


def visit_edit_history(*, visit: Visit) -> list[dict]:
    """A visit's edits for people: field labels instead of column names, teammates by name."""
    edits = list(visit.edits.select_related("edited_by").order_by("edited_at"))
    ids = {
        pk
        for edit in edits
        for old, new in [edit.changes.get("teammates", [[], []])]
        for pk in [*old, *new]
    }
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))

    def shown(field: str, value) -> str:
        if field == "teammates":
            return ", ".join(names.get(pk, "?") for pk in value) or "—"
        if field == "status" and value in VisitStatus.values:
            return str(VisitStatus(value).label)
        if field == "result" and value in VisitResult.values:
            return str(VisitResult(value).label)
        return str(value)

    def label(field: str) -> str:
        if field == "teammates":
            return str(_("Cùng đi"))
        try:
            return str(Visit._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            return field

    return [
        {
            "edit": edit,
            "changes": [
                (label(field), shown(field, pair[0]), shown(field, pair[1]))
                for field, pair in edit.changes.items()
                if field != "flags"  # the review queue's reasons, not a change
            ],
        }
        for edit in edits
    ]


def visit_list_for_household(*, household: Household, limit: int = 20) -> QuerySet[Visit]:
    return household.visits.select_related("volunteer").order_by("-device_time")[:limit]


def visit_recent_for(*, user: User, limit: int = 30) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(volunteer=user)
        .select_related("household", "household__area")
        # By when the visit was made, as shown (a batch sent after a dead zone arrives late).
        .order_by("-day", "-device_time", "-pk")[:limit]
    )


def visit_get_for(*, user: User, pk: int) -> Visit:
    """A visit whose household is in the user's areas (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Visit.objects.filter(household_reach_q(user=user, prefix="household__")).select_related(
            "household", "household__area", "volunteer"
        ),
        pk=pk,
    )


def _totals(visits: QuerySet[Visit]) -> dict[str, int]:
    sums = {name: Sum(name, default=0) for name in COUNT_FIELDS}
    row = visits.aggregate(
        visits=Count("pk"),
        reached=Count("pk", filter=~Q(result="not_home")),
        **sums,
    )
    row["dossiers"] = row["dossiers_eid"] + row["dossiers_online"] + row["dossiers_other"]
    row["other_help"] = (
        row["e_payment"] + row["online_shopping"] + row["email"] + row["info_safety"]
    )
    return row


def running_campaign_for(*, user: User, today: datetime.date) -> CampaignChoice | None:
    """The newest campaign running today over one of the user's field areas (through the
    core.campaign_choices contract: households does not know campaigns)."""
    for path in field_scope_for(user=user).paths:
        for choice in campaign_choices_for(area_path=path):
            if choice.runs_on(today):
                return choice
    return None


def volunteer_totals(*, user: User, today: datetime.date | None = None) -> dict:
    """The volunteer's counted visits and people helped: today, in the campaign running today
    (its period so far, inside its scope) when there is one, and overall."""
    today = today or timezone.localdate()
    visits = Visit.objects.filter(volunteer=user).exclude(status=VisitStatus.REJECTED)
    totals: dict = {"today": _totals(visits.filter(day=today)), "overall": _totals(visits)}
    campaign = running_campaign_for(user=user, today=today)
    if campaign is not None:
        totals["campaign"] = _totals(
            visits.filter(
                day__range=(campaign.start, today), area__path__startswith=campaign.scope_path
            )
        )
        totals["campaign_name"] = campaign.name
    return totals
