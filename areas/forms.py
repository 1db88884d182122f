from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class ResidentialGroupForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ dân phố/thôn"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[
            (Kind.RESIDENTIAL_GROUP, Kind.RESIDENTIAL_GROUP.label),
            (Kind.VILLAGE, Kind.VILLAGE.label),
        ],
        initial=Kind.RESIDENTIAL_GROUP,
    )


class AreaSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm địa bàn"), required=False, max_length=100)
