"""Text typed into any form reaches the views in one spelling (NFC).

"Định Công" typed with decomposed accents (some phone keyboards, text pasted from a PDF) looks
the same as the composed one but is another string: it breaks equality, search and Excel
filters. Every form posted (and every query string) is normalised here, once, when a form or
view first reads it: no form can forget. Passwords are left exactly as typed (their hash must
match what was set). The sync protocol normalises its JSON items in core.sync.web.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from .text import text_nfc

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _needs(data: QueryDict) -> bool:
    return any(
        not value.isascii() and text_nfc(value) != value
        for key, values in data.lists()
        for value in [key, *values]
        if isinstance(value, str)
    )


def _normalised(data: QueryDict) -> QueryDict:
    if not _needs(data):
        return data
    copy = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        kept = "password" in key
        copy.setlist(
            text_nfc(key),
            [value if kept or not isinstance(value, str) else text_nfc(value) for value in values],
        )
    copy._mutable = False
    return copy


class NfcFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET:
            request.GET = _normalised(request.GET)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            _normalise_form_when_read(request)
        return self.get_response(request)


def _normalise_form_when_read(request: HttpRequest) -> None:
    """Wrap the request's own form parser rather than parse here: reading the form now would
    consume a multipart body, so a view reading the raw body (the sync endpoints) could not,
    and a view could no longer choose its upload handlers."""
    load = request._load_post_and_files

    def load_and_normalise() -> None:
        load()
        request._post = _normalised(request._post)

    request._load_post_and_files = load_and_normalise
