"""Back-entry of paper tallies: one row per visit (date, volunteer, household, counts).

Rows go through households.services.visit_record, so every rule of a visit logged on a phone
holds, the campaign tallies move (activity deltas), and a re-import finds the same client ids
(derived from the row's content) and creates nothing twice.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.locks import LockIndex
from core.phones import normalize_phone
from core.spreadsheets.reader import FileRefused
from core.text import search_key
from households.models import COUNT_FIELDS, Household, Visit, VisitResult
from households.selectors import household_scope_for
from households.services import EARLIEST_VISIT, Conflict, address_key, visit_record
from volunteers.assignments import volunteers_of
from volunteers.models import User

from ..resources import VisitSheet
from .addresses import split_address
from .base import Importer
from .group_lookup import GroupLookup

NAMESPACE = uuid.UUID("6f1d0c7e-2a43-4d5e-9a51-7c1f3b0e8d21")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
RESULTS = {
    "da ho tro": VisitResult.HELPED,
    "ho tro": VisitResult.HELPED,
    "khong co nha": VisitResult.NOT_HOME,
    "vang nha": VisitResult.NOT_HOME,
    "tu choi": VisitResult.REFUSED,
    "hen quay lai": VisitResult.COME_BACK,
    "hen lai": VisitResult.COME_BACK,
}


@dataclass(frozen=True, slots=True)
class VisitRow:
    number: int
    volunteer_id: int
    household_id: int
    device_time: datetime.datetime
    result: str
    counts: tuple[int, ...]
    over_members: bool

    @property
    def client_id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, repr(self.key))

    @property
    def key(self) -> tuple:
        return (
            self.volunteer_id,
            self.household_id,
            self.device_time.isoformat(),
            self.result,
            self.counts,
        )


def parse_day(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def parse_time(text: str) -> datetime.time | None:
    text = text.strip().replace("h", ":").replace("g", ":")
    for fmt in ("%H:%M:%S", "%H:%M", "%H:"):
        try:
            return datetime.datetime.strptime(text, fmt).time()  # noqa: DTZ007
        except ValueError:
            continue
    return None


class VisitImporter(Importer):
    kind = "visits"
    columns = VisitSheet.import_columns()

    def prepare(self) -> None:
        self.groups = GroupLookup(self.ward)
        self.volunteers_by_phone: dict[str, User] = {}
        self.volunteers_by_name: dict[str, list[User]] = {}
        for user in volunteers_of(ward=self.ward).filter(is_active=True):
            if user.phone:
                self.volunteers_by_phone[user.phone] = user
            self.volunteers_by_name.setdefault(search_key(user.full_name), []).append(user)
        self.households = {}
        for household in Household.objects.filter(area__path__startswith=self.ward.path).only(
            "pk", "area_id", "address_key", "members"
        ):
            self.households[household.pk] = household
            self.households.setdefault((household.area_id, household.address_key), household)
        self.scopes: dict[int, object] = {}
        self.locks = LockIndex(area=self.ward)  # signed-off periods refuse their rows

    def _volunteer(self, text: str, error) -> User | None:
        if not text:
            error("volunteer", _("Thiếu tình nguyện viên."))
            return None
        try:
            user = self.volunteers_by_phone.get(normalize_phone(text))
        except ValidationError:
            found = self.volunteers_by_name.get(search_key(text), [])
            if len(found) > 1:
                error(
                    "volunteer",
                    _("Có nhiều người tên “%(name)s”: hãy ghi số điện thoại.") % {"name": text},
                )
                return None
            user = found[0] if found else None
        if user is None:
            error(
                "volunteer",
                _("“%(name)s” không phải tình nguyện viên đang hoạt động của phường.")
                % {"name": text},
            )
        return user

    def _household(self, values: dict, error) -> Household | None:
        if values.get("household_id"):
            try:
                household = self.households.get(int(values["household_id"]))
            except ValueError:
                household = None
            if household is None:
                error(
                    "household_id",
                    _("Không có hộ mã %(id)s trong phường.") % {"id": values["household_id"]},
                )
            return household
        group = self.groups.find(values.get("group", ""))
        if group is None:
            error(
                "group",
                _("Không có tổ dân phố “%(name)s” trong phường.")
                % {"name": values.get("group", "")},
            )
            return None
        if not values.get("address"):
            error(
                "address",
                _("Cần địa chỉ hộ (hoặc mã hộ): mỗi lượt thăm gắn với một hộ cụ thể."),
            )
            return None
        house, alley, street = split_address(values["address"])
        key = address_key(house_number=house, alley=alley, street=street, apartment="")
        household = self.households.get((group.pk, key))
        if household is None:
            error(
                "address",
                _("Không tìm thấy hộ “%(address)s” trong %(group)s.")
                % {"address": values["address"], "group": group.name},
            )
        return household

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        day = parse_day(values.get("day", ""))
        if day is None:
            error(
                "day",
                _("Ngày “%(day)s” không đọc được (ví dụ đúng: 05/03/2023).")
                % {"day": values.get("day", "")},
            )
        elif day > timezone.localdate() or day < EARLIEST_VISIT:
            error("day", _("Ngày nằm ngoài khoảng cho phép (từ 2021 đến hôm nay)."))
            day = None
        moment = datetime.time(9, 0)
        if values.get("time"):
            moment = parse_time(values["time"]) or moment
        volunteer = self._volunteer(values.get("volunteer", ""), error)
        household = self._household(values, error)
        result = RESULTS.get(search_key(values.get("result", "")))
        if values.get("result") and result is None:
            error("result", _("Kết quả phải là: Đã hỗ trợ, Không có nhà, Từ chối, Hẹn quay lại."))
        result = result or VisitResult.HELPED
        counts = []
        for name in COUNT_FIELDS:
            text = values.get(name, "") or "0"
            try:
                count = int(float(text))
            except ValueError:
                count = -1
            if not 0 <= count <= 500:
                error(name, _("Phải là số nguyên từ 0 đến 500."))
            counts.append(max(count, 0))
        if result in (VisitResult.NOT_HOME, VisitResult.REFUSED) and any(counts):
            error("result", _("Không có nhà hoặc từ chối thì các số phải bằng 0."))
        if volunteer and household:
            scope = self.scopes.get(volunteer.pk)
            if scope is None:
                scope = self.scopes[volunteer.pk] = household_scope_for(user=volunteer)
            area = self.groups.groups.get(household.area_id)
            if area is not None and not scope.contains(area):
                error("volunteer", _("Hộ này nằm ngoài địa bàn được giao của tình nguyện viên."))
                return None
        if day is None or volunteer is None or household is None:
            return None
        group = self.groups.groups.get(household.area_id)
        refusal = group is not None and self.locks.refusal(path=group.path, day=day)
        if refusal:
            error("day", refusal)
            return None
        device_time = timezone.make_aware(datetime.datetime.combine(day, moment))
        return VisitRow(
            number=number,
            volunteer_id=volunteer.pk,
            household_id=household.pk,
            device_time=device_time,
            result=result,
            counts=tuple(counts),
            over_members=max(counts) > household.members,
        )

    def key(self, record: VisitRow) -> tuple:
        return record.key

    def existing_keys(self, records: list) -> set:
        by_uuid = {record.client_id: record.key for record in records}
        found = Visit.objects.filter(client_uuid__in=list(by_uuid)).values_list(
            "client_uuid", flat=True
        )
        return {by_uuid[value] for value in found}

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        users = {
            user.pk: user for user in User.objects.filter(pk__in={r.volunteer_id for r in records})
        }
        households = Household.objects.in_bulk({record.household_id for record in records})
        pending = 0
        for index, record in enumerate(records, start=1):
            data = {
                "device_time": record.device_time,
                "result": record.result,
                "over_members_confirmed": record.over_members,
                **dict(zip(COUNT_FIELDS, record.counts, strict=True)),
            }
            try:
                visit, _created = visit_record(
                    volunteer=users[record.volunteer_id],
                    household=households[record.household_id],
                    client_id=record.client_id,
                    data=data,
                )
            except (ValidationError, Conflict) as problem:
                messages = (
                    problem.messages if isinstance(problem, ValidationError) else [str(problem)]
                )
                raise FileRefused(
                    _("Dòng %(row)d: %(message)s Không có dòng nào được ghi.")
                    % {"row": record.number, "message": " ".join(messages)}
                ) from problem
            pending += visit.status != "ok"
            progress(index)
        return {"created": len(records), "pending_review": pending}
