"""Forms of the coordinator workspace and of the invitation a volunteer opens."""

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.spreadsheets.reader import MAX_BYTES

from .assignments import ward_groups_of
from .fields import VietnamPhoneField
from .models import FIELD_ROLES, Membership, Role, Team, User
from .workspace_models import ImportKind


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class GroupsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ"), max_length=150)
    residential_group = GroupChoiceField(
        label=_("Tổ dân phố phụ trách"), queryset=Area.objects.none(), required=False
    )

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = ward_groups_of(ward=ward)


class InvitationForm(forms.Form):
    area = GroupChoiceField(
        label=_("Địa bàn"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Địa bàn của tổ"),
    )
    days = forms.IntegerField(label=_("Hiệu lực (ngày)"), min_value=1, max_value=90, initial=14)
    max_uses = forms.IntegerField(
        label=_("Số người được dùng"), min_value=1, max_value=500, initial=30
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[
            (Role.VOLUNTEER, Role.VOLUNTEER.label),
            (Role.TEAM_LEADER, Role.TEAM_LEADER.label),
        ],
        initial=Role.VOLUNTEER,
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ward_groups_of(ward=team.ward)


class JoinForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = VietnamPhoneField()
    email = forms.EmailField(label=_("Email (không bắt buộc)"), required=False)
    password1 = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif first:
            probe = User(full_name=data.get("full_name", ""), email=data.get("email") or None)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ClaimForm(forms.Form):
    """The owner of a pre-added account: the code the coordinator handed over, a password."""

    code = forms.CharField(
        label=_("Mã nhận tài khoản"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class VolunteerForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = VietnamPhoneField()
    email = forms.EmailField(label=_("Email"), required=False)
    team = forms.ModelChoiceField(label=_("Tổ CNS"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(ward=ward, is_active=True)


def _ward_volunteers(ward: Area):
    serving = Membership.objects.active().filter(
        role__in=FIELD_ROLES, area__path__startswith=ward.path
    )
    return User.objects.filter(pk__in=serving.values("user_id"), is_active=True).order_by(
        "full_name"
    )


class AssignmentForm(forms.Form):
    groups = GroupsField(
        label=_("Tổ dân phố"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    volunteer = forms.ModelChoiceField(
        label=_("Giao cho tình nguyện viên"), queryset=User.objects.none(), required=False
    )
    team = forms.ModelChoiceField(
        label=_("hoặc giao cho tổ"), queryset=Team.objects.none(), required=False
    )
    valid_until = forms.DateField(
        label=_("Đến ngày (không bắt buộc)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    campaign_label = forms.CharField(
        label=_("Đợt/chiến dịch (không bắt buộc)"), max_length=150, required=False
    )

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = ward_groups_of(ward=ward)
        self.fields["volunteer"].queryset = _ward_volunteers(ward)
        self.fields["team"].queryset = Team.objects.filter(ward=ward, is_active=True)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("volunteer")) == bool(data.get("team")):
            raise forms.ValidationError(_("Chọn một tình nguyện viên hoặc một tổ (chỉ một)."))
        until = data.get("valid_until")
        if until and until < timezone.localdate():
            self.add_error("valid_until", _("Ngày kết thúc đã qua."))
        return data


class HandoverForm(forms.Form):
    to_volunteer = forms.ModelChoiceField(
        label=_("Bàn giao cho tình nguyện viên"), queryset=User.objects.none(), required=False
    )
    to_team = forms.ModelChoiceField(
        label=_("hoặc cho tổ"), queryset=Team.objects.none(), required=False
    )

    def __init__(self, *args, ward: Area, exclude: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_volunteer"].queryset = _ward_volunteers(ward).exclude(pk=exclude.pk)
        self.fields["to_team"].queryset = Team.objects.filter(ward=ward, is_active=True)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("to_volunteer")) == bool(data.get("to_team")):
            raise forms.ValidationError(_("Chọn một người hoặc một tổ để nhận bàn giao."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp .xlsx hoặc .csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("Tối đa 50 MB. Trang tính đầu tiên, một dòng tiêu đề, mỗi dòng một bản ghi."),
    )

    consent_all = forms.BooleanField(
        label=_("Các hộ trong danh sách đã đồng ý cho lưu tên và số điện thoại liên hệ"),
        required=False,
        help_text=_("Không đánh dấu: chỉ lưu địa chỉ và số nhân khẩu, trừ dòng có cột đồng ý."),
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kind != ImportKind.HOUSEHOLDS:
            del self.fields["consent_all"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 50 MB. Hãy chia thành nhiều tệp nhỏ hơn."))
        return upload


IMPORT_KINDS = [kind.value for kind in ImportKind]


class PhoneOrEmailLoginForm(LoginForm):
    """allauth's login form; the login field takes a phone number or an email, so the phone
    offers saved usernames of either kind rather than only emails."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
