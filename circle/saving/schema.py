"""What stored records must look like: a file that parses but doesn't fit is bad data.

Bad data is refused with a StorageError naming the file, and nothing is
rewritten. The checks run on every load, so the usual case (every event fine)
goes through whole-list checks; only a failure walks the events one by one to
say which one is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter, lt
from pathlib import Path
from typing import Any

from circle.domain.errors import StorageError
from circle.domain.events import KNOWN_KINDS

Doc = dict[str, Any]
NUMBER = {int, float}  # bool is an int subclass, but not one of these types
_ENVELOPE = ("seq", "kind", "at", "wall", "source", "data")


class BadData(StorageError):
    """A stored file that parses but doesn't fit the schema."""

    def __init__(self, path: Path, why: str) -> None:
        self.path, self.why = path, why
        super().__init__(f"Bad data in {path}: {why}; it was left untouched")


def bad_data(path: Path, why: str) -> BadData:
    return BadData(path, why)


def check_events(events: Sequence[Doc], path: Path, after: int, head: bool) -> None:
    """One file's events, in order: envelope, known kinds, seqs rising past `after`.

    The head file's first event is `created`, and `created` comes nowhere else.
    """
    try:
        # Column by column, each one pass in C: 50,000 events check in milliseconds.
        seqs, kinds, ats, walls, sources, datas = (
            list(map(itemgetter(field), events)) for field in _ENVELOPE
        )
        fits = (
            set(map(type, seqs)) <= {int}
            and all(map(lt, (after, *seqs), seqs))
            and set(kinds) <= KNOWN_KINDS
            and set(map(type, datas)) <= {dict}
            and set(map(type, ats)) | set(map(type, walls)) <= NUMBER
            and set(map(type, sources)) <= {str}
            and kinds.count("created") == head
            and (not head or kinds[0] == "created")
        )
    except (KeyError, TypeError):  # a missing field, an unhashable kind
        fits = False
    if not fits:
        _raise_first_problem(events, path, after, head)
    if head:
        check_created(events[0]["data"], path)


def _raise_first_problem(events: Sequence[Doc], path: Path, after: int, head: bool) -> None:
    if head and (not events or events[0].get("kind") != "created"):
        raise bad_data(path, "the event log doesn't start with its 'created' event")
    last = after
    for number, event in enumerate(events):
        seq = event.get("seq")
        where = f"event {seq}" if type(seq) is int else f"event #{number + 1} of the file"
        problem = event_problem(event, last, first=head and number == 0)
        if problem:
            raise bad_data(path, f"{where} {problem}")
        last = seq
    raise bad_data(path, "an event doesn't fit")  # pragma: no cover - a check above failed


def event_problem(event: Doc, last: int, first: bool) -> str | None:
    seq, kind = event.get("seq"), event.get("kind")
    if type(seq) is not int:
        return "has no whole-number seq"
    if seq <= last:
        return f"comes after event {last}: seqs must rise"
    if type(kind) is not str or kind not in KNOWN_KINDS:
        return f"has an unknown kind {kind!r}"
    if (kind == "created") != first:
        return "is a second 'created' event" if kind == "created" else "should be 'created'"
    if type(event.get("data")) is not dict:
        return f"has data that is not an object ({_json_type(event.get('data'))})"
    for field in ("at", "wall"):
        if type(event.get(field)) not in NUMBER:
            return f"has a '{field}' that is not a number"
    if type(event.get("source")) is not str:
        return "has a 'source' that is not text"
    return None


# The created event: what a session is rebuilt from.
_CREATED: dict[str, set[type]] = {
    "title": {str},
    "series": {str},
    "join_code": {str},
    "started_wall": NUMBER,
    "mentors": {list},
    "mentees": {list},
    "agenda": {dict},
}
_ITEM: dict[str, set[type]] = {"title": {str}, "planned_s": NUMBER, "kind": {str}, "notes": {str}}


def check_created(data: Doc, path: Path) -> None:
    problem = _fields_problem(data, _CREATED)
    if problem is None:
        for role in ("mentors", "mentees"):
            if not all(type(name) is str for name in data[role]):
                problem = f"'{role}' holds something that is not a name"
    if problem is None:
        agenda = data["agenda"]
        if type(agenda.get("title")) is not str or type(agenda.get("items")) is not list:
            problem = "the agenda has no title or no list of items"
        else:
            for number, item in enumerate(agenda["items"], 1):
                problem = _fields_problem(item, _ITEM) if type(item) is dict else "is not an object"
                if problem:
                    problem = f"agenda item {number} {problem}"
                    break
    if problem:
        raise bad_data(path, f"the 'created' event {problem}")


def _fields_problem(doc: Mapping[str, Any], fields: Mapping[str, set[type]]) -> str | None:
    for name, types in fields.items():
        if name not in doc:
            return f"has no '{name}'"
        if type(doc[name]) not in types:
            return f"has a '{name}' that is {_json_type(doc[name])}"
    return None


def _json_type(value: Any) -> str:
    names = {
        type(None): "null",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }
    return names.get(type(value), type(value).__name__)


def check_clock(doc: Doc, path: Path, needs_seq: bool) -> Doc:
    """A clock checkpoint: session seconds, wall time, and the seq it matches."""
    fields: dict[str, set[type]] = {"session_s": NUMBER, "wall": NUMBER}
    if needs_seq:
        fields["seq"] = {int}
    problem = _fields_problem(doc, fields)
    if problem is None and doc["session_s"] < 0:
        problem = "has a negative 'session_s'"
    if problem:
        raise bad_data(path, f"the clock checkpoint {problem}")
    return doc


_SUMMARY: dict[str, set[type]] = {
    "title": {str},
    "series": {str},
    "status": {str},
    "mentors": {list},
    "mentees": {list},
    "created_wall": NUMBER | {type(None)},
    "ended_wall": NUMBER | {type(None)},
    "duration_s": NUMBER | {type(None)},
}


def check_summary(doc: Doc, path: Path) -> None:
    """An index entry: an id, and each known field of its type when present."""
    if type(doc.get("id")) is not str:
        raise bad_data(path, "a session summary has no id")
    present = {name: types for name, types in _SUMMARY.items() if name in doc}
    problem = _fields_problem(doc, present)
    if problem is None:
        people = [*doc.get("mentors", ()), *doc.get("mentees", ())]
        if not all(type(name) is str for name in people):
            problem = "has a roster that holds something other than names"
    if problem:
        raise bad_data(path, f"the summary of session {doc['id']!r} {problem}")
