"""Parsed agendas, kept by content: what `__pycache__` is to Python files.

Importing markdown-it-py costs about 30 ms, a tenth of the time from launch to
the first drawn live screen, and a facilitator starts most sessions from an
agenda they have used before. So `circle new` and `circle demo` read back an
agenda parsed earlier from a small JSON file in the user cache directory.

An entry is used only for exactly the same text and the same parser: it
keeps the text it was parsed from, and the size, time and checksum of the
parser's own source and of markdown-it's, so editing the agenda, upgrading
circle or markdown-it parses afresh. (The file name is only a checksum, to
find the entry; the stored text decides.) Only agendas without errors are
kept, since errors are always found by a real parse, and the cache is only a
cache: an entry that is missing, unreadable or stale is parsed again and
rewritten; a cache directory that can't be written is simply not used.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import tempfile
import zlib
from pathlib import Path

from circle.agendafiles.records import agenda_from_record, agenda_record
from circle.domain.agenda import Agenda

FORMAT = 2  # bump when the record's shape changes (2: a round's "everyone")


def default_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("circle", appauthor=False)) / "agendas"


def _parser_fingerprint() -> str:
    """The code whose output is kept: our parser and markdown-it."""
    package = Path(__file__).resolve().parent.parent
    files = [
        package / "agendafiles" / "parser.py",
        package / "domain" / "agenda.py",
        package / "domain" / "durations.py",
    ]
    spec = importlib.util.find_spec("markdown_it")  # found without importing it
    if spec is not None and spec.origin:
        files.append(Path(spec.origin))  # its __init__.py holds __version__
    parts = [f"format {FORMAT}"]
    for path in files:
        data = path.read_bytes()
        stat = path.stat()
        parts.append(f"{path.name} {stat.st_size} {stat.st_mtime_ns} {zlib.crc32(data):08x}")
    return "; ".join(parts)


def _to_record(text: str, parser: str, agenda: Agenda) -> dict:
    return {"parser": parser, "text": text, **agenda_record(agenda)}


class AgendaCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_dir()
        self._parser: str | None = None

    @property
    def parser(self) -> str:
        if self._parser is None:
            self._parser = _parser_fingerprint()
        return self._parser

    def _path(self, text: str) -> Path:
        key = zlib.crc32(text.encode("utf-8", "surrogatepass"), zlib.crc32(self.parser.encode()))
        return self.folder / f"{key:08x}-{len(text)}.json"

    def get(self, text: str, source: str) -> Agenda | None:
        """The agenda parsed earlier from exactly this text by this parser, or None."""
        try:
            record = json.loads(self._path(text).read_text(encoding="utf-8"))
            if record["text"] != text or record["parser"] != self.parser:
                return None
            return agenda_from_record(record, source)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, text: str, agenda: Agenda) -> None:
        """Keep a parse for next time; never fails (it is only a cache)."""
        try:
            path = self._path(text)
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: a reader never sees half an entry.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(_to_record(text, self.parser, agenda), out, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
