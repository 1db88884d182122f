"""What every importer is: its columns, how to clean a row, the key of a duplicate, the write.

One subclass per kind of list (workspace/imports/households.py, visits.py, volunteers.py,
groups.py); workspace/imports/registry.py names them. PackedRecords keeps the clean rows of a
preview compactly until the worker writes them.
"""

import base64
import json
import zlib
from collections.abc import Callable, Hashable, Iterator

from areas.models import Area
from core.spreadsheets.reader import Column
from volunteers.models import User

PACKED = "jsonl+zlib+base64"


class Importer:
    """Subclass per kind. `clean` returns a record (anything) or None after reporting errors."""

    kind: str = ""
    columns: list[Column] = []
    existing_message = ""

    def __init__(self, *, ward: Area, user: User | None, options: dict | None = None) -> None:
        self.ward = ward
        self.user = user
        self.options = options or {}

    def prepare(self) -> None:
        """Load lookups once (groups by name, teams, …)."""

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        raise NotImplementedError

    def key(self, record) -> Hashable:
        raise NotImplementedError

    def existing_keys(self, records: list) -> set:
        """Keys of `records` already in the database (they are skipped, never doubled).

        Called once per batch of at most BATCH records, in file order; an importer may load
        its lookup on the first call and keep it for the next batches of the same run."""
        return set()

    def batch_problems(self, records: list) -> dict[Hashable, list[tuple[str, str]]]:
        """Problems that only the database shows, found for a batch at once (key of the record
        → (column key, message) pairs): those rows are errors of the preview, like any other."""
        return {}

    def summary(self) -> dict:
        """Figures of the preview the importer adds to the job's result (after every batch)."""
        return {}

    def updates(self, record) -> int:
        """1 when `record`, whose key is already stored, will add to the stored row what it
        lacks (see `update`), else 0. Called at the preview, for the count it shows."""
        return 0

    def update(self, records: list) -> dict:
        """Add what `records` (already stored, by key) bring that the stored rows lack, never
        replacing anything; returns counts, summed over batches like `write`'s."""
        return {}

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        """Write one batch (inside the run's transaction); returns counts, summed over batches."""
        raise NotImplementedError

    def warnings(self) -> list[str]:
        """Notes about the whole file, shown above the preview."""
        return []

    # Importers whose clean rows depend only on the file (not on the database beyond what
    # existing_keys and the constraints check again) may keep them from the preview: `packs`
    # True, `dump` a record to a JSON list and `load` it back.
    packs = False

    def dump(self, record) -> list | None:
        return None

    def load(self, row: list):
        raise NotImplementedError


class PackedRecords:
    """Clean rows kept between the preview and the worker's run, compactly: JSON lines,
    compressed as they come (a 100,000-row list is a few MB instead of ~100 MB of Python
    objects), stored on the job as one string and read back lazily, row by row."""

    def __init__(self) -> None:
        self.count = 0
        self._compressor = zlib.compressobj(1)
        self._parts: list[bytes] = []

    def add(self, row: list) -> None:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._parts.append(self._compressor.compress(line.encode()))
        self.count += 1

    def stored(self) -> dict:
        data = b"".join([*self._parts, self._compressor.flush()])
        self._parts = []
        return {
            "format": PACKED,
            "count": self.count,
            "data": base64.b64encode(data).decode("ascii"),
        }

    @staticmethod
    def rows(stored: dict | list) -> Iterator[list]:
        if isinstance(stored, list):  # jobs previewed before rows were packed
            yield from stored
            return
        if stored.get("format") != PACKED:
            raise ValueError(f"unknown packed rows format {stored.get('format')!r}")
        data = base64.b64decode(stored["data"])
        decompressor = zlib.decompressobj()
        tail = b""
        step = 1 << 20
        for start in range(0, len(data), step):
            tail += decompressor.decompress(data[start : start + step])
            *lines, tail = tail.split(b"\n")
            for line in lines:
                yield json.loads(line)
        tail += decompressor.flush()
        for line in tail.split(b"\n"):
            if line:
                yield json.loads(line)
