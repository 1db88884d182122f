"""The coordinator's forms: teams, invitations, volunteers, assignments, uploads."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.campaigns import campaign_choices_for
from core.phones import VietnamPhoneField
from core.spreadsheets.reader import MAX_BYTES
from households.models import Household
from volunteers.assignments import ward_groups_of
from volunteers.models import FIELD_ROLES, Membership, Role, Team, User

from .models import ImportKind


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


class HouseholdsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        return f"{obj.address or obj.pk} · {obj.area.name}"


HOUSEHOLDS_SHOWN = 60


class AssignmentForm(forms.Form):
    """Groups and/or single households of one ward, to a volunteer or a team, maybe for one of
    the campaigns over the ward (chosen from a list: core.campaigns)."""

    groups = GroupsField(
        label=_("Tổ dân phố"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    households = HouseholdsField(
        label=_("Hộ gia đình (giao từng hộ)"),
        queryset=Household.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
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
    campaign = forms.TypedChoiceField(
        label=_("Chiến dịch (không bắt buộc)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, ward: Area, household_search: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = ward_groups_of(ward=ward)
        households = Household.objects.filter(area__path__startswith=ward.path).select_related(
            "area"
        )
        if self.is_bound:
            self.fields["households"].queryset = households  # any household of the ward
        else:
            # Only a page of them is listed; the search box narrows it.
            shown = households.matching(household_search).order_by("area__path", "address_key")
            picked = [int(pk) for pk in self.initial.get("households", []) if str(pk).isdigit()]
            ids = list(shown.values_list("pk", flat=True)[:HOUSEHOLDS_SHOWN])
            self.fields["households"].queryset = households.filter(pk__in=ids + picked).order_by(
                "area__path", "address_key"
            )
        self.fields["volunteer"].queryset = _ward_volunteers(ward)
        self.fields["team"].queryset = Team.objects.filter(ward=ward, is_active=True)
        self.campaign_names = {
            choice.id: choice.name for choice in campaign_choices_for(area_path=ward.path)
        }
        self.fields["campaign"].choices = [
            ("", _("Không theo chiến dịch nào")),
            *self.campaign_names.items(),
        ]

    def clean(self) -> dict:
        data = super().clean()
        # Each error on the field it is about, so a screen reader names that field.
        if not data.get("groups") and not data.get("households"):
            self.add_error("groups", _("Chọn ít nhất một tổ dân phố hoặc một hộ."))
        if bool(data.get("volunteer")) == bool(data.get("team")):
            self.add_error("volunteer", _("Chọn một tình nguyện viên hoặc một tổ (chỉ một)."))
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
