"""Reading a batch request: the one place its body is parsed, with its guards.

A body that is not a batch is the request's fault and gets a 400 the outbox keeps waiting on
(never a 500): too large, not JSON, nested deeper than the parser's stack, not {"items": [...]}.
"""

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from ..devices import OWNER_HEADER, device_owner
from ..text import text_nfc_all
from .protocol import SyncDoor

# A full batch of the largest items (a report with its attendee list) is well under this;
# below Django's own DATA_UPLOAD_MAX_MEMORY_SIZE so the phone gets this answer, not an HTML 400.
MAX_BODY_BYTES = 2_000_000


def sync_response(request: HttpRequest, *, door: SyncDoor) -> JsonResponse:
    """The endpoint's whole answer: {"results": [...]} with 200, or {"error": ...} with 400;
    409 when the batch is another person's (see `_owner_problem`)."""
    if problem := _owner_problem(request):
        return JsonResponse({"error": problem, "code": "owner"}, status=409)
    items, problem = _items_of(request)
    if problem:
        return JsonResponse({"error": problem}, status=400)
    return JsonResponse({"results": door.apply(user=request.user, items=items)})


def _owner_problem(request: HttpRequest) -> str:
    """A phone's outbox names whose items a batch holds (core.devices.OWNER_HEADER). On a phone
    where someone else has signed in since, the service worker may send the one before's items
    with the new session: refused whole, nothing applied, so that nobody's visits are recorded
    in another's name; they wait on the phone for their owner. A batch naming no owner (a script
    from before the header, a tool) is taken as the session's."""
    named = request.headers.get(OWNER_HEADER, "")
    if named and named != device_owner(request.user.pk):
        return _("Các mục này của người khác đã dùng máy này: chúng chờ người đó đăng nhập lại.")
    return ""


def _items_of(request: HttpRequest) -> tuple[list, str]:
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return [], _("Gói dữ liệu gửi lên quá lớn.")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return [], _("Gói dữ liệu gửi lên quá lớn.")
    try:
        # One spelling (NFC) for every text an item carries, as the forms get (core.text).
        parsed = text_nfc_all(json.loads(body))
    except RecursionError:
        return [], _("Dữ liệu gửi lên lồng nhau quá sâu.")
    except ValueError:  # not JSON, or not UTF-8
        return [], _("Dữ liệu gửi lên không hợp lệ.")
    items = parsed.get("items") if isinstance(parsed, dict) else None
    if not isinstance(items, list):
        return [], _("Dữ liệu gửi lên không hợp lệ.")
    return items, ""
