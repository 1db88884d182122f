import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Era
from volunteers.models import User

from .models import AgeGroup, Audience, Platform, Topic
from .services import attendees_parse, session_span

_NEGATIVE = _("Số người tham dự không thể là số âm.")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        label = f"{'· ' * max(obj.depth - 3, 0)}{obj.name}"
        if obj.era == Era.LEGACY:
            return gettext("%(name)s (trước 01/7/2025)") % {"name": label}
        return label


class TrainerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class SessionForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tên lớp (không bắt buộc)"), max_length=200, required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Chủ đề"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một chủ đề.")},
    )
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Giờ bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Giờ kết thúc"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    area = AreaChoiceField(label=_("Địa bàn"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    audience = forms.ChoiceField(label=_("Đối tượng"), choices=Audience.choices)
    trainers = TrainerField(
        label=_("Người hướng dẫn"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea)

    def __init__(self, *args, areas, topics, trainers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["topics"].queryset = topics
        self.fields["trainers"].queryset = trainers
        if not self.is_bound and "client_uuid" not in self.initial:
            self.initial["client_uuid"] = uuid.uuid4()

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            # Read as meant (22:00 – 01:00 ends the next day); the times are the service's to
            # judge (session_times_check), for every way in.
            data["start"], data["end"] = session_span(day, start, end)
        return data

    def session_fields(self) -> dict:
        """The session as the services take it (session_plan, session_update), from a valid
        form: the same for the page's create and edit and for the phone's sync."""
        data = self.cleaned_data
        return {
            "area": data["area"],
            "start": data["start"],
            "end": data["end"],
            "topics": list(data["topics"]),
            "trainers": list(data["trainers"]),
            "address": data["address"],
            "audience": data["audience"],
            "title": data["title"],
            "notes": data["notes"],
        }

    @staticmethod
    def initial_for(session) -> dict:
        start = timezone.localtime(session.start)
        return {
            "client_uuid": session.client_uuid,
            "title": session.title,
            "topics": list(session.topics.all()),
            "day": start.date(),
            "start_time": start.time(),
            "end_time": timezone.localtime(session.end).time(),
            "area": session.area,
            "address": session.address,
            "audience": session.audience,
            "trainers": list(session.trainers.all()),
            "notes": session.notes,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    attendee_count = forms.IntegerField(
        label=_("Số người tham dự"),
        min_value=0,
        error_messages={"min_value": _NEGATIVE, "invalid": _("Hãy nhập một số nguyên.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    attendees = forms.CharField(
        label=_("Danh sách người tham dự (không bắt buộc)"),
        help_text=_(
            "Mỗi dòng một người: họ tên, số điện thoại, nhóm tuổi (dưới 18, 18-35, 36-59, 60+)."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attendees_consent = forms.BooleanField(
        label=_("Những người trong danh sách đã đồng ý cho lưu họ tên và số điện thoại."),
        required=False,
    )
    photos = MultipleFileField(label=_("Ảnh lớp học"), required=False)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea)

    def clean_attendees(self) -> list:
        try:
            return attendees_parse(self.cleaned_data.get("attendees") or "")
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def clean(self) -> dict:
        data = super().clean()
        if data.get("attendees") and not data.get("attendees_consent"):
            self.add_error(
                "attendees_consent",
                _(
                    "Danh sách người tham dự chỉ được lưu khi từng người đã đồng ý. Hãy xác "
                    "nhận sự đồng ý, hoặc để trống danh sách."
                ),
            )
        return data


class CheckInForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    age_group = forms.ChoiceField(
        label=_("Nhóm tuổi"), choices=[("", "—"), *AgeGroup.choices], required=False
    )
    consent = forms.BooleanField(
        label=_("Tôi đồng ý để ban tổ chức lưu họ tên và số điện thoại của tôi cho lớp học này."),
        required=False,
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=200)
    area = AreaChoiceField(label=_("Đơn vị"), queryset=Area.objects.none())
    topics = forms.ModelMultipleChoiceField(
        label=_("Chủ đề"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea)
    published_on = forms.DateField(
        label=_("Ngày phát hành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Để trống: hôm nay. Tài liệu được tính vào ngày này."),
    )
    file = forms.FileField(
        label=_("Tệp (PDF, Word, PowerPoint, Excel, ảnh)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, areas, topics, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["topics"].queryset = topics
        if not self.is_bound and areas.count() == 1:
            self.initial["area"] = areas.first()


class PostForm(forms.Form):
    platform = forms.ChoiceField(label=_("Nền tảng"), choices=Platform.choices)
    url = forms.CharField(
        label=_("Đường dẫn bài đăng"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    title = forms.CharField(label=_("Tiêu đề (không bắt buộc)"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("Ngày đăng"), widget=forms.DateInput(attrs={"type": "date"})
    )
    area = AreaChoiceField(label=_("Đơn vị"), queryset=Area.objects.none())
    reach = forms.IntegerField(
        label=_("Lượt tiếp cận (không bắt buộc)"),
        min_value=0,
        required=False,
        error_messages={"min_value": _("Lượt tiếp cận không thể là số âm.")},
    )

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if not self.is_bound:
            self.initial.setdefault("published_on", timezone.localdate())
            if areas.count() == 1:
                self.initial["area"] = areas.first()


class ImportForm(forms.Form):
    area = AreaChoiceField(label=_("Địa bàn của các lớp"), queryset=Area.objects.none())
    file = forms.FileField(label=_("Tệp .xlsx hoặc .csv"))

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if not self.is_bound and areas.count() == 1:
            self.initial["area"] = areas.first()
