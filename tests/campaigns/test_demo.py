import datetime

import pytest

from areas.models import Area, Level
from campaigns import demo
from campaigns.models import Campaign, Target
from campaigns.selectors import effective_targets

pytestmark = pytest.mark.django_db


def test_demo_seeds_youth_month_2023_and_a_current_campaign_idempotently(world):
    demo.seed(world, scale=1)
    demo.seed(world, scale=1)
    youth = Campaign.objects.get(name=demo.YOUTH_MONTH_2023)
    assert (youth.start, youth.end, youth.scope, youth.era) == (
        datetime.date(2023, 3, 1),
        datetime.date(2023, 3, 31),
        world.legacy_city,
        "legacy",
    )
    assert Campaign.objects.get(name=demo.CURRENT_CAMPAIGN).scope == world.city
    assert Campaign.objects.count() == 2
    targets = effective_targets(
        campaign=youth, areas=[world.legacy_city, world.legacy_district, world.legacy_ward]
    )
    city_install = demo.youth_month_targets(scale=1)["install_guidance"]
    assert targets[world.legacy_city.pk]["install_guidance"] == city_install == 60_000 // 20
    # Ward targets go to the wards that took part (have residential groups): in the bare demo
    # world, Định Công alone carries its district's; a ward without groups gets none.
    assert (
        0
        < targets[world.legacy_district.pk]["install_guidance"]
        == targets[world.legacy_ward.pk]["install_guidance"]
        < city_install
    )
    idle = Area.objects.filter(
        path__startswith=world.legacy_district.path, level=Level.WARD, numchild=0
    ).first()
    assert effective_targets(campaign=youth, areas=[idle])[idle.pk] == {}
    district_sum = sum(
        Target.objects.filter(
            campaign=youth, indicator="install_guidance", area__depth=2
        ).values_list("value", flat=True)
    )
    assert district_sum == city_install


def test_demo_youth_month_2023_is_submitted_approved_and_closed(world):
    from areas.locks import is_locked
    from campaigns.models import SignOff, SignOffEvent

    demo.seed(world, scale=1)
    demo.seed(world, scale=1)
    youth = Campaign.objects.get(name=demo.YOUTH_MONTH_2023)
    ward = SignOff.objects.get(campaign=youth, area=world.legacy_ward)
    assert (ward.state, ward.submitted_by, ward.decided_by) == (
        "approved",
        world.users["ward"],
        world.users["district"],
    )
    assert SignOff.objects.get(campaign=youth, area=world.legacy_city).state == "closed"
    assert SignOffEvent.objects.filter(signoff__campaign=youth).count() == 3
    assert is_locked(area=world.legacy_ward, day=datetime.date(2023, 3, 15))
