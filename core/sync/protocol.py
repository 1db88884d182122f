"""Applying a batch: each item alone, in its own savepoint, answered whatever it holds.

An app describes its items with `ItemType`s on a `SyncDoor`; the door reads, orders, cuts and
applies them and answers one result per item. No item can fail the batch: a bad one is answered
`invalid` and writes nothing, and the others still land. A 500 would make the phone resend the
same batch forever, so not even an unexpected error is allowed to escape (it is logged).

A batch costs little more than its items' own writes: it runs in one transaction (one commit,
each item in a savepoint inside it), an item type may `prepare` what its items share in one
read before any is applied (a phone back online sends 50 visits of one volunteer: their
households and resends are read in one query, not 50), and the activity the items record goes
to the tallies journal in one INSERT when the batch ends (core.activity.activity_batch) — an
item whose savepoint is rolled back takes its deltas with it.

An item type may also apply a run of its items together (`handle_many`): each checked on its
own, then written in a few statements instead of a savepoint and a few statements each. Its
answers are the items' own; an item it leaves unanswered, or every item of the run when the
run fails (a twin that landed meanwhile meets a unique constraint), is applied alone as above,
so the shortcut never changes what an item is answered."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from core.activity import ActivityBatch, activity_batch

from .items import Item, Refused, item_read, raw_id_of, raw_type_of
from .ordering import BATCH_LIMIT, cut, in_order

logger = logging.getLogger(__name__)

CREATED, DUPLICATE, CONFLICT, INVALID = "created", "duplicate", "conflict", "invalid"
# Not applied in this batch (past the limit): the phone keeps it waiting and sends it again.
DEFERRED = "deferred"
CODES = {CREATED: 201, DUPLICATE: 200, CONFLICT: 409, INVALID: 400, DEFERRED: 429}

# (status, extra fields of the answer: server_id, url, errors...)
Outcome = tuple[str, dict[str, Any]]
Handler = Callable[..., Outcome]
# (user, the items of one type about to be applied, in order) -> what their handler shares
Prepare = Callable[[Any, list[Item]], Any]
# (user, a run of items of one type, in order, prepared=) -> {position: Outcome} of those decided
HandleMany = Callable[..., dict[int, Outcome]]


@dataclass(frozen=True)
class Dependency:
    """The item names a creation of type `type` by its client id in `data[key]`."""

    type: str
    key: str


@dataclass(frozen=True)
class ItemType:
    """One kind of item: `handle(user, item_id, data)` applies it and returns its Outcome,
    or raises ValidationError (answered `invalid` with its messages).

    `prepare(user, items)`, when given, runs once per batch before any of its items is applied,
    and `handle` is then called with `prepared=` its result: what the batch's items share, read
    in one go. The handler must treat it as a hint (an item it does not cover, or None when the
    item is run again after a constraint, is looked up on its own): the rules stay the
    handler's.

    `handle_many(user, items, prepared=)`, when given, applies consecutive items of the type
    in one go and returns the outcomes of those it decided, by position: those it answers
    invalid wrote nothing, the others wrote all they had to. It runs in one savepoint; when it
    raises, nothing of it stays and each item is applied alone through `handle`."""

    name: str
    handle: Handler
    depends_on: Dependency | None = None
    prepare: Prepare | None = None
    handle_many: HandleMany | None = None


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
        if len(now) == 1:
            # One item is its own transaction (no batch around it: two statements fewer).
            item = now[0]
            status, extra = self._run(user, item, None, ActivityBatch())
            answers[item.position] = answer(item.raw_id, item.type, status, **extra)
        elif now:
            # One transaction for the batch: each item's savepoint inside it, one commit.
            with transaction.atomic(), activity_batch() as recorded:
                prepared = self._prepare(user, now)
                for run in self._runs(now):
                    shared = prepared.get(run[0].type)
                    decided = self._run_many(user, run, shared, recorded)
                    for item in run:
                        outcome = decided.get(item.position)
                        if outcome is None:
                            outcome = self._run(user, item, shared, recorded)
                        status, extra = outcome
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

    def _runs(self, items: list[Item]) -> list[list[Item]]:
        """`items` cut, in order, into runs: consecutive items of a type that applies many at
        once, and every other item alone."""
        runs: list[list[Item]] = []
        for item in items:
            many = self.types[item.type].handle_many is not None
            if many and runs and runs[-1][0].type == item.type:
                runs[-1].append(item)
            else:
                runs.append([item])
        return runs

    def _run_many(
        self, user: Any, run: list[Item], prepared: Any, recorded: ActivityBatch
    ) -> dict[int, Outcome]:
        """The outcomes `handle_many` decided for the run, in one savepoint; none when the
        type has no `handle_many`, the run is one item, or the run failed (each item is then
        applied alone, and whatever the run recorded is dropped with its savepoint)."""
        handle_many = self.types[run[0].type].handle_many
        if handle_many is None or len(run) < 2:
            return {}
        mark = recorded.mark()
        try:
            with transaction.atomic():
                return handle_many(user, run, prepared=prepared)
        except IntegrityError:
            logger.info("sync run of %s %s items met a unique constraint", len(run), run[0].type)
        except Exception:
            logger.exception("sync run of %s %s items failed", len(run), run[0].type)
        recorded.drop_since(mark)
        return {}

    def _prepare(self, user: Any, items: list[Item]) -> dict[str, Any]:
        """Each preparing type's shared reads for the batch, by type name. A failure here
        costs only the shortcut: its items are then looked up one by one."""
        prepared: dict[str, Any] = {}
        for name, item_type in self.types.items():
            own = [item for item in items if item.type == name]
            if item_type.prepare is None or not own:
                continue
            try:
                with transaction.atomic():
                    prepared[name] = item_type.prepare(user, own)
            except Exception:
                logger.exception("sync batch: preparing %s items failed", name)
        return prepared

    def _run(self, user: Any, item: Item, prepared: Any, recorded: ActivityBatch) -> Outcome:
        # An IntegrityError is a twin of this item (another tab, the service worker, the same
        # id twice in one batch) that landed first: run it once more, without the batch's
        # prepared reads (they predate the twin), and the handler finds the twin and answers a
        # resend.
        return (
            self._attempt(user, item, prepared, recorded)
            or self._attempt(user, item, None, recorded)
            or (INVALID, {"errors": {"__all__": [_generic()]}})
        )

    def _attempt(
        self, user: Any, item: Item, prepared: Any, recorded: ActivityBatch
    ) -> Outcome | None:
        """The item's outcome, applied in its own savepoint; None when it met a constraint.
        Whatever activity the item recorded goes with its savepoint when that is rolled back."""
        mark = recorded.mark()
        try:
            # A lone item's own batch (inside its transaction): what its guards read is kept
            # for it, as a batch's is; within a batch this joins the batch.
            with transaction.atomic(), activity_batch():
                return self._handle(user, item, prepared)
        except ValidationError as error:
            recorded.drop_since(mark)
            return INVALID, {"errors": errors_of(error)}
        except IntegrityError:
            recorded.drop_since(mark)
            logger.info("sync item %s (%s) met a unique constraint", item.uuid, item.type)
            return None
        except (ValueError, TypeError, OverflowError, DataError, RecursionError) as error:
            # A value no guard caught (a date out of range, a number a column cannot hold):
            # the item's problem, not the server's. The data is not logged: it is people's.
            recorded.drop_since(mark)
            logger.info("sync item %s (%s) refused: %r", item.uuid, item.type, error)
            return INVALID, {"errors": {"__all__": [_generic()]}}
        except Exception:
            recorded.drop_since(mark)
            logger.exception("sync item %s (%s) failed", item.uuid, item.type)
            return INVALID, {"errors": {"__all__": [_generic()]}}

    def _handle(self, user: Any, item: Item, prepared: Any) -> Outcome:
        item_type = self.types[item.type]
        if item_type.prepare is None:
            return item_type.handle(user, item.uuid, item.data)
        return item_type.handle(user, item.uuid, item.data, prepared=prepared)


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
