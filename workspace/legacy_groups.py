"""Pre-2025 residential groups still in use, and carrying them over to today's ward.

A household registered under a group of the old tree (which stopped on 30 June 2025) is still
visited. areas.selectors.area_attribution counts such work in the old ward's successor (so in
today's campaigns), approximately where that ward was split. Here the coordinator of today's
ward sees those groups and moves them, in one step, to a group of today's ward: the new group
succeeds the old one (areas.AreaSuccession, exact from then on), the households move (their
history says so), the field roles and assignments held at the old group follow, and the visits
already made there since the reform are attributed again (the tallies move by the difference).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import REFORM_DATE, Area, AreaSuccession, Era, Level
from areas.selectors import area_attribution
from areas.services import residential_group_create
from core.activity import activity_record
from core.text import search_key
from households.models import Household, HouseholdChange, Visit, VisitEdit
from households.registry.services import registry_recount
from households.services import SENDER, visit_deltas
from volunteers.access import COORDINATION
from volunteers.authority import roles_at
from volunteers.models import Assignment, Membership, Team, User


@dataclass(frozen=True)
class LegacyGroup:
    group: Area
    old_ward: Area
    households: int
    approximate: bool  # the old ward was split: today's work may belong to another new ward


def _old_wards_of(ward: Area) -> list[tuple[Area, bool]]:
    links = AreaSuccession.objects.filter(successor=ward).select_related("predecessor")
    return [(link.predecessor, link.is_partial) for link in links]


def legacy_groups_for(*, ward: Area) -> list[LegacyGroup]:
    """Old groups (of the wards that became `ward`) that still hold households, were never
    carried over, and whose work today is attributed to `ward`."""
    today = timezone.localdate()
    old_wards = [(old, partial) for old, partial in _old_wards_of(ward) if old.era == Era.LEGACY]
    if not old_wards:
        return []
    under = Q()
    for old, _partial in old_wards:
        under |= Q(path__startswith=old.path, depth=old.depth + 1)
    groups = (
        Area.objects.filter(under, level=Level.GROUP, era=Era.LEGACY)
        .exclude(successions__isnull=False)
        .annotate(household_count=Count("households"))
        .filter(household_count__gt=0)
        .order_by("path")
    )
    ward_by_path = {old.path: old for old, _partial in old_wards}
    found = []
    for group in groups:
        attribution = area_attribution(area=group, day=today)
        if attribution.area.pk != ward.pk:
            continue  # a split ward's group counted in another new ward: that ward's to move
        found.append(
            LegacyGroup(
                group=group,
                old_ward=ward_by_path[group.path[: -Area.steplen]],
                households=group.household_count,
                approximate=attribution.approximate,
            )
        )
    return found


def _may_move(user: User, group: Area, ward: Area, taken_over_whole: bool) -> bool:
    """Coordination authority at today's ward, and at the old group too, unless the old ward
    was taken over whole by today's ward (its coordinator then answers for all of it)."""
    if not roles_at(user=user, area=ward) & COORDINATION:
        return False
    return taken_over_whole or bool(roles_at(user=user, area=group) & COORDINATION)


def _target_group(ward: Area, name: str) -> Area:
    """Today's group of that name in `ward`, made if there is none."""
    existing = Area.objects.filter(
        path__startswith=ward.path,
        depth=ward.depth + 1,
        level=Level.GROUP,
        search_key=search_key(name),
    ).first()
    return existing or residential_group_create(ward=ward, name=name)


def _move_roles_and_assignments(old: Area, new: Area, ward: Area) -> None:
    for membership in Membership.objects.filter(area=old):
        duplicate = Membership.objects.filter(
            user_id=membership.user_id, role=membership.role, area=new
        )
        if duplicate.exists():
            membership.delete()  # the same role is held at the new group already
        else:
            Membership.objects.filter(pk=membership.pk).update(area=new)
    Assignment.objects.active().filter(area=old).update(area=new, ward=ward)
    Team.objects.filter(residential_group=old).update(residential_group=new)


def _reattribute_visits(old: Area, household_ids: list[int], by: User) -> int:
    """Visits since the reform to the group's households take the new attribution: what they
    added is taken off where they counted and added where they count now (one history row each)."""
    visits = (
        Visit.objects.select_for_update()
        .filter(household_id__in=household_ids, day__gte=REFORM_DATE)
        .prefetch_related("teammates")
    )
    deltas = []
    edits = []
    moved = 0
    for visit in visits:
        target = area_attribution(area=old, day=visit.day).area
        if target.pk == visit.area_id:
            continue
        if visit.counted:  # a rejected visit counts nowhere, but is re-filed too
            deltas += visit_deltas(visit, sign=-1)
        edits.append(
            VisitEdit(visit=visit, edited_by=by, changes={"area": [visit.area_id, target.pk]})
        )
        visit.area = target
        visit.save(update_fields=["area", "updated_at"])
        if visit.counted:
            deltas += visit_deltas(visit)
        moved += 1
    VisitEdit.objects.bulk_create(edits)
    activity_record(sender=SENDER, deltas=deltas)
    return moved


@dataclass(frozen=True)
class CarryOver:
    groups: int
    households: int
    visits: int


@transaction.atomic
def legacy_groups_carry_over(*, ward: Area, group_ids: list[int], by: User) -> CarryOver:
    """Move the chosen old groups to `ward` in one step (see the module). Refuses (and changes
    nothing) if any group is not one of `ward`'s legacy groups or lies outside `by`'s authority."""
    offered = {item.group.pk: item for item in legacy_groups_for(ward=ward)}
    chosen = list(dict.fromkeys(group_ids))
    if not chosen:
        raise ValidationError(_("Hãy chọn ít nhất một tổ dân phố cũ."), code="empty")
    if any(pk not in offered for pk in chosen):
        raise ValidationError(
            _("Có tổ không thuộc danh sách tổ dân phố cũ của phường này."), code="group"
        )
    whole = {old.pk for old, partial in _old_wards_of(ward) if not partial}
    for pk in chosen:
        item = offered[pk]
        if not _may_move(by, item.group, ward, item.old_ward.pk in whole):
            raise PermissionDenied
    households = visits = 0
    for pk in chosen:
        old = offered[pk].group
        new = _target_group(ward, old.name)
        AreaSuccession.objects.get_or_create(
            predecessor=old, successor=new, defaults={"is_partial": False}
        )
        moved = list(
            Household.objects.select_for_update().filter(area=old).values_list("pk", flat=True)
        )
        Household.objects.filter(pk__in=moved).update(area=new, updated_by=by)
        registry_recount([old.pk, new.pk])  # a queryset update sends no signal
        HouseholdChange.objects.bulk_create(
            HouseholdChange(
                household_id=household_id, changed_by=by, changes={"area": [old.pk, new.pk]}
            )
            for household_id in moved
        )
        households += len(moved)
        _move_roles_and_assignments(old, new, ward)
        # The old group now has its successor: its work since the reform counts there exactly.
        visits += _reattribute_visits(old, moved, by)
    return CarryOver(groups=len(chosen), households=households, visits=visits)
