"""The nightly check of the household registry (households.registry): each residential
group's kept counts of households and people against a recount of its households, stored as a
DriftReport of kind `registry` and logged like the tallies' check (campaigns.tallies.drift).

It heals nothing, as the tallies' check heals nothing: a drifted group means a door wrote
households past the registry (raw SQL, a bulk load), which is a bug to find, and the report
names the groups. `manage.py rebuild_registry` recounts every group once the cause is known.

Here rather than in households: a DriftReport is campaigns', and households never imports
campaigns (the layers run one way)."""

import logging

from core.snapshot import snapshot_atomic
from households.registry.models import HouseholdCount
from households.registry.selectors import registry_drift

from .models import DriftKind, DriftReport

logger = logging.getLogger(__name__)

SAMPLES = 50


def _counts(pair: tuple[int, int]) -> dict[str, int]:
    households, members = pair
    return {"households": households, "members": members}


def registry_check_drift() -> DriftReport:
    """Compare every group's kept counts with its households in one snapshot; store and log the
    result. Drift must be zero."""
    # Both reads in one snapshot: a household saved between them (with its group's recount,
    # in the same transaction) must not read as drift.
    with snapshot_atomic():
        drift = registry_drift()
        groups = HouseholdCount.objects.filter(households__gt=0).count()
    samples = [
        {
            "kind": DriftKind.REGISTRY.value,
            "key": [str(area_id)],
            "expected": _counts(live),
            "stored": _counts(stored),
        }
        for area_id, stored, live in drift[:SAMPLES]
    ]
    report = DriftReport.objects.create(
        kind=DriftKind.REGISTRY,
        area_rows=groups,
        drift_count=len(drift),
        samples=samples,
    )
    if drift:
        logger.error(
            "household registry drifted: %s groups differ (report %s); "
            "manage.py rebuild_registry recounts them",
            len(drift),
            report.pk,
        )
    else:
        logger.info("household registry matches the households (%s groups)", groups)
    return report
