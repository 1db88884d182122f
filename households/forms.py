"""Forms parse what a phone sends, whether from a page or from the offline outbox."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.phones import VietnamPhoneField
from core.privacy import privacy_check

from .models import COUNT_FIELDS, ConsentMethod, DigitalStatus, Visit, VisitResult

MAX_COUNT = 200


class HouseholdForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        label=_("Tổ dân phố/thôn"),
        error_messages={"invalid_choice": _("Tổ dân phố này không thuộc địa bàn của bạn.")},
    )
    house_number = forms.CharField(label=_("Số nhà"), max_length=40, required=False)
    alley = forms.CharField(label=_("Ngõ/ngách/hẻm"), max_length=120, required=False)
    street = forms.CharField(label=_("Đường/phố"), max_length=120, required=False)
    apartment = forms.CharField(label=_("Căn hộ/phòng trọ"), max_length=120, required=False)
    members = forms.IntegerField(
        label=_("Số nhân khẩu"),
        min_value=1,
        max_value=99,
        initial=1,
        required=False,
        error_messages={
            "min_value": _("Hộ có ít nhất 1 người."),
            "max_value": _("Số nhân khẩu quá lớn (tối đa 99)."),
        },
    )
    consent = forms.BooleanField(
        label=_("Hộ đồng ý cho lưu tên và số điện thoại liên hệ"), required=False
    )
    # How the household said yes: at its door, or on the phone (imports say "import" themselves).
    consent_method = forms.ChoiceField(
        label=_("Hộ đồng ý qua"),
        choices=[
            (ConsentMethod.IN_PERSON, ConsentMethod.IN_PERSON.label),
            (ConsentMethod.PHONE, ConsentMethod.PHONE.label),
        ],
        initial=ConsentMethod.IN_PERSON,
        required=False,
    )
    contact_name = forms.CharField(label=_("Tên người liên hệ"), max_length=120, required=False)
    contact_phone = VietnamPhoneField(
        label=_("Số điện thoại liên hệ"),
        required=False,
        # The phone's number pad, not its letter keyboard; no autofill of the volunteer's own.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    notes = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[privacy_check],
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Vẫn thêm: đây là một hộ khác cùng địa chỉ"), required=False
    )

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas

    def clean(self) -> dict:
        data = super().clean()
        data["members"] = data.get("members") or 1
        data["consent_method"] = data.get("consent_method") or ConsentMethod.IN_PERSON
        address = [data.get(name) for name in ("house_number", "alley", "street", "apartment")]
        if not any(address):
            raise forms.ValidationError(
                _("Nhập ít nhất một phần địa chỉ (số nhà, ngõ, đường hoặc phòng)."),
                code="address",
            )
        if (data.get("contact_name") or data.get("contact_phone")) and not data.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _("Chỉ lưu tên và số điện thoại khi hộ đồng ý. Hãy hỏi và đánh dấu đồng ý."),
                    code="consent",
                ),
            )
        return data


def _count_field(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=Visit._meta.get_field(name).verbose_name,
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0", "min": 0}),
        error_messages={
            "min_value": _("Số người không được âm."),
            "max_value": _("Số người quá lớn cho một lượt thăm."),
            "invalid": _("Nhập một số nguyên."),
        },
    )


# The one-tap step a visit reaches, and the count of people it implies (at least the one helped).
STEP_COUNTS: dict[str, str] = {
    DigitalStatus.APP_INSTALLED: "install_guidance",
    DigitalStatus.LEVEL1: "level1_activations",
    DigitalStatus.LEVEL2_REGISTERED: "dossiers_eid",
    DigitalStatus.LEVEL2_ACTIVATED: "level2_coaching",
    DigitalStatus.USES_ONLINE_SERVICES: "dossiers_online",
}
STEP_ACTIONS: dict[str, str] = {
    DigitalStatus.APP_INSTALLED: _("Đã cài VNeID"),
    DigitalStatus.LEVEL1: _("Đã kích hoạt mức 1"),
    DigitalStatus.LEVEL2_REGISTERED: _("Đã đăng ký mức 2 tại công an"),
    DigitalStatus.LEVEL2_ACTIVATED: _("Đã kích hoạt mức 2"),
    DigitalStatus.USES_ONLINE_SERVICES: _("Đã nộp hồ sơ trực tuyến"),
}


class StepsField(forms.MultipleChoiceField):
    """The steps done in this sitting, ticked along the chain. A phone with an older page sends
    one step as a string; it reads as a list of one."""

    def to_python(self, value) -> list[str]:
        if isinstance(value, str):
            value = [value] if value else []
        return super().to_python(value)


# One field per count, declared once: as part of the class they are in `base_fields` (the edit
# page fills them from the visit) and are not rebuilt for every form (the sync endpoint builds one
# per visit).
_CountFields = type(forms.Form)(
    "_CountFields", (forms.Form,), {name: _count_field(name) for name in COUNT_FIELDS}
)


class VisitForm(_CountFields):
    field_order = [
        "result",
        "status_to",
        "over_members_confirmed",
        "notes",
        "teammates",
        "device_time",
        *COUNT_FIELDS,
    ]

    result = forms.ChoiceField(
        label=_("Kết quả"),
        choices=VisitResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn kết quả của lượt thăm.")},
    )
    status_to = StepsField(
        label=_("Bước đạt được"),
        choices=list(STEP_ACTIONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bước không hợp lệ.")},
    )
    over_members_confirmed = forms.BooleanField(
        label=_("Tôi xác nhận số người được hỗ trợ nhiều hơn số nhân khẩu của hộ"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[privacy_check],
    )
    teammates = forms.TypedMultipleChoiceField(
        label=_("Cùng đi"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    device_time = forms.DateTimeField(label=_("Thời điểm"), required=False)

    def __init__(self, *args, teammate_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teammates"].choices = list(teammate_choices)

    def count_fields(self) -> list:
        return [self[name] for name in COUNT_FIELDS]

    def clean(self) -> dict:
        data = super().clean()
        for name in COUNT_FIELDS:
            data[name] = data.get(name) or 0
        if data.get("result") == VisitResult.HELPED:
            # Each step done implies at least the one person helped through it.
            for step in data.get("status_to") or []:
                if step in STEP_COUNTS:
                    data[STEP_COUNTS[step]] = max(data[STEP_COUNTS[step]], 1)
        return data


class _SharedFields(dict):
    """A form's declared fields that its instances share instead of deep-copying: a form only
    validated, never rendered, mutates no field but those named in `own` (copied per form).
    Django copies `base_fields` deeply for every form; for the sync endpoint's form, built once
    per visit (50 per batch), that copy was a quarter of a visit's server time."""

    def __init__(self, fields: dict, *, own: tuple[str, ...]) -> None:
        super().__init__(fields)
        self.own = own

    def __deepcopy__(self, memo: dict) -> dict:
        fields = dict(self)
        for name in self.own:
            fields[name] = copy.deepcopy(fields[name], memo)
        return fields


class SyncVisitForm(VisitForm):
    """The outbox's visit: the household by server id or by the client id it was created with.
    Validated, never rendered: its instances share their fields (`_SharedFields`)."""

    household = forms.IntegerField(required=False)
    household_uuid = forms.UUIDField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("household") and not data.get("household_uuid"):
            raise forms.ValidationError(_("Thiếu hộ gia đình của lượt thăm."), code="household")
        return data


# The teammates' choices are set per form (the volunteer's team): that field is each form's own.
SyncVisitForm.base_fields = _SharedFields(SyncVisitForm.base_fields, own=("teammates",))
