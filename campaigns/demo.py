"""Demo campaigns: Youth Month 2023 on the old tree, and a campaign running now on today's.

Run by `seed_demo` after the households and trainings demos, which create the records these
campaigns count. Idempotent: campaigns are found by name, targets upserted.
"""

import datetime

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from areas.models import Area, Level
from core.activity import ACTIVITY_SOURCES, PARTICIPATIONS, Indicator
from volunteers.demo import DemoWorld

from .models import AreaDayTally, Campaign, CampaignStatus, Target
from .services import proportional_split

YOUTH_MONTH_2023 = "Tháng Thanh niên 2023 — Tuổi trẻ Thủ đô tiên phong chuyển đổi số"
CURRENT_CAMPAIGN = "Cao điểm đến từng nhà — hỗ trợ định danh điện tử"

# Hanoi's Youth Month 2023 results (seed 001), rounded up into the targets it was set against.
YOUTH_MONTH_TARGETS = {
    Indicator.INSTALL_GUIDANCE: 60_000,
    Indicator.LEVEL1_ACTIVATIONS: 15_000,
    Indicator.LEVEL2_ACTIVATIONS: 25_000,
    Indicator.DOSSIERS_TOTAL: 30_000,
    Indicator.DOSSIERS_EID: 12_000,
    Indicator.DOSSIERS_ONLINE: 5_000,
    PARTICIPATIONS: 9_000,
}
# The demo records about a twentieth of the city's results (households.demo_city), in a few
# wards of every district: the demo's targets are the same twentieth, so achievement is real.
# (The library's documents and the awareness posts are counted but not targeted: the demo has
# only a handful of them.)
DEMO_SHARE = 20
CURRENT_TARGETS = {
    Indicator.HOUSEHOLDS_VISITED: 40_000,
    Indicator.INSTALL_GUIDANCE: 20_000,
    Indicator.LEVEL2_ACTIVATIONS: 12_000,
    Indicator.DOSSIERS_TOTAL: 8_000,
    PARTICIPATIONS: 5_000,
}


def _campaign(name: str, **fields: object) -> Campaign:
    campaign = Campaign.objects.filter(name=name).first() or Campaign(name=name)
    for key, value in fields.items():
        setattr(campaign, key, value)
    campaign.full_clean()
    campaign.save()
    return campaign


def youth_month_targets(scale: int = 1) -> dict[str, int]:
    """The demo's city targets for Youth Month 2023 at `scale`."""
    return {
        key: max(1, round(value * scale / DEMO_SHARE)) for key, value in YOUTH_MONTH_TARGETS.items()
    }


def _targets_down(
    campaign: Campaign,
    root: Area,
    totals: dict[str, int],
    levels: int,
    *,
    taking_part: bool = False,
) -> None:
    """Set `totals` at `root` and split them down `levels` levels: over districts by their
    number of wards (a stand-in for households, which the demo does not count for every ward),
    then over a district's wards evenly — with `taking_part`, only among the wards that took
    part (have residential groups in the demo), or all of them if none did."""
    rows = {(root.pk, key): value for key, value in totals.items()}
    parents = [(root, totals)]
    for _level in range(levels):
        next_parents = []
        for parent, parent_totals in parents:
            children = list(
                Area.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            )
            if not children:
                continue
            weights = _ward_weights(children, taking_part=taking_part)
            for key, value in parent_totals.items():
                for child_pk, share in proportional_split(value, weights).items():
                    rows[(child_pk, key)] = share
            by_pk = {child.pk: child for child in children}
            next_parents += [
                (by_pk[pk], {key: rows[(pk, key)] for key in parent_totals}) for pk in by_pk
            ]
        parents = next_parents
    existing = {(t.area_id, t.indicator): t for t in Target.objects.filter(campaign=campaign)}
    new, changed, gone = [], [], []
    for (area_id, key), value in rows.items():
        target = existing.get((area_id, key))
        if value <= 0:
            if target is not None:
                gone.append(target.pk)
        elif target is None:
            new.append(Target(campaign=campaign, area_id=area_id, indicator=key, value=value))
        elif target.value != value:
            target.value = value
            target.updated_at = timezone.now()  # bulk_update skips auto_now (dashboard cache key)
            changed.append(target)
    gone += [t.pk for (_area, key), t in existing.items() if key not in totals]
    Target.objects.filter(pk__in=gone).delete()
    Target.objects.bulk_create(new, batch_size=2000)
    Target.objects.bulk_update(changed, ["value", "updated_at"], batch_size=2000)


def _ward_weights(children: list[Area], *, taking_part: bool = False) -> dict[int, int]:
    if children[0].level >= Level.WARD:
        took_part = {child.pk: int(child.numchild > 0) for child in children}
        if taking_part and any(took_part.values()):
            return took_part
        return {child.pk: 1 for child in children}
    length = len(children[0].path)
    counts = dict(
        Area.objects.filter(
            level=Level.WARD,
            era=children[0].era,
            path__startswith=children[0].path[: -Area.steplen],
        )
        .annotate(prefix=Substr("path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    return {child.pk: counts.get(child.path, 1) for child in children}


@transaction.atomic
def seed(world: DemoWorld, *, scale: int = 1) -> None:
    today = timezone.localdate()
    youth_month = _campaign(
        YOUTH_MONTH_2023,
        theme="Tuổi trẻ Thủ đô tiên phong chuyển đổi số",
        start=datetime.date(2023, 3, 1),
        end=datetime.date(2023, 3, 31),
        scope=world.legacy_city,
        status=CampaignStatus.CLOSED,
        indicators=[*Indicator.values, PARTICIPATIONS],
    )
    _targets_down(
        youth_month, world.legacy_city, youth_month_targets(scale), levels=2, taking_part=True
    )
    current = _campaign(
        CURRENT_CAMPAIGN,
        theme="Đến từng nhà, tiếp cận từng người",
        start=max(today - datetime.timedelta(days=60), datetime.date(2025, 7, 1)),
        end=today + datetime.timedelta(days=30),
        scope=world.city,
        status=CampaignStatus.ACTIVE,
        indicators=[*CURRENT_TARGETS],
    )
    _targets_down(current, world.city, dict(CURRENT_TARGETS), levels=1)
    # Demo records inserted in bulk (not through the services) leave the tallies empty: rebuild.
    if ACTIVITY_SOURCES and not AreaDayTally.objects.exists():
        from .tallies import tallies_rebuild

        tallies_rebuild()
    _signed_off(world, youth_month)


def _signed_off(world: DemoWorld, campaign: Campaign) -> None:
    """Youth Month 2023 as it ended: Định Công submitted, Hoàng Mai approved, the city closed
    the period (through the services, so the history and the locks are the real ones)."""
    from .models import SignOff
    from .signoff import period_close, signoff_approve, signoff_submit

    if SignOff.objects.filter(campaign=campaign).exists():
        return
    users = world.users
    signoff = signoff_submit(user=users["ward"], area=world.legacy_ward, campaign=campaign)
    signoff_approve(user=users["district"], signoff=signoff)
    period_close(user=users["city"], area=world.legacy_city, campaign=campaign)
