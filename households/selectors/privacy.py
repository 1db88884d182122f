"""A household's own data, gathered for the household on request (Law 91/2025/QH15): what is
kept about it, who recorded it and when. Scoped like every read: outside one's area is a 404."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from volunteers.models import User

from ..models import (
    ConsentMethod,
    ContactView,
    DigitalStatus,
    Household,
    HouseholdChange,
    PrivacyRequest,
    StatusChange,
    Visit,
)
from .lists import household_get_for


@dataclass
class HouseholdData:
    household: Household
    visits: QuerySet[Visit]
    status_changes: QuerySet[StatusChange]
    changes: QuerySet[HouseholdChange]
    requests: QuerySet[PrivacyRequest]
    contact_views: QuerySet[ContactView]

    def change_rows(self) -> list[tuple[HouseholdChange, list[str]]]:
        return [(change, change_lines(change)) for change in self.changes]

    @property
    def erased(self) -> bool:
        return any(request.kind == "erasure" for request in self.requests)

    @property
    def consent_method_label(self) -> str:
        method = self.household.consent_method
        return (
            ConsentMethod(method).label if method else _("Không rõ (ghi nhận trước khi có mục này)")
        )


def contact_views_for(*, household: Household) -> QuerySet[ContactView]:
    """Who saw the household's contact: on its own pages, and in a download of its ward's list
    made since it was added (that list held every contact of the ward)."""
    own = Q(household=household)
    in_ward_list = Q(
        household__isnull=True,
        ward__path__in=household.area.ancestor_paths(),
        viewed_at__gte=household.created_at,
    )
    return (
        ContactView.objects.filter(own | in_ward_list)
        .select_related("viewer")
        .order_by("-viewed_at", "-pk")
    )


def household_data_for(*, user: User, pk: int) -> HouseholdData:
    """Everything kept about one household in the user's area (404 outside it)."""
    household = household_get_for(user=user, pk=pk)
    household = Household.objects.select_related("area", "consent_by", "created_by").get(
        pk=household.pk
    )
    return HouseholdData(
        household=household,
        visits=household.visits.select_related("volunteer").order_by("-device_time", "-pk"),
        status_changes=household.status_changes.select_related("changed_by").order_by(
            "-changed_at", "-pk"
        ),
        changes=household.changes.select_related("changed_by").order_by("-changed_at", "-pk"),
        requests=household.privacy_requests.select_related("handled_by").order_by(
            "-handled_at", "-pk"
        ),
        contact_views=contact_views_for(household=household),
    )


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _who(user: User | None) -> str:
    return user.full_name if user else ""


def _label(name: str) -> str:
    try:
        return str(Household._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return {"created": _("Tạo hộ"), "erased": _("Đã xoá")}.get(name, name)


def _pair(label: str, value: object) -> str:
    return _("%(field)s: %(value)s") % {"field": label, "value": value}


def change_lines(change: HouseholdChange) -> list[str]:
    """ "Số nhà: 5 → 7" for each field a change touched."""
    lines = []
    for name, values in change.changes.items():
        old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        lines.append(
            _("%(field)s: %(old)s → %(new)s")
            % {"field": _label(name), "old": old or "—", "new": new or "—"}
        )
    return lines


def household_data_rows(data: HouseholdData) -> tuple[list[str], list[list[str]]]:
    """The same data as rows (section, content, when, by whom), for the download."""
    household = data.household
    rows: list[list[str]] = []
    section = _("Hộ")
    for name in ("house_number", "alley", "street", "apartment", "members", "notes"):
        value = getattr(household, name)
        rows.append([section, _pair(_label(name), value), "", ""])
    rows.append([section, _pair(_("Tổ dân phố/thôn"), household.area.name), "", ""])
    rows.append(
        [
            section,
            _pair(_("Tình trạng số"), DigitalStatus(household.digital_status).label),
            _when(household.created_at),
            _who(household.created_by),
        ]
    )
    section = _("Liên hệ và đồng ý")
    rows.append([section, _pair(_label("contact_name"), household.contact_name), "", ""])
    rows.append([section, _pair(_label("contact_phone"), household.contact_phone), "", ""])
    if household.consent_at:
        consent = _("Đồng ý lưu liên hệ (%(method)s)") % {"method": data.consent_method_label}
    else:
        consent = _("Không lưu liên hệ")
    rows.append([section, consent, _when(household.consent_at), _who(household.consent_by)])
    for visit in data.visits:
        content = _("%(result)s, %(people)d người được hỗ trợ") % {
            "result": visit.get_result_display(),
            "people": visit.people_helped,
        }
        if visit.notes:
            content = _("%(visit)s. Ghi chú: %(notes)s") % {"visit": content, "notes": visit.notes}
        rows.append([_("Lượt thăm"), content, _when(visit.device_time), _who(visit.volunteer)])
    for step in data.status_changes:
        content = f"{step.get_from_status_display()} → {step.get_to_status_display()}"
        rows.append([_("Tình trạng số"), content, _when(step.changed_at), _who(step.changed_by)])
    for change in data.changes:
        content = "; ".join(change_lines(change))
        rows.append([_("Thay đổi"), content, _when(change.changed_at), _who(change.changed_by)])
    for request in data.requests:
        rows.append(
            [
                _("Yêu cầu về dữ liệu"),
                request.get_kind_display(),
                _when(request.handled_at),
                _who(request.handled_by),
            ]
        )
    for view in data.contact_views:
        content = view.get_door_display()
        if view.household_id is None:
            content = _("%(door)s (%(count)d hộ)") % {"door": content, "count": view.count}
        rows.append([_("Ai đã xem liên hệ"), content, _when(view.viewed_at), _who(view.viewer)])
    return [str(header) for header in _headers()], rows


def _headers() -> list[str]:
    return [_("Mục"), _("Nội dung"), _("Lúc"), _("Người ghi nhận")]
