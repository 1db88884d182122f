"""Load the national list of administrative units (vietnam-provinces) into the tree.

Both eras are loaded for a province: the legacy tree (province → district → ward, valid until
30 June 2025) and the current two-tier tree (province → commune, from 1 July 2025), then the
old → new ward mapping. Rows are inserted in bulk with precomputed materialised paths: treebeard's
node-by-node insertion would take tens of seconds for the whole country.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.text import search_key

from .models import LEGACY_LAST_DAY, REFORM_DATE, Area, AreaSuccession, Era, Kind, Level

_KINDS = {
    "thành phố trung ương": Kind.CITY,
    "tỉnh": Kind.PROVINCE,
    "quận": Kind.URBAN_DISTRICT,
    "huyện": Kind.RURAL_DISTRICT,
    "thị xã": Kind.TOWN,
    "thành phố": Kind.PROVINCIAL_CITY,
    "phường": Kind.WARD,
    "xã": Kind.COMMUNE,
    "thị trấn": Kind.TOWNSHIP,
    "đặc khu": Kind.SPECIAL_ZONE,
}


class UnknownProvince(ValueError):
    pass


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    successions: int = 0


@dataclass
class _Node:
    code: str
    level: int
    kind: str
    name: str
    children: list["_Node"] = field(default_factory=list)


def _kind(division_type: object) -> str:
    return _KINDS[str(division_type.value if hasattr(division_type, "value") else division_type)]


def province_codes() -> list[int]:
    from vietnam_provinces import Province
    from vietnam_provinces.legacy import Province as LegacyProvince

    codes = {int(p.code) for p in Province.iter_all()}
    codes |= {int(p.code) for p in LegacyProvince.iter_all()}
    return sorted(codes)


def _legacy_tree(code: int) -> _Node | None:
    from vietnam_provinces.legacy import District, Province, Ward

    try:
        province = Province.from_code(code)
    except ValueError:
        return None
    root = _Node(f"{code:02d}", Level.PROVINCE, _kind(province.division_type), province.name)
    districts = {}
    for district in District.iter_by_province(province.code):
        node = _Node(
            f"{int(district.code):03d}",
            Level.DISTRICT,
            _kind(district.division_type),
            district.name,
        )
        districts[int(district.code)] = node
        root.children.append(node)
    for ward in Ward.iter_by_province(province.code):
        districts[int(ward.district_code)].children.append(
            _Node(f"{int(ward.code):05d}", Level.WARD, _kind(ward.division_type), ward.name)
        )
    return root


def _current_tree(code: int) -> _Node | None:
    from vietnam_provinces import Province, Ward

    try:
        province = Province.from_code(code)
    except ValueError:
        return None
    root = _Node(f"{code:02d}", Level.PROVINCE, _kind(province.division_type), province.name)
    for ward in Ward.iter_by_province(province.code):
        root.children.append(
            _Node(f"{int(ward.code):05d}", Level.WARD, _kind(ward.division_type), ward.name)
        )
    return root


def _flatten(node: _Node, path: str, depth: int, era: str, rows: list[Area]) -> None:
    valid_from, valid_to = (None, LEGACY_LAST_DAY) if era == Era.LEGACY else (REFORM_DATE, None)
    rows.append(
        Area(
            path=path,
            depth=depth,
            numchild=len(node.children),
            code=node.code,
            era=era,
            level=node.level,
            kind=node.kind,
            name=node.name,
            search_key=search_key(node.name),
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
    for index, child in enumerate(node.children, start=1):
        _flatten(child, Area._get_path(path, depth + 1, index), depth + 1, era, rows)


def _next_root_step() -> int:
    last = Area.objects.filter(depth=1).aggregate(last=Max("path"))["last"]
    return 1 if last is None else Area.numconv_obj().str2int(last) + 1


def _insert_tree(root: _Node, era: str) -> int:
    rows: list[Area] = []
    _flatten(root, Area._get_path(None, 1, _next_root_step()), 1, era, rows)
    Area.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _link_successions(province_code: int) -> int:
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    legacy = dict(Area.objects.filter(era=Era.LEGACY, level=Level.WARD).values_list("code", "pk"))
    current = dict(Area.objects.filter(era=Era.CURRENT, level=Level.WARD).values_list("code", "pk"))
    links = []
    for old_code, entry in OLD_TO_NEW.items():
        if entry.old_ward.province_code != province_code:
            continue
        old_pk = legacy.get(f"{old_code:05d}")
        for new_ward in entry.new_wards:
            new_pk = current.get(f"{new_ward.code:05d}")
            if old_pk and new_pk:
                links.append(
                    AreaSuccession(
                        predecessor_id=old_pk,
                        successor_id=new_pk,
                        is_partial=entry.old_ward.is_partly_merged,
                    )
                )
    before = AreaSuccession.objects.count()
    AreaSuccession.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    return AreaSuccession.objects.count() - before


def _link_provinces(province_code: int) -> None:
    """The legacy province becomes the current province that now holds most of its wards."""
    from vietnam_provinces import Province

    for province in Province.iter_all():
        sources = {int(source.code) for source in province.get_legacy_sources()}
        if province_code not in sources:
            continue
        old = Area.objects.filter(era=Era.LEGACY, depth=1, code=f"{province_code:02d}").first()
        new = Area.objects.filter(
            era=Era.CURRENT, depth=1, code=f"{int(province.code):02d}"
        ).first()
        if old and new:
            AreaSuccession.objects.get_or_create(
                predecessor=old, successor=new, defaults={"is_partial": False}
            )


@transaction.atomic
def areas_load(*, province_codes_to_load: Iterable[int]) -> LoadReport:
    """Load the given provinces in both eras. Loading twice changes nothing."""
    report = LoadReport()
    known = set(province_codes())
    for code in province_codes_to_load:
        if code not in known:
            raise UnknownProvince(
                _("Không có tỉnh/thành phố mã %(code)s trong danh mục quốc gia.")
                % {"code": f"{code:02d}"}
            )
    for code in province_codes_to_load:
        for era, build in ((Era.LEGACY, _legacy_tree), (Era.CURRENT, _current_tree)):
            label = f"{code:02d}/{era}"
            if Area.objects.filter(era=era, depth=1, code=f"{code:02d}").exists():
                report.skipped.append(label)
                continue
            tree = build(code)
            if tree is not None:
                report.created[label] = _insert_tree(tree, era)
    # Mapping needs both sides; do it once every province is in.
    for code in province_codes_to_load:
        report.successions += _link_successions(code)
        _link_provinces(code)
    return report
