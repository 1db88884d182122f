"""Who goes where: teams, volunteers and the residential groups (or households) given to them.

Writes (services) and reads (selectors) of the coordinator workspace, always inside one ward
the coordinator is responsible for. Released assignments are kept as history.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, Era, Level
from core.campaigns import campaign_choices_for
from core.privacy import privacy_check_fields

from .access import COORDINATION
from .authority import authority_over_account, authority_scope
from .models import FIELD_ROLES, Assignment, Membership, ReleaseReason, Role, Team, User
from .scoping import Scope


# --- Reads -------------------------------------------------------------------------------------
def coordinator_scope(*, user: User) -> Scope:
    """Where the user may manage the workspace: under a coordination role held there or above
    (volunteers.authority; a role held in another ward does not count here)."""
    return authority_scope(user=user, roles=COORDINATION)


def ward_list_for(*, user: User) -> QuerySet[Area]:
    """Current-era wards the user coordinates (a district or city user sees many)."""
    scope = coordinator_scope(user=user)
    return Area.objects.filter(scope.q(field=""), level=Level.WARD, era=Era.CURRENT).order_by(
        "path"
    )


def ward_for(*, user: User, pk: int) -> Area:
    """One ward inside the user's coordination scope, or 404."""
    scope = coordinator_scope(user=user)
    return get_object_or_404(Area.objects.filter(scope.q(field=""), level=Level.WARD), pk=pk)


def ward_groups_of(*, ward: Area) -> QuerySet[Area]:
    return Area.objects.filter(
        path__startswith=ward.path, depth=ward.depth + 1, level=Level.GROUP
    ).order_by("path")


def team_for(*, user: User, pk: int) -> Team:
    scope = coordinator_scope(user=user)
    return get_object_or_404(
        Team.objects.filter(scope.q(field="ward")).select_related("ward", "residential_group"),
        pk=pk,
    )


