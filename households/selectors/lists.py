"""Reads for the volunteer's pages: their households, teammates, visits and totals."""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, Level
from core.campaigns import running_campaign_for
from volunteers.models import FIELD_ROLES, Membership, User
from volunteers.scoping import field_scope_for

from ..models import COUNT_FIELDS, STATUS_CHAIN, Household, Visit, VisitResult, VisitStatus
from .reach import household_reach_q, household_scope_for

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


def household_visited_since(*, user: User) -> datetime.datetime | None:
    """Since when a household counts as visited on the user's walk list: the first day of the
    campaign running where the user works. None when none runs: any visit counts. Looked up
    once per user object (a request)."""
    if "_tungnha_visited_since" not in user.__dict__:
        campaign = running_campaign_for(
            paths=household_scope_for(user=user).paths, today=timezone.localdate()
        )
        since = None
        if campaign is not None:
            since = timezone.make_aware(datetime.datetime.combine(campaign.start, datetime.time()))
        user.__dict__["_tungnha_visited_since"] = since
    return user.__dict__["_tungnha_visited_since"]


def _visited_q(since: datetime.datetime | None) -> Q:
    return Q(last_visit_at__gte=since) if since else Q(last_visit_at__isnull=False)


def household_list_for(*, user: User, search: str = "", filter: str = "") -> QuerySet[Household]:
    """Households in the user's areas in walk order (street, alley, number: see
    households.addresses), searched without accents, in a constant number of queries whatever
    the count (last visit is kept on the row, the group is joined). "Not yet visited" is in the
    current campaign (household_visited_since)."""
    households = (
        Household.objects.filter(household_reach_q(user=user))
        .select_related("area")
        .matching(search)
    )
    if filter == FILTER_UNVISITED:
        households = households.exclude(_visited_q(household_visited_since(user=user)))
    elif filter == FILTER_PENDING:
        households = households.filter(last_visit_at__isnull=False).exclude(
            digital_status=STATUS_CHAIN[-1]
        )
    return households.order_by("walk_key", "pk")


def household_walk_list_for(
    *, user: User, search: str = "", filter: str = ""
) -> QuerySet[Household]:
    """The walk list: `household_list_for`, each row marked `visited` in the current campaign."""
    visited = _visited_q(household_visited_since(user=user))
    return household_list_for(user=user, search=search, filter=filter).annotate(
        visited=Case(When(visited, then=Value(True)), default=Value(False))
    )


def household_next_unvisited(*, user: User, after: Household) -> Household | None:
    """The household to go to next: the first not yet visited in the current campaign after
    `after` in walk order, wrapping round to the start of the list (one or two queries)."""
    unvisited = household_list_for(user=user, filter=FILTER_UNVISITED).exclude(pk=after.pk)
    later = Q(walk_key__gt=after.walk_key) | Q(walk_key=after.walk_key, pk__gt=after.pk)
    return unvisited.filter(later).first() or unvisited.first()


def household_get_for(*, user: User, pk: int) -> Household:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(household_list_for(user=user), pk=pk)


def household_brief_for(*, user: User) -> list[dict]:
    """The compact list the phone keeps offline, in walk order: one query (two with a running
    campaign), only what the screens show. No contact, no search key made of it: the phone
    searches the address and the group, which is all the cached list carries."""
    rows = household_walk_list_for(user=user).values(
        "id",
        "client_uuid",
        "house_number",
        "alley",
        "street",
        "apartment",
        "members",
        "digital_status",
        "visited",
        "area__name",
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
            "visited": bool(row["visited"]),
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


def volunteer_totals(*, user: User, today: datetime.date | None = None) -> dict:
    """The volunteer's counted visits and people helped: today, in the campaign running today
    (its period so far, inside its scope) when there is one, and overall."""
    today = today or timezone.localdate()
    visits = Visit.objects.counted().filter(volunteer=user)
    totals: dict = {"today": _totals(visits.filter(day=today)), "overall": _totals(visits)}
    campaign = running_campaign_for(paths=field_scope_for(user=user).paths, today=today)
    if campaign is not None:
        totals["campaign"] = _totals(
            visits.filter(
                day__range=(campaign.start, today), area__path__startswith=campaign.scope_path
            )
        )
        totals["campaign_name"] = campaign.name
    return totals
