"""Importing a ward's volunteers: name, phone, email, team (and optionally "tổ trưởng")."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.phones import normalize_phone
from core.privacy import privacy_findings_messages
from core.text import search_key
from volunteers.assignments import volunteer_add
from volunteers.models import FIELD_ROLES, Membership, Role, Team, User

from ..resources import VolunteerSheet
from .base import Importer


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    full_name: str
    phone: str
    email: str
    team_id: int | None
    role: str


class VolunteerImporter(Importer):
    kind = "volunteers"
    columns = VolunteerSheet.import_columns()

    def prepare(self) -> None:
        self.teams = {search_key(team.name): team for team in Team.objects.filter(ward=self.ward)}
        self.email_rows: dict[str, int] = {}  # email -> the first row giving it

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        name = values.get("full_name", "")
        if not name:
            error("full_name", _("Thiếu họ và tên."))
        for message in privacy_findings_messages(name):
            error("full_name", message)
        phone = ""
        try:
            phone = normalize_phone(values.get("phone", ""))
        except ValidationError:
            error(
                "phone",
                _("Số điện thoại “%(phone)s” không hợp lệ.") % {"phone": values.get("phone", "")}
                if values.get("phone")
                else _("Thiếu số điện thoại."),
            )
        email = values.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("Email “%(email)s” không hợp lệ.") % {"email": email})
            else:
                self._check_email_free(number, email, phone, error)
        team_id = None
        if values.get("team"):
            team = self.teams.get(search_key(values["team"]))
            if team is None:
                error(
                    "team",
                    _("Không có tổ “%(team)s” ở phường này. Hãy tạo tổ trước.")
                    % {"team": values["team"]},
                )
            else:
                team_id = team.pk
        role = Role.VOLUNTEER
        if "truong" in search_key(values.get("role", "")):
            role = Role.TEAM_LEADER
        if not name or not phone:
            return None
        return VolunteerRow(name, phone, email, team_id, role)

    def _check_email_free(self, number: int, email: str, phone: str, error) -> None:
        """An email is one account's: twice in the file, or already another person's, is a
        row error here rather than a failed write after the preview said all was well."""
        first = self.email_rows.setdefault(email, number)
        if first != number:
            error(
                "email",
                _("Email “%(email)s” trùng với dòng %(row)d.") % {"email": email, "row": first},
            )
            return
        owner = User.objects.filter(email__iexact=email).values_list("phone", flat=True).first()
        if owner is not None and owner != phone:
            error(
                "email",
                _("Email “%(email)s” đã là của một tài khoản khác.") % {"email": email},
            )

    def key(self, record: VolunteerRow) -> str:
        return record.phone

    def existing_keys(self, records: list) -> set:
        phones = [record.phone for record in records]
        return set(
            Membership.objects.filter(
                user__phone__in=phones,
                role__in=FIELD_ROLES,
                area__path__startswith=self.ward.path,
            ).values_list("user__phone", flat=True)
        )

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        teams = {team.pk: team for team in self.teams.values()}
        created = 0
        for index, record in enumerate(records, start=1):
            _user, made = volunteer_add(
                ward=self.ward,
                full_name=record.full_name,
                phone=record.phone,
                email=record.email,
                team=teams.get(record.team_id),
                role=record.role,
                created_by=self.user,  # an existing account is offered the role by this user
            )
            created += made
            progress(index)
        return {"created": created, "added": len(records)}
