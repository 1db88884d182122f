"""Reads, always inside the asking user's scope."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from areas.models import Area, Level
from volunteers.authority import Action, authority_may
from volunteers.models import Membership, Role, User
from volunteers.scoping import scope_for

from .counting import session_attendees, with_attendee_sources
from .models import (
    COUNTED_STATES,
    AwarenessPost,
    Document,
    SessionImport,
    SessionState,
    Topic,
    TrainingSession,
)

EDITORS = frozenset(
    {Role.TEAM_LEADER, Role.WARD_COORDINATOR, Role.DISTRICT_UNION, Role.CITY_UNION, Role.ADMIN}
)


def session_list_for(*, user: User) -> QuerySet[TrainingSession]:
    """Sessions held in the areas `user` may see, with what a list row shows."""
    sessions = (
        TrainingSession.objects.filter(scope_for(user=user).q(field="area"))
        .select_related("area", "created_by")
        .prefetch_related("topics")
    )
    return with_attendee_sources(sessions)


def session_get_for(*, user: User, pk: int) -> TrainingSession:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(session_list_for(user=user), pk=pk)


def session_can_edit(*, user: User, session: TrainingSession, action: str = Action.EDIT) -> bool:
    """Leaders and coordinators at the session's area (or above) edit it; a volunteer, the
    ones they run (volunteers.authority, rules in trainings/apps.py)."""
    return authority_may(user=user, action=action, obj=session)


def session_is_run_by(session: TrainingSession, user: User) -> bool:
    return session.created_by_id == user.pk or session.trainers.filter(pk=user.pk).exists()


def my_sessions(*, user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(Q(trainers=user) | Q(created_by=user))
        .distinct()
        .select_related("area")
        .order_by("-start")
    )


def my_training_totals(*, user: User) -> dict:
    """The volunteer's own totals: sessions they ran that were held, and their attendees."""
    held = list(
        with_attendee_sources(
            TrainingSession.objects.filter(trainers=user, state__in=COUNTED_STATES)
        )
    )
    return {
        "planned": my_sessions(user=user).filter(state=SessionState.PLANNED).count(),
        "held": len(held),
        # What the tallies count per session (typed, checked in or listed: the largest).
        "attendees": sum(session_attendees(session) for session in held),
        "documents": Document.objects.filter(uploaded_by=user).count(),
        "posts": AwarenessPost.objects.filter(author=user).count(),
    }


def planning_areas_for(*, user: User) -> QuerySet[Area]:
    """Units a session can be placed in: wards and groups in scope, valid today."""
    return (
        Area.objects.filter(scope_for(user=user).q(field=""))
        .filter(level__in=(Level.WARD, Level.GROUP))
        .valid_on(timezone.localdate())
        .order_by("path")
    )


def unit_areas_for(*, user: User) -> QuerySet[Area]:
    """Units a document or post can be filed under: any unit in scope valid today."""
    return (
        Area.objects.filter(scope_for(user=user).q(field=""))
        .valid_on(timezone.localdate())
        .order_by("path")
    )


def topics_for(
    *, area_paths: tuple[str, ...] | None = None, keeping: Iterable[int] = ()
) -> QuerySet[Topic]:
    """Built-in topics plus the custom ones of `area_paths` and the units above them.
    `keeping`: the topics a session being edited has already, offered even if retired or
    filed elsewhere since (a form that did not offer them would drop them on save)."""
    offered = Q(is_active=True)
    if area_paths is not None:
        ancestors = {path[:end] for path in area_paths for end in range(4, len(path) + 1, 4)}
        offered &= Q(area__isnull=True) | Q(area__path__in=ancestors) | _below(area_paths)
    return Topic.objects.filter(offered | Q(pk__in=list(keeping))).select_related("area")


def _below(paths: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area__path__startswith=path)
    return condition


def topics_for_user(*, user: User, session: TrainingSession | None = None) -> QuerySet[Topic]:
    """The topics `user` may pick; with `session`, also those it has (see `topics_for`)."""
    scope = scope_for(user=user)
    keeping = session.topics.values_list("pk", flat=True) if session is not None else ()
    return topics_for(area_paths=None if scope.everything else scope.paths, keeping=keeping)


def trainer_choices_for(*, user: User, session: TrainingSession | None = None) -> QuerySet[User]:
    """People with an active role in the user's scope (and the user), to name as trainers;
    with `session`, also its trainers: an edit by one of them keeps the others."""
    scope = scope_for(user=user)
    member_ids = Membership.objects.active().filter(scope.q(field="area")).values("user_id")
    offered = Q(Q(pk__in=member_ids) | Q(pk=user.pk), is_active=True)
    if session is not None:
        offered |= Q(pk__in=session.trainers.values("pk"))
    return User.objects.filter(offered).order_by("full_name")


def _library_q(user: User, field: str = "area") -> Q:
    """In scope, or filed at a unit above the user's areas: a city's materials reach its wards."""
    scope = scope_for(user=user)
    if scope.everything:
        return Q()
    ancestors = {path[:end] for path in scope.paths for end in range(4, len(path), 4)}
    return scope.q(field=field) | Q(**{f"{field}__path__in": ancestors})


def document_list_for(*, user: User) -> QuerySet[Document]:
    return (
        Document.objects.filter(_library_q(user))
        .select_related("area", "uploaded_by")
        .prefetch_related("topics")
    )


def document_get_for(*, user: User, pk: int) -> Document:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(document_list_for(user=user), pk=pk)


def post_list_for(*, user: User) -> QuerySet[AwarenessPost]:
    return AwarenessPost.objects.filter(scope_for(user=user).q(field="area")).select_related(
        "area", "author"
    )


def import_areas_for(*, user: User) -> QuerySet[Area]:
    """Wards and units above them in scope, of either era (back-entry reaches before 2025)."""
    return Area.objects.filter(scope_for(user=user).q(field=""), level__lte=Level.WARD).order_by(
        "era", "path"
    )


def import_list_for(*, user: User) -> QuerySet[SessionImport]:
    return SessionImport.objects.filter(scope_for(user=user).q(field="area")).select_related(
        "area", "created_by"
    )
