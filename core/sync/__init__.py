"""The one offline sync protocol: every outbox item of every app goes through it.

A phone posts {"items": [{"type", "id", "data", "made_at", "seq"}]}; the server answers
{"results": [{"id", "type", "status", "code", ...}]}, one result per item, in request order.
Apps register a handler per item type (`ItemType`) on a `SyncDoor`; this package imports no app.
"""

from .items import MAX_DEPTH, Item
from .ordering import BATCH_LIMIT, in_order
from .protocol import (
    CONFLICT,
    CREATED,
    DEFERRED,
    DUPLICATE,
    INVALID,
    Dependency,
    ItemType,
    Outcome,
    SyncDoor,
    errors_of,
    form_errors,
)
from .web import MAX_BODY_BYTES, sync_response

__all__ = [
    "BATCH_LIMIT",
    "CONFLICT",
    "CREATED",
    "DEFERRED",
    "DUPLICATE",
    "INVALID",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "Dependency",
    "Item",
    "ItemType",
    "Outcome",
    "SyncDoor",
    "errors_of",
    "form_errors",
    "in_order",
    "sync_response",
]
