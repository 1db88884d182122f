"""The progress bar every long job shows (imports, exports, reports)."""


class HasProgress:
    """For a model with `processed` and `total` counters."""

    processed: int
    total: int

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else 0
