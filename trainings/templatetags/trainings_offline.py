"""The words the trainings offline script shows (static/js/trainings_offline.js), as JSON."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext

register = template.Library()


def offline_texts() -> dict[str, str]:
    return {
        # The same words as the households outbox bar (one outbox on the phone).
        "waiting": gettext("Chờ gửi: %(n)s"),
        "invalid": gettext("Cần sửa: %(n)s"),
        "never": gettext("chưa đồng bộ lần nào"),
        "last": gettext("Đồng bộ lần cuối: %(t)s"),
        "queued": gettext("Chưa có mạng: đã lưu trong máy, sẽ tự gửi khi có mạng."),
        "saved": gettext("Đã gửi lên máy chủ."),
        "fix": gettext("Có lỗi, hãy sửa rồi lưu lại."),
        "login": gettext("Phiên đăng nhập đã hết: đăng nhập lại để gửi."),
        "discard": gettext("Bỏ"),
        "edit": gettext("Sửa"),
        "empty": gettext("Không có gì chờ gửi."),
        "confirm": gettext("Bỏ hẳn mục này? Dữ liệu sẽ mất."),
        # Trainings' own.
        "training_plan": gettext("Kế hoạch lớp học"),
        "training_report": gettext("Báo cáo lớp học"),
        "attendees": gettext("%(n)s người tham dự"),
        "photos_dropped": gettext(
            "Ảnh chưa được gửi: ảnh chỉ gửi được khi có mạng, hãy thêm lại từ trang báo cáo."
        ),
        "plan_waiting": gettext("Kế hoạch chờ gửi"),
        "report_waiting": gettext("Báo cáo chờ gửi: %(n)s người tham dự"),
        "not_found": gettext("Không tìm thấy lớp này trong máy (có thể đã được gửi lên)."),
        "session": gettext("Lớp số %(n)s"),
        "server_error": gettext("Máy chủ đang lỗi: đã lưu trong máy, sẽ gửi lại sau."),
    }


def _installs_worker(user) -> bool:
    """The service worker precaches the households shell, which only field roles may open: for
    the others its install would fail on every page, so their pages do not register it."""
    from volunteers.access import FIELD
    from volunteers.scoping import user_roles

    return bool(user and user.is_authenticated and user_roles(user) & FIELD)


@register.simple_tag(takes_context=True)
def trainings_offline_texts(context) -> str:
    request = context.get("request")
    texts = {**offline_texts(), "worker": _installs_worker(getattr(request, "user", None))}
    return json_script(texts, "tr-i18n")
