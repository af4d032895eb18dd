"""The TinyDB storage class for circle's files: TinyDB reads and writes them too.

circle writes its files itself (`circle.storage`, `circle.storage_writer`) in
TinyDB's JSON layout, so they stay ordinary TinyDB databases; this storage
class is how TinyDB opens them, with the same strict reads and atomic writes.
Kept apart so that starting a session doesn't import TinyDB (3 ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from circle.storage import atomic_write, dump_db, read_db


class AtomicJSONStorage(Storage):
    """TinyDB storage: strict reads, atomic durable writes, no caching."""

    def __init__(self, path: str | Path, **_kwargs: Any) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_db(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_raw(dump_db(data))

    def write_raw(self, payload: bytes | Sequence[bytes | bytearray]) -> None:
        """Write what the caller already rendered in the `dump_db` layout."""
        atomic_write(self.path, payload)
