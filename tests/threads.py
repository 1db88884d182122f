"""Run the same work from several threads at once, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def race(work: Callable[[], object], count: int = 2) -> list:
    """Start `count` threads together on `work`; return what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes: list = []

    def runner() -> None:
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as error:  # the outcome is what the test checks
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
