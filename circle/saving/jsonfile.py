"""TinyDB's JSON layout, read strictly and written one document a line.

A file is `{"<table>": {"<doc id>": {...document...}, ...}, ...}`. Reading
refuses anything else (not UTF-8, not JSON, not that shape) with a
StorageError naming the file; such a file is never overwritten. Writing puts
one document on each line, so a file is easy to read, grep and diff.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from circle.domain.errors import StorageError
from circle.saving.schema import bad_data

Tables = dict[str, dict[str, dict[str, Any]]]

# Strict on the way out: NaN is not JSON, and a lone surrogate is not UTF-8.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def corrupt(path: Path, why: str) -> StorageError:
    return StorageError(f"Corrupt data file {path}: {why}; it was left untouched")


def describe_error(exc: BaseException) -> str:
    """The short reason of a failure, such as "Read-only file system"."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str):
        return reason
    if isinstance(exc, OSError) and exc.errno:
        return exc.strerror or os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


def read_tables(path: Path) -> Tables | None:
    """The tables of a TinyDB file; None if there is no such file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"Can't read {path}: {describe_error(exc)}") from exc
    if not raw.strip():
        # circle never writes an empty file (writes are atomic): something cut it.
        raise corrupt(path, "the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise corrupt(path, f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise corrupt(path, f"not valid JSON (line {exc.lineno} column {exc.colno})") from exc
    except (ValueError, RecursionError) as exc:
        raise corrupt(path, "not valid JSON") from exc
    check_shape(data, path)
    if b"\\ud" in raw or b"\\uD" in raw:  # only an escape can hold a lone surrogate
        _check_unicode(data, path)
    return data


def _check_unicode(value: Any, path: Path) -> None:
    """Text that can't be UTF-8 (a lone surrogate, as earlier versions let
    through) would make the session unexportable: bad data, said so."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "backslashreplace").decode()[:40]
            raise bad_data(path, f"the text {shown!r} isn't valid Unicode") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_unicode(key, path)
            _check_unicode(item, path)
    elif isinstance(value, list):
        for item in value:
            _check_unicode(item, path)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_shape(data: Any, path: Path) -> None:
    """Tables of documents keyed by number, as TinyDB keeps them."""
    if type(data) is not dict:
        raise corrupt(path, "expected a JSON object of tables")
    for name, table in data.items():
        if type(table) is not dict:
            raise corrupt(path, f"table {name!r} is not an object")
        # Whole-table checks in C: a 50,000-event session loads in one pass.
        if not all(map(str.isdecimal, table)) or not set(map(type, table.values())) <= {dict}:
            bad = next(k for k, d in table.items() if not k.isdecimal() or type(d) is not dict)
            raise corrupt(path, f"table {name!r} has a bad document {bad!r}")


def render_doc(doc: Mapping[str, Any]) -> str:
    """One document as JSON; ValueError for what can't be stored as UTF-8 JSON."""
    text = _encode(doc)
    text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError here
    return text


def _text(_doc_id: Any, doc: Mapping[str, Any]) -> str:
    return _encode(doc)


class Unchanging:
    """The JSON of one table's documents, kept: for a table whose documents never
    change once written (a session's events), so that a write encodes only the
    new ones. A document that is not the very object encoded before (read back
    from the disk, say) is encoded again."""

    def __init__(self, table: str) -> None:
        self.table = table
        self._texts: dict[Any, tuple[Mapping[str, Any], str]] = {}

    def text(self, doc_id: Any, doc: Mapping[str, Any]) -> str:
        kept = self._texts.get(doc_id)
        if kept is not None and kept[0] is doc:
            return kept[1]
        text = _encode(doc)
        self._texts[doc_id] = (doc, text)
        return text


def render_tables(
    data: Mapping[str, Mapping[Any, Mapping[str, Any]]], unchanging: Unchanging | None = None
) -> bytes:
    """The whole file: one table after another, one document a line."""
    parts = []
    for name, table in data.items():
        text = unchanging.text if unchanging is not None and name == unchanging.table else _text
        docs = ",\n".join(f'"{doc_id}": {text(doc_id, doc)}' for doc_id, doc in table.items())
        parts.append(f"{_encode(name)}: {{\n{docs}\n}}" if docs else f"{_encode(name)}: {{}}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")
