from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from volunteers.scoping import Scope

from .models import INDICATOR_CHOICES, Campaign


class CampaignForm(forms.ModelForm):
    indicators = forms.MultipleChoiceField(
        label=_("Chỉ tiêu theo dõi"),
        choices=INDICATOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = ["name", "theme", "start", "end", "scope", "indicators", "status"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: object, scope: Scope, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = Area.objects.filter(
            scope.q(field=""), level__lte=Level.WARD
        ).order_by("era", "path")
        self.fields["scope"].label_from_instance = lambda area: (
            f"{'— ' * (area.depth - 1)}{area.name} ({area.get_era_display()})"
        )


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp chỉ tiêu (.xlsx hoặc .csv)"),
        help_text=_("Cột “mã” là mã địa bàn; mỗi cột còn lại là một chỉ tiêu."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Tên khóa (ví dụ: IOC thành phố)"), max_length=100)
    days = forms.IntegerField(
        label=_("Hiệu lực (ngày, tối đa 90)"),
        min_value=1,
        max_value=90,
        initial=90,
        required=False,
    )

    def clean_days(self) -> int:
        return self.cleaned_data.get("days") or 90


class ServiceAccountForm(forms.Form):
    """A system's key (the city's IOC): one area and its subtree, made by the city union."""

    name = forms.CharField(label=_("Tên hệ thống (ví dụ: IOC Hà Nội)"), max_length=100)
    scope = forms.ModelChoiceField(label=_("Phạm vi (địa bàn và các cấp dưới)"), queryset=None)
    days = forms.IntegerField(
        label=_("Hiệu lực (ngày, tối đa 90)"), min_value=1, max_value=90, initial=90, required=False
    )

    def __init__(self, *args: object, scope: Scope, **kwargs: object) -> None:
        # Ids of its own: the tokens page shows it beside the personal key's form, whose
        # fields share its names.
        kwargs.setdefault("auto_id", "service_%s")
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = Area.objects.filter(
            scope.q(field=""), level__lte=Level.WARD
        ).order_by("era", "path")
        self.fields["scope"].label_from_instance = lambda area: (
            f"{'— ' * (area.depth - 1)}{area.name} ({area.get_era_display()})"
        )

    def clean_days(self) -> int:
        return self.cleaned_data.get("days") or 90
