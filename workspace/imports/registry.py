"""Which importer reads which kind of list: the one place that names them all."""

from areas.models import Area, Level
from volunteers.models import User

from ..models import ImportKind
from .base import Importer
from .groups import ResidentialGroupImporter
from .households import HouseholdImporter
from .many import many_ward_importer
from .posts import PostImporter
from .tallies import TallyImporter
from .visits import VisitImporter
from .volunteers import VolunteerImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.VOLUNTEERS: VolunteerImporter,
    ImportKind.HOUSEHOLDS: HouseholdImporter,
    ImportKind.VISITS: VisitImporter,
    ImportKind.GROUPS: ResidentialGroupImporter,
    ImportKind.TALLIES: TallyImporter,
    ImportKind.POSTS: PostImporter,
}


def importer_class(kind: str) -> type[Importer]:
    return IMPORTERS[kind]


# Ward-bound lists: imported at a district or a city, each row names its ward (many.py).
WARD_BOUND = frozenset(
    {ImportKind.VOLUNTEERS, ImportKind.HOUSEHOLDS, ImportKind.VISITS, ImportKind.GROUPS}
)


def importer_class_at(kind: str, area: Area) -> type[Importer]:
    """The importer of `kind` for a file imported at `area`: above a ward, a ward-bound list
    takes a ward column and goes ward by ward."""
    if kind in WARD_BOUND and area.level < Level.WARD:
        return many_ward_importer(importer_class(kind))
    return importer_class(kind)


def importer_for(
    *, kind: str, ward: Area, user: User | None, options: dict | None = None
) -> Importer:
    return importer_class_at(kind, ward)(ward=ward, user=user, options=options)
