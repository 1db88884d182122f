"""Property tests: for random trees and random records, edits and rejections, and campaigns
created or moved between them, every level's total equals the sum of its children and a
recompute from the surviving raw records — the campaigns' own rows (totals over the period,
per-volunteer rows, distinct volunteers) included."""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.models import Area, Era, Kind, Level
from campaigns.models import Campaign
from campaigns.tallies import INDICATORS, stored_tallies, tallies_diff, tallies_from_deltas
from core.activity import ActivityDelta, activity_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 4, 1)
KINDS = {2: (Level.WARD, Kind.WARD), 3: (Level.GROUP, Kind.RESIDENTIAL_GROUP)}

shapes = st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3)
record = st.tuples(
    st.integers(min_value=0, max_value=50),  # leaf (mod the number of leaves)
    st.integers(min_value=0, max_value=2),  # day offset
    st.integers(min_value=0, max_value=3),  # volunteer (3 = none)
    st.dictionaries(st.sampled_from(INDICATORS[:6]), st.integers(1, 4), min_size=1, max_size=3),
)
period = st.tuples(st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=2))
operation = st.one_of(
    st.tuples(st.just("add"), record),
    st.tuples(st.just("reject"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("move"), st.tuples(st.integers(0, 50), st.integers(0, 50))),
    # A campaign over (any node of the tree, a period), or an existing one's period moved.
    st.tuples(st.just("campaign"), st.tuples(st.integers(0, 50), period)),
    st.tuples(st.just("reperiod"), st.tuples(st.integers(0, 50), period)),
)


def build_tree(shape: list[int]) -> tuple[Area, list[Area]]:
    root = Area.objects.add_root(
        instance=Area(
            code="P-prop", era=Era.CURRENT, level=Level.PROVINCE, kind=Kind.CITY, name="Tỉnh thử"
        )
    )
    level, leaves, counter = [root], [root], 0
    for depth, width in enumerate(shape, start=2):
        next_level = []
        for parent in level:
            for _ in range(width):
                counter += 1
                parent.refresh_from_db()
                unit_level, kind = KINDS.get(depth, (Level.GROUP, Kind.RESIDENTIAL_GROUP))
                next_level.append(
                    Area.objects.add_child(
                        parent,
                        instance=Area(
                            code=f"prop-{counter}",
                            era=Era.CURRENT,
                            level=unit_level,
                            kind=kind,
                            name=f"Đơn vị {counter}",
                        ),
                    )
                )
        level = leaves = next_level
    return root, leaves


def negate(delta: ActivityDelta) -> ActivityDelta:
    return ActivityDelta(
        delta.area_id, delta.day, {k: -v for k, v in delta.counts.items()}, delta.volunteer_id
    )


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(shape=shapes, operations=st.lists(operation, min_size=1, max_size=25))
def test_every_level_equals_its_children_and_a_recompute_from_raw(world, shape, operations):
    with transaction.atomic():
        root, leaves = build_tree(shape)
        volunteers = [UserFactory() for _ in range(3)]
        nodes = list(Area.objects.filter(path__startswith=root.path).order_by("path"))
        campaigns: list[Campaign] = []
        live: list[ActivityDelta] = []  # the raw records as they stand
        for kind, payload in operations:
            if kind == "add":
                leaf, offset, who, counts = payload
                delta = ActivityDelta(
                    leaves[leaf % len(leaves)].pk,
                    DAY + datetime.timedelta(days=offset),
                    counts,
                    volunteers[who].pk if who < 3 else None,
                )
                activity_record(sender="tests", deltas=[delta])
                live.append(delta)
            elif kind == "reject" and live:
                gone = live.pop(payload % len(live))
                activity_record(sender="tests", deltas=[negate(gone)])
            elif kind == "move" and live:
                index, leaf = payload
                old = live[index % len(live)]
                new = ActivityDelta(
                    leaves[leaf % len(leaves)].pk, old.day, old.counts, old.volunteer_id
                )
                activity_record(sender="tests", deltas=[negate(old), new])
                live[index % len(live)] = new
            elif kind == "campaign":
                node, (offset, length) = payload
                start = DAY + datetime.timedelta(days=offset)
                campaigns.append(
                    Campaign.objects.create(
                        name=f"C{len(campaigns)}",
                        scope=nodes[node % len(nodes)],
                        start=start,
                        end=start + datetime.timedelta(days=length),
                    )
                )
            elif kind == "reperiod" and campaigns:
                index, (offset, length) = payload
                moved = Campaign.objects.get(pk=campaigns[index % len(campaigns)].pk)
                moved.start = DAY + datetime.timedelta(days=offset)
                moved.end = moved.start + datetime.timedelta(days=length)
                moved.save()

        stored = stored_tallies()
        # 1. A recompute from the surviving raw records gives the same tables, row for row.
        assert tallies_diff(tallies_from_deltas(live), stored) == []
        # 2. Each level's indicator totals are the sum of its children's.
        areas = {area.pk: area for area in Area.objects.filter(path__startswith=root.path)}
        sums: dict = defaultdict(lambda: defaultdict(int))
        for (area_id, day), counts in stored.areas.items():
            area = areas[area_id]
            if area.depth > 1:
                parent = next(a for a in areas.values() if a.path == area.path[: -Area.steplen])
                for key in INDICATORS:
                    sums[(parent.pk, day)][key] += counts[key]
        for (area_id, day), counts in stored.areas.items():
            if (area_id, day) in sums or areas[area_id].numchild:
                for key in INDICATORS:
                    assert counts[key] == sums[(area_id, day)][key]
        # 3. Participations at the root are the distinct active (volunteer, day) pairs.
        active = defaultdict(int)
        for delta in live:
            if delta.volunteer_id is not None:
                active[(delta.volunteer_id, delta.day)] += sum(delta.counts.values())
        by_day = defaultdict(int)
        for (_volunteer, day), total in active.items():
            by_day[day] += total > 0
        root_rows = {day: c for (a, day), c in stored.areas.items() if a == root.pk}
        for day, expected in by_day.items():
            assert root_rows[day]["volunteer_participations"] == expected
        # 4. A campaign's row for its scope: the day rows summed over its period, and its
        #    unique volunteers the distinct people with net activity on some day of it.
        for campaign in Campaign.objects.filter(pk__in=[c.pk for c in campaigns]):
            scope = areas[campaign.scope_id]
            in_period = [
                (key, counts)
                for key, counts in stored.areas.items()
                if key[0] == scope.pk and campaign.start <= key[1] <= campaign.end
            ]
            row = stored.campaign_areas.get((campaign.pk, scope.pk), {})
            for key in [*INDICATORS, "volunteer_participations"]:
                assert row.get(key, 0) == sum(counts[key] for _k, counts in in_period)
            net = defaultdict(int)
            for delta in live:
                leaf = areas[delta.area_id]
                if (
                    delta.volunteer_id is not None
                    and leaf.path.startswith(scope.path)
                    and campaign.start <= delta.day <= campaign.end
                ):
                    net[(delta.volunteer_id, delta.day)] += sum(delta.counts.values())
            people = {volunteer for (volunteer, _day), total in net.items() if total > 0}
            assert row.get("unique_volunteers", 0) == len(people)
        transaction.set_rollback(True)
