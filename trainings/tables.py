import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .counting import session_attendees
from .models import AwarenessPost, Document, SessionState, TrainingSession

_BADGE = {SessionState.PLANNED: "warn", SessionState.HELD: "", SessionState.REPORTED: "ok"}


def _labelled(label, **td) -> dict:
    """Cell attributes carrying the column's name: under 600 px each row is a card and each
    cell a labelled line (trainings/_styles.html)."""
    return {"td": {"data-label": label, **td}}


class SessionTable(tables.Table):
    start = tables.DateTimeColumn(
        verbose_name=_("Thời gian"), format="H:i d/m/Y", linkify=True, attrs=_labelled("")
    )
    topics = tables.Column(
        verbose_name=_("Chủ đề"), empty_values=(), orderable=False, attrs=_labelled(_("Chủ đề"))
    )
    area = tables.Column(
        verbose_name=_("Địa bàn"),
        accessor="area__name",
        order_by="area__path",
        attrs=_labelled(_("Địa bàn")),
    )
    state = tables.Column(verbose_name=_("Trạng thái"), attrs=_labelled(_("Trạng thái")))
    attendee_count = tables.Column(
        verbose_name=_("Người dự"),
        attrs=_labelled(_("Người dự"), **{"class": "num"}),
        empty_values=(),
    )

    class Meta:
        model = TrainingSession
        fields = ("start", "topics", "area", "state", "attendee_count")
        order_by = "-start"
        attrs = {"class": "sessions"}

    def render_topics(self, record: TrainingSession) -> str:
        title = record.title or ", ".join(topic.name for topic in record.topics.all())
        return title

    def render_state(self, record: TrainingSession, value: str) -> str:
        return format_html('<span class="badge {}">{}</span>', _BADGE[record.state], value)

    def render_attendee_count(self, record: TrainingSession) -> int:
        return session_attendees(record)


class DocumentTable(tables.Table):
    title = tables.Column(verbose_name=_("Tài liệu"), linkify=True)
    kind = tables.Column(verbose_name=_("Loại"))
    topics = tables.Column(verbose_name=_("Chủ đề"), empty_values=(), orderable=False)
    area = tables.Column(verbose_name=_("Đơn vị"), accessor="area__name", order_by="area__path")
    created_at = tables.DateColumn(verbose_name=_("Ngày thêm"), format="d/m/Y")

    class Meta:
        model = Document
        fields = ("title", "kind", "topics", "area", "created_at")
        order_by = "-created_at"

    def render_topics(self, record: Document) -> str:
        return format_html_join(", ", "{}", ((topic.name,) for topic in record.topics.all()))


class PostTable(tables.Table):
    published_on = tables.DateColumn(verbose_name=_("Ngày đăng"), format="d/m/Y")
    platform = tables.Column(verbose_name=_("Nền tảng"))
    url = tables.Column(verbose_name=_("Bài đăng"))
    area = tables.Column(verbose_name=_("Đơn vị"), accessor="area__name", order_by="area__path")
    author = tables.Column(verbose_name=_("Người đăng"), accessor="author__full_name")
    reach = tables.Column(verbose_name=_("Tiếp cận"), attrs={"td": {"class": "num"}})

    class Meta:
        model = AwarenessPost
        fields = ("published_on", "platform", "url", "area", "author", "reach")
        order_by = "-published_on"

    def render_url(self, record: AwarenessPost) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>',
            record.url,
            record.title or record.url[:60],
        )
