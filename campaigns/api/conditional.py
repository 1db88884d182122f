"""Cheap polling: an ETag and Last-Modified from the totals' data version, and 304 when the
client already holds it (If-None-Match, else If-Modified-Since)."""

import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

from ..selectors.feed import FeedVersion


def _bare(tag: str) -> str:
    return tag.removeprefix("W/")  # GZipMiddleware weakens our tags: compare weakly


def not_modified(request: HttpRequest, version: FeedVersion) -> HttpResponse | None:
    """A 304 carrying the validators when the client's copy is current; else None."""
    etag = quote_etag(version.etag)
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        matched = "*" in tags or any(_bare(tag) == etag for tag in tags)
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        last = _seconds(version.last_modified)
        matched = since is not None and last is not None and last <= since
    if not matched:
        return None
    response = HttpResponseNotModified()
    set_validators(response, version)
    return response


def _seconds(moment: datetime.datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def set_validators(response: HttpResponse, version: FeedVersion) -> None:
    response["ETag"] = quote_etag(version.etag)
    if version.last_modified is not None:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    # Each client revalidates every time (a 304 costs two small queries), never a stale copy.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Accept-Language"
