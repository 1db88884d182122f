"""Every error under the API's path is JSON of one shape (the `Error` schema): a message in
the request's language, a stable machine code, the status, and what was wrong per parameter."""

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than 200, raised anywhere below a view (parsing, auth, selectors)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    response = JsonResponse(
        {"error": message, "code": code, "status": status, "details": details or []},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(
        400,
        "bad_parameter",
        _("Tham số không hợp lệ."),
        details=[{"parameter": name, "message": message}],
    )


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Không tìm thấy, hoặc nằm ngoài phạm vi khóa."))


def describe_error(error: dict) -> str:
    """A pydantic error about one parameter, said in the request's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    name = str((error.get("loc") or ["?"])[-1])
    if kind == "looks_like_code":
        return _(
            "%(name)s là mã định danh số (id); để tra theo mã đơn vị hành chính, "
            "hãy dùng area_code và era."
        ) % {"name": name}
    if kind in {"ascii_integer", "int_parsing", "int_type"}:
        return _("%(name)s phải là số nguyên dương, chỉ gồm chữ số 0–9.") % {"name": name}
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt", ""))))
        return _("%(name)s nằm ngoài giới hạn cho phép (%(bound)s).") % {
            "name": name,
            "bound": bound,
        }
    if kind in {"literal_error", "enum"}:
        return _("%(name)s phải là một trong: %(values)s.") % {
            "name": name,
            "values": ctx.get("expected", ""),
        }
    if kind == "missing":
        return _("Thiếu tham số %(name)s.") % {"name": name}
    if kind in {"area_code", "string_pattern_mismatch", "string_too_long"}:
        return _("%(name)s không phải là mã đơn vị hành chính hợp lệ.") % {"name": name}
    if kind == "moment":
        return _("%(name)s phải là thời điểm ISO 8601 có múi giờ, ví dụ %(example)s.") % {
            "name": name,
            "example": "2026-03-10T08:00:00+07:00",
        }
    return _("%(name)s không hợp lệ.") % {"name": name}


UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="tungnha"'}


def _validation_details(errors: list[dict]) -> list[dict]:
    return [
        {"parameter": str(error.get("loc", ["", ""])[-1]), "message": describe_error(error)}
        for error in errors
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            exc.status, exc.code, exc.message, details=exc.details, headers=exc.headers
        )

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            400,
            "bad_parameter",
            _("Tham số không hợp lệ."),
            details=_validation_details(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            401, "unauthorized", _("Cần khóa API hợp lệ."), headers=UNAUTHORIZED_HEADERS
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code, "error", str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        error = not_found()
        return error_response(error.status, error.code, error.message)

    @api.exception_handler(Exception)
    def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return error_response(500, "server_error", _("Lỗi máy chủ. Hãy thử lại sau."))