def teams_of(*, ward: Area) -> QuerySet[Team]:
    return (
        Team.objects.filter(ward=ward)
        .select_related("residential_group")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__is_active=True, memberships__user__is_active=True),
                distinct=True,
            ),
            assignment_count=Count(
                "assignments",
                filter=Q(assignments__released_at__isnull=True)
                & (
                    Q(assignments__valid_until__isnull=True)
                    | Q(assignments__valid_until__gte=timezone.localdate())
                ),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def volunteers_of(*, ward: Area) -> QuerySet[User]:
    """Everyone holding (or having held) a field role in the ward, active or not."""
    field = Membership.objects.filter(
        user=OuterRef("pk"), role__in=FIELD_ROLES, area__path__startswith=ward.path
    )
    teams = Membership.objects.filter(
        role__in=FIELD_ROLES, area__path__startswith=ward.path
    ).select_related("team", "area")
    return (
        User.objects.filter(Exists(field))
        .prefetch_related(Prefetch("memberships", queryset=teams, to_attr="ward_memberships"))
        .order_by("full_name")
    )


def volunteer_for(*, user: User, pk: int) -> tuple[User, Area]:
    """A volunteer of a ward the user coordinates, with that ward; 404 otherwise."""
    volunteer = get_object_or_404(User, pk=pk)
    scope = coordinator_scope(user=user)
    membership = (
        Membership.objects.filter(user=volunteer, role__in=FIELD_ROLES)
        .filter(scope.q(field="area"))
        .select_related("area")
        .order_by("-is_active", "area__path")
        .first()
    )
    if membership is None:
        from django.http import Http404

        raise Http404
    area = membership.area
    ward_path = area.path[: -Area.steplen] if area.level == Level.GROUP else area.path
    return volunteer, Area.objects.get(path=ward_path)


def assignments_of(*, ward: Area, active: bool = True) -> QuerySet[Assignment]:
    queryset = Assignment.objects.filter(ward=ward)
    queryset = queryset.active() if active else queryset
    return queryset.select_related("volunteer", "team", "area", "handed_over_to").order_by(
        "area__path", "-created_at"
    )


def assignment_for(*, user: User, pk: int) -> Assignment:
    scope = coordinator_scope(user=user)
    return get_object_or_404(
        Assignment.objects.filter(scope.q(field="ward")).select_related("ward"), pk=pk
    )


def groups_uncovered(*, ward: Area) -> QuerySet[Area]:
    """Residential groups with no active assignment to anyone."""
    covered = Assignment.objects.active().filter(area=OuterRef("pk"))
    return ward_groups_of(ward=ward).filter(~Exists(covered))


# --- Writes ------------------------------------------------------------------------------------
def _in_ward(area: Area, ward: Area) -> bool:
    return area.path.startswith(ward.path)


@transaction.atomic
def team_create(*, ward: Area, name: str, residential_group: Area | None = None) -> Team:
    if residential_group is not None and not _in_ward(residential_group, ward):
        raise ValidationError(_("Tổ dân phố không thuộc phường này."), code="group")
    team = Team(ward=ward, name=name.strip(), residential_group=residential_group)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def volunteer_add(
    *,
    ward: Area,
    full_name: str,
    phone: str,
    email: str = "",
    team: Team | None = None,
    role: str = Role.VOLUNTEER,
    created_by: User | None = None,
) -> tuple[User | None, bool]:
    """Add a volunteer by hand (no password yet: they claim the account with a one-time code).

    Returns (user, created). A phone that already has an account is neither shown nor changed:
    unless that person already serves in this ward, they are offered the role and accept it
    once signed in, and (None, False) is returned. A switched-off account stays switched off.
    """
    from .invitations import role_invitation_offer

    if team is not None and team.ward_id != ward.pk:
        raise ValidationError(_("Tổ không thuộc phường này."), code="team")
    user = User(full_name=full_name.strip(), phone=phone, email=email or None)
    user.clean()
    existing = User.objects.filter(phone=user.phone).first() if user.phone else None
    area = team.area if team is not None else ward
    if existing is None:
        if user.email and User.objects.filter(email__iexact=user.email).exists():
            raise ValidationError(
                {"email": _("Email này đã là của một tài khoản khác.")}, code="email_taken"
            )
        user.password = make_password(None)
        user.full_clean(exclude=["password"])
        user.save()
        Membership.objects.create(user=user, role=role, area=area, team=team)
        return user, True
    serving_here = Membership.objects.active().filter(
        user=existing, role__in=FIELD_ROLES, area__path__startswith=ward.path
    )
    if not serving_here.exists():
        role_invitation_offer(user=existing, role=role, area=area, team=team, created_by=created_by)
        return None, False
    membership, made = Membership.objects.get_or_create(
        user=existing, role=role, area=area, defaults={"team": team}
    )
    if not made and (not membership.is_active or membership.team_id != (team and team.pk)):
        membership.is_active = True
        membership.team = team
        membership.save(update_fields=["is_active", "team"])
    return existing, False


def _check_target(ward: Area, volunteer: User | None, team: Team | None) -> None:
    if (volunteer is None) == (team is None):
        raise ValidationError(_("Chọn một tình nguyện viên hoặc một tổ."), code="target")
    if team is not None and team.ward_id != ward.pk:
        raise ValidationError(_("Tổ không thuộc phường này."), code="team")
    if volunteer is not None:
        serves_here = (
            Membership.objects.active()
            .filter(user=volunteer, role__in=FIELD_ROLES, area__path__startswith=ward.path)
            .exists()
        )
        if not serves_here:
            raise ValidationError(
                _("Tình nguyện viên này không hoạt động ở phường này."), code="volunteer"
            )


@transaction.atomic
def assignment_create(
    *,
    ward: Area,
    created_by: User,
    areas: Iterable[Area] = (),
    household_ids: Iterable[int] = (),
    volunteer: User | None = None,
    team: Team | None = None,
    valid_until: datetime.date | None = None,
    campaign_label: str = "",
    campaign_id: int | None = None,
) -> list[Assignment]:
    """Give groups (or households, already checked to lie in the ward) to one volunteer or team,
    maybe for one of the campaigns over the ward (`campaign_id`, from core.campaigns).

    Bulk: one row per group. A group already given to the same person keeps its row and takes
    the new end date and campaign. Returns the rows created.
    """
    _check_target(ward, volunteer, team)
    if campaign_id is not None:
        # Chosen from the campaigns over the ward; the label keeps its name for the lists.
        offered = {choice.id: choice.name for choice in campaign_choices_for(area_path=ward.path)}
        if campaign_id not in offered:
            raise ValidationError(
                {"campaign": _("Chiến dịch này không diễn ra ở phường này.")}, code="campaign"
            )
        campaign_label = offered[campaign_id]
    privacy_check_fields({"campaign_label": campaign_label})  # bulk_create skips full_clean()
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError(_("Ngày kết thúc đã qua."), code="valid_until")
    areas = list(areas)
    for area in areas:
        if area.level != Level.GROUP or not _in_ward(area, ward):
            raise ValidationError(
                _("“%(name)s” không phải tổ dân phố của phường này.") % {"name": area.name},
                code="area",
            )
    existing = Assignment.objects.active().filter(ward=ward, volunteer=volunteer, team=team)
    have_areas = set(existing.filter(area__isnull=False).values_list("area_id", flat=True))
    have_households = set(
        existing.filter(household_id__isnull=False).values_list("household_id", flat=True)
    )
    common = {
        "ward": ward,
        "volunteer": volunteer,
        "team": team,
        "valid_until": valid_until,
        "campaign_label": campaign_label.strip(),
        "campaign_id": campaign_id,
        "created_by": created_by,
    }
    rows = [Assignment(area=area, **common) for area in areas if area.pk not in have_areas]
    household_ids = list(dict.fromkeys(household_ids))
    rows += [
        Assignment(household_id=household_id, **common)
        for household_id in household_ids
        if household_id not in have_households
    ]
    # Given again: the new end date and campaign replace the old (a coordinator extending a
    # group's assignment re-assigns it).
    existing.filter(
        Q(area__in=[area.pk for area in areas if area.pk in have_areas])
        | Q(household_id__in=[pk for pk in household_ids if pk in have_households])
    ).update(
        valid_until=valid_until,
        campaign_label=common["campaign_label"],
        campaign_id=campaign_id,
    )
    return Assignment.objects.bulk_create(rows)


def assignment_release(*, assignment: Assignment, reason: str = ReleaseReason.REMOVED) -> None:
    if assignment.released_at is None:
        assignment.released_at = timezone.now()
        assignment.release_reason = reason
        assignment.save(update_fields=["released_at", "release_reason"])


@transaction.atomic
def assignment_handover(
    *,
    ward: Area,
    from_volunteer: User,
    created_by: User,
    to_volunteer: User | None = None,
    to_team: Team | None = None,
) -> list[Assignment]:
    """Move every active assignment of one volunteer in the ward to another; keep the history."""
    if to_volunteer is not None and to_volunteer.pk == from_volunteer.pk:
        raise ValidationError(_("Hãy chọn một người khác."), code="same")
    _check_target(ward, to_volunteer, to_team)
    moved = []
    now = timezone.now()
    for old in Assignment.objects.active().filter(ward=ward, volunteer=from_volunteer):
        new = Assignment.objects.create(
            ward=ward,
            area=old.area,
            household_id=old.household_id,
            volunteer=to_volunteer,
            team=to_team,
            valid_until=old.valid_until,
            campaign_label=old.campaign_label,
            campaign_id=old.campaign_id,
            created_by=created_by,
        )
        old.released_at = now
        old.release_reason = ReleaseReason.HANDED_OVER
        old.handed_over_to = new
        old.save(update_fields=["released_at", "release_reason", "handed_over_to"])
        moved.append(new)
    return moved


def assignment_release_expired(*, today: datetime.date | None = None) -> int:
    """Mark assignments past their end date as released (the selector already ignores them)."""
    today = today or timezone.localdate()
    return Assignment.objects.filter(released_at__isnull=True, valid_until__lt=today).update(
        released_at=timezone.now(), release_reason=ReleaseReason.EXPIRED
    )


@transaction.atomic
def volunteer_deactivate(*, ward: Area, volunteer: User) -> None:
    """Stop a volunteer in this ward: their roles here end, their groups go back to the ward.

    With no active role left anywhere the account is switched off, which ends their sessions
    (volunteers/signals.py).
    """
    Membership.objects.filter(
        user=volunteer, role__in=FIELD_ROLES, area__path__startswith=ward.path
    ).update(is_active=False)
    Assignment.objects.filter(ward=ward, volunteer=volunteer, released_at__isnull=True).update(
        released_at=timezone.now(), release_reason=ReleaseReason.DEACTIVATED
    )
    if not Membership.objects.filter(user=volunteer, is_active=True).exists():
        volunteer.is_active = False
        volunteer.save(update_fields=["is_active"])


@transaction.atomic
def volunteer_reactivate(*, ward: Area, volunteer: User, by: User | None = None) -> None:
    """Their roles in this ward serve again. A switched-off account is switched back on only by
    someone with authority over every area it holds (an administrator, or a coordinator above
    all of them): a coordinator of one ward cannot revive an account another unit closed."""
    if not volunteer.is_active and (
        by is None or not authority_over_account(user=by, account=volunteer)
    ):
        raise ValidationError(
            _(
                "Tài khoản này đã bị khóa và còn giữ vai trò ở địa bàn ngoài quyền của bạn; "
                "chỉ quản trị viên (hoặc cấp phụ trách mọi địa bàn đó) mới mở lại được."
            ),
            code="not_authorised",
        )
    Membership.objects.filter(
        user=volunteer, role__in=FIELD_ROLES, area__path__startswith=ward.path
    ).update(is_active=True)
    if not volunteer.is_active:
        volunteer.is_active = True
        volunteer.save(update_fields=["is_active"])
