"""One transaction whose reads all see the same moment of the database."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def snapshot_atomic() -> Iterator[None]:
    """`transaction.atomic()` in which every read sees one snapshot: a check that compares two
    reads (kept counts against a recount) must not see a write that commits between them. On
    PostgreSQL the outermost transaction is made REPEATABLE READ (under READ COMMITTED each
    statement sees the commits made before it); SQLite's single writer gives that already.
    Inside a caller's transaction the caller's isolation holds."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
