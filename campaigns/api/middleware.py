"""JSON for every error under the API's path, including what Django answers before the API's
own views: an unknown path (404), a method other than GET (405), a server error (500)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import API_PREFIX
from .errors import error_response


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("Yêu cầu không hợp lệ.")),
        401: ("unauthorized", _("Cần khóa API hợp lệ.")),
        403: ("forbidden", _("Không có quyền.")),
        404: ("not_found", _("Không tìm thấy, hoặc nằm ngoài phạm vi khóa.")),
        405: ("method_not_allowed", _("API chỉ nhận GET.")),
        429: ("rate_limited", _("Quá nhiều yêu cầu.")),
    }


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if _is_json(response) and response.status_code != 405:
            return response
        status = response.status_code
        code, message = _messages().get(
            status, ("server_error", _("Lỗi máy chủ. Hãy thử lại sau."))
        )
        headers = {}
        if status == 405:
            headers["Allow"] = "GET"
        for name in ("Retry-After", "WWW-Authenticate"):
            if name in response:
                headers[name] = response[name]
        return error_response(status, code, message, headers=headers)
