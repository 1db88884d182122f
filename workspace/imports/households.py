"""Importing a ward's household list (the sheets that travel in Zalo groups today)."""

from collections.abc import Callable
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.phones import normalize_phone
from core.privacy import privacy_findings_messages
from households.addresses import walk_key
from households.models import ConsentMethod, Household, HouseholdChange
from households.registry.services import registry_recount

from ..resources import HouseholdSheet
from .addresses import split_address
from .base import Importer
from .bulk import insert_rows
from .group_lookup import GroupLookup
from .keys import fold, fold_address

YES = {"co", "x", "yes", "y", "1", "dong y", "true", "v"}
BATCH = 5000


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    number: int
    area_id: int
    house_number: str
    alley: str
    street: str
    contact_name: str
    contact_phone: str
    members: int
    consent: bool
    notes: str
    raw_name: str  # the name as read (folded), kept even when it is not stored
    address_key: str


ROW_FIELDS = tuple(field.name for field in fields(HouseholdRow))


def _limit(error, key: str, value: str, size: int) -> str:
    if len(value) > size:
        error(key, _("Quá dài (tối đa %(size)d ký tự).") % {"size": size})
    return value[:size]


class HouseholdImporter(Importer):
    kind = "households"
    columns = HouseholdSheet.import_columns()

    packs = True

    def prepare(self) -> None:
        self.groups = GroupLookup(self.ward)
        self.consent_all = bool(self.options.get("consent_all"))
        self.dropped_contacts = 0
        # The same few group and consent texts come back on every row: look each up once.
        self.group_of: dict[str, object] = {}
        self.consent_of: dict[str, bool] = {}
        # Rows whose stored household already has another contact: it is kept (said).
        self.kept_contacts = 0

    def _group(self, text: str):
        if text not in self.group_of:
            self.group_of[text] = self.groups.find(text)
        return self.group_of[text]

    def _consent(self, text: str) -> bool:
        if text not in self.consent_of:
            self.consent_of[text] = fold(text) in YES
        return self.consent_of[text]

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        group = self._group(values.get("group", ""))
        if group is None:
            if values.get("group"):
                error(
                    "group",
                    _("Không có tổ dân phố “%(name)s” trong %(ward)s.")
                    % {"name": values["group"], "ward": self.ward.name},
                )
            else:
                error("group", _("Thiếu tổ dân phố."))
        house, alley, street = (values.get(key, "") for key in ("house_number", "alley", "street"))
        if values.get("address") and not (house or alley or street):
            house, alley, street = split_address(values["address"])
        if not (house or alley or street):
            error("address" if "address" in values else "house_number", _("Thiếu địa chỉ."))
        phone = ""
        if values.get("contact_phone"):
            try:
                phone = normalize_phone(values["contact_phone"])
            except ValidationError:
                error(
                    "contact_phone",
                    _("Số điện thoại “%(phone)s” không hợp lệ.")
                    % {"phone": values["contact_phone"]},
                )
        members = 1
        if values.get("members"):
            try:
                members = int(float(values["members"].replace(",", ".")))
            except ValueError:
                members = -1
            if not 1 <= members <= 99:
                error("members", _("Số nhân khẩu phải là số từ 1 đến 99."))
        notes = values.get("notes", "")
        # The one privacy guard on every typed cell: rows are bulk-inserted without full_clean().
        typed = ["house_number", "alley", "street", "apartment", "contact_name", "notes"]
        if values.get("address") and not any(values.get(key) for key in typed[:3]):
            typed[:3] = ["address"]  # the parts were split from it: name the cell as typed
        for key, text in ((key, values.get(key, "")) for key in typed):
            for message in privacy_findings_messages(text):
                error(key, message)
        consent = self.consent_all or self._consent(values.get("consent", ""))
        name = values.get("contact_name", "")
        raw_name = fold(name)
        if group is None or not (house or alley or street):
            return None
        if (name or phone) and not consent:
            self.dropped_contacts += 1
            name = phone = ""
        house = _limit(error, "house_number", house, 40)
        alley = _limit(error, "alley", alley, 120)
        street = _limit(error, "street", street, 120)
        return HouseholdRow(
            number=number,
            area_id=group.pk,
            house_number=house,
            alley=alley,
            street=street,
            contact_name=_limit(error, "contact_name", name, 120),
            contact_phone=phone,
            members=members,
            consent=consent and bool(name or phone),
            notes=notes,
            raw_name=raw_name,
            address_key=fold_address(house_number=house, alley=alley, street=street, apartment=""),
        )

    # The preview's rows are kept on the job, so the worker does not parse the file again.
    def dump(self, record: HouseholdRow) -> list:
        return [getattr(record, name) for name in ROW_FIELDS]

    def load(self, row: list) -> HouseholdRow:
        return HouseholdRow(*row)

    def key(self, record: HouseholdRow) -> tuple:
        # Two households may share a house: the contact's name tells them apart.
        return (record.area_id, record.address_key, record.raw_name)

    def existing_keys(self, records: list) -> set:
        """Rows whose household is already there: same group and address, and the same contact
        name when both sides have one (two families may share a house number).

        The ward's stored households are read once, on the first batch, before anything of
        this import is written: every later batch is checked against the same state."""
        if not hasattr(self, "_stored"):
            self._stored: dict[tuple, set[str]] = {}
            self._contacts: dict[tuple, set[tuple[str, str]]] = {}
            # Stored households without a contact, by (group, address key), that a row of this
            # file may give its consented contact to: each one once (claimed).
            self._bare: dict[tuple, list[int]] = {}
            self.claimed: set[int] = set()
            existing = Household.objects.filter(area__path__startswith=self.ward.path)
            rows = existing.values_list(
                "pk", "area_id", "address_key", "contact_name", "contact_phone"
            )
            for pk, area_id, key, name, phone in rows.iterator(chunk_size=5000):
                self._stored.setdefault((area_id, key), set()).add(fold(name))
                if name or phone:
                    self._contacts.setdefault((area_id, key), set()).add((fold(name), phone))
                else:
                    self._bare.setdefault((area_id, key), []).append(pk)
        found = set()
        for record in records:
            names = self._stored.get((record.area_id, record.address_key))
            if names is None:
                continue
            if not record.raw_name or record.raw_name in names or "" in names:
                found.add(self.key(record))
        return found

    def _target(self, record: HouseholdRow) -> int | None:
        """The stored household without a contact that `record`'s consented contact goes to."""
        if not (record.consent and (record.contact_name or record.contact_phone)):
            return None
        for pk in self._bare.get((record.area_id, record.address_key), ()):
            if pk not in self.claimed:
                self.claimed.add(pk)
                return pk
        return None

    def updates(self, record: HouseholdRow) -> int:
        if self._target(record) is not None:
            return 1
        contacts = self._contacts.get((record.area_id, record.address_key), set())
        if record.consent and (record.raw_name, record.contact_phone) not in contacts:
            self.kept_contacts += 1  # its household has another contact: never replaced
        return 0

    def update(self, records: list) -> dict:
        """Consented contacts given to stored households that have none: one read, one bulk
        update and the history lines per batch, never a query per row."""
        targets = {pk: record for record in records if (pk := self._target(record)) is not None}
        if not targets:
            return {}
        now = timezone.now()
        user_id = self.user.pk if self.user else None
        households = list(
            Household.objects.filter(pk__in=targets, contact_name="", contact_phone="")
        )
        for household in households:
            record = targets[household.pk]
            household.contact_name, household.contact_phone = (
                record.contact_name,
                record.contact_phone,
            )
            household.consent_at, household.consent_by_id = now, user_id
            household.updated_by_id, household.updated_at = user_id, now
            household.search_key = fold(
                " ".join([household.address, household.contact_name, household.contact_phone])
            )[:500]
        fields = ["contact_name", "contact_phone", "consent_at", "consent_by", "search_key"]
        Household.objects.bulk_update(
            households, [*fields, "updated_by", "updated_at"], batch_size=1000
        )
        insert_rows(
            HouseholdChange,
            [
                {
                    "household_id": household.pk,
                    "changed_by_id": user_id,
                    "changes": {
                        "contact_name": ["", household.contact_name],
                        "contact_phone": ["", household.contact_phone],
                    },
                }
                for household in households
            ],
        )
        return {"contacts_added": len(households)}

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        """One batch: the households, then their "imported" history line (COPY on PostgreSQL)."""
        now = timezone.now()
        user_id = self.user.pk if self.user else None
        done = 0
        touched: set[int] = set()
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            rows = []
            addresses = []
            for record in batch:
                address = ", ".join(
                    part for part in (record.house_number, record.alley, record.street) if part
                )
                addresses.append(address)
                rows.append(
                    {
                        "area_id": record.area_id,
                        "house_number": record.house_number,
                        "alley": record.alley,
                        "street": record.street,
                        "contact_name": record.contact_name,
                        "contact_phone": record.contact_phone,
                        "members": record.members,
                        "notes": record.notes,
                        "consent_at": now if record.consent else None,
                        "consent_by_id": user_id if record.consent else None,
                        "consent_method": ConsentMethod.IMPORT if record.consent else "",
                        "address_key": record.address_key,
                        "walk_key": walk_key(
                            house_number=record.house_number,
                            alley=record.alley,
                            street=record.street,
                        ),
                        "search_key": fold(
                            " ".join([address, record.contact_name, record.contact_phone])
                        )[:500],
                        "created_by_id": user_id,
                        "updated_by_id": user_id,
                    }
                )
            ids = insert_rows(Household, rows)
            touched.update(row["area_id"] for row in rows)
            insert_rows(
                HouseholdChange,
                [
                    {
                        "household_id": household_id,
                        "changed_by_id": user_id,
                        "changes": {"imported": [None, address]},
                    }
                    for household_id, address in zip(ids, addresses, strict=True)
                ],
            )
            done += len(batch)
            progress(done)
        # A bulk insert sends no signal. Recounted once, last: the groups' count rows are locked
        # from here to the import's commit, not for the whole import (a household added from a
        # phone in one of them meanwhile would wait for it).
        registry_recount(touched)
        return {"created": done}

    def warnings(self) -> list[str]:
        notes = []
        if self.dropped_contacts:
            notes.append(
                _(
                    "%(count)d hộ có tên/số điện thoại nhưng chưa có đồng ý lưu liên hệ: chỉ lưu "
                    "địa chỉ và số nhân khẩu của các hộ này."
                )
                % {"count": self.dropped_contacts}
            )
        if self.kept_contacts:
            notes.append(
                _(
                    "%(count)d hộ đã có trong danh sách với liên hệ khác: giữ nguyên liên hệ đã "
                    "lưu (sửa từng hộ nếu cần)."
                )
                % {"count": self.kept_contacts}
            )
        return notes
