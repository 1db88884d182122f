"""Writes: the only way training records, check-ins, documents and posts come into being."""

from .attendees import AttendeeInput, attendees_parse
from .checkins import checkin_open_window, checkin_record
from .imports import session_import_run, session_import_start
from .library import document_add, document_delete, post_add, post_delete, url_normalize
from .sessions import (
    session_delete,
    session_mark_held,
    session_plan,
    session_report,
    session_span,
    session_times_check,
    session_update,
)

__all__ = [
    "AttendeeInput",
    "attendees_parse",
    "checkin_open_window",
    "checkin_record",
    "document_add",
    "document_delete",
    "post_add",
    "post_delete",
    "session_delete",
    "session_import_run",
    "session_import_start",
    "session_mark_held",
    "session_plan",
    "session_report",
    "session_span",
    "session_times_check",
    "session_update",
    "url_normalize",
]
