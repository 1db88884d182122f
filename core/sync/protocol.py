"""Applying a batch: each item alone, in its own savepoint, answered whatever it holds.

An app describes its items with `ItemType`s on a `SyncDoor`; the door reads, orders, cuts and
applies them and answers one result per item. No item can fail the batch: a bad one is answered
`invalid` and writes nothing, and the others still land. A 500 would make the phone resend the
same batch forever, so not even an unexpected error is allowed to escape (it is logged)."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from .items import Item, Refused, item_read, raw_id_of, raw_type_of
from .ordering import BATCH_LIMIT, cut, in_order

logger = logging.getLogger(__name__)

CREATED, DUPLICATE, CONFLICT, INVALID = "created", "duplicate", "conflict", "invalid"
# Not applied in this batch (past the limit): the phone keeps it waiting and sends it again.
DEFERRED = "deferred"
CODES = {CREATED: 201, DUPLICATE: 200, CONFLICT: 409, INVALID: 400, DEFERRED: 429}

# (status, extra fields of the answer: server_id, url, errors...)
Outcome = tuple[str, dict[str, Any]]
Handler = Callable[[Any, UUID, dict[str, Any]], Outcome]


@dataclass(frozen=True)
class Dependency:
    """The item names a creation of type `type` by its client id in `data[key]`."""

    type: str
    key: str


@dataclass(frozen=True)
class ItemType:
    """One kind of item: `handle(user, item_id, data)` applies it and returns its Outcome,
    or raises ValidationError (answered `invalid` with its messages)."""

    name: str
    handle: Handler
    depends_on: Dependency | None = None


class SyncDoor:
    """The item types one endpoint accepts, and the batch rule they share."""

    def __init__(self, *types: ItemType, limit: int = BATCH_LIMIT) -> None:
        self.types = {item_type.name: item_type for item_type in types}
        self.limit = limit

    def apply(self, *, user: Any, items: Iterable[object]) -> list[dict[str, Any]]:
        """One answer per item, in the order of the request."""
        answers: dict[int, dict[str, Any]] = {}
        readable: list[Item] = []
        for position, raw in enumerate(items):
            try:
                readable.append(item_read(raw, position=position, known_types=self.types))
            except Refused as refused:
                answers[position] = answer(
                    raw_id_of(raw), raw_type_of(raw), INVALID, errors=refused.errors
                )
        now, later = cut(in_order(readable, parent_of=self._parent_of), limit=self.limit)
        for item in now:
            status, extra = self._run(user, item)
            answers[item.position] = answer(item.raw_id, item.type, status, **extra)
        for item in later:
            answers[item.position] = answer(item.raw_id, item.type, DEFERRED)
        return [answers[position] for position in sorted(answers)]

    def _parent_of(self, item: Item) -> str | None:
        dependency = self.types[item.type].depends_on
        if dependency is None:
            return None
        parent = item.data.get(dependency.key)
        return parent if isinstance(parent, str) and parent else None

    def _run(self, user: Any, item: Item) -> Outcome:
        # An IntegrityError is a twin of this item (another tab, the service worker) that
        # landed first: run it once more, and the handler finds the twin and answers a resend.
        return (
            self._attempt(user, item)
            or self._attempt(user, item)
            or (INVALID, {"errors": {"__all__": [_generic()]}})
        )

    def _attempt(self, user: Any, item: Item) -> Outcome | None:
        """The item's outcome, applied in its own savepoint; None when it met a constraint."""
        try:
            with transaction.atomic():
                return self.types[item.type].handle(user, item.uuid, item.data)
        except ValidationError as error:
            return INVALID, {"errors": errors_of(error)}
        except IntegrityError:
            logger.info("sync item %s (%s) met a unique constraint", item.uuid, item.type)
            return None
        except (ValueError, TypeError, OverflowError, DataError, RecursionError) as error:
            # A value no guard caught (a date out of range, a number a column cannot hold):
            # the item's problem, not the server's. The data is not logged: it is people's.
            logger.info("sync item %s (%s) refused: %r", item.uuid, item.type, error)
            return INVALID, {"errors": {"__all__": [_generic()]}}
        except Exception:
            logger.exception("sync item %s (%s) failed", item.uuid, item.type)
            return INVALID, {"errors": {"__all__": [_generic()]}}


def answer(item_id: str, kind: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": kind, "status": status, "code": CODES[status], **extra}


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as the answer's errors dict, field by field."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def form_errors(form: Any) -> dict[str, list[str]]:
    """A bound form's errors in the same shape."""
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def _generic() -> str:
    return _("Không lưu được mục này vì dữ liệu không hợp lệ. Hãy sửa hoặc bỏ mục này.")
