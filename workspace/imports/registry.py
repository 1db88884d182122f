"""Which importer reads which kind of list: the one place that names them all."""

from areas.models import Area
from volunteers.models import User

from ..models import ImportKind
from .base import Importer
from .groups import ResidentialGroupImporter
from .households import HouseholdImporter
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


def importer_for(
    *, kind: str, ward: Area, user: User | None, options: dict | None = None
) -> Importer:
    return importer_class(kind)(ward=ward, user=user, options=options)
