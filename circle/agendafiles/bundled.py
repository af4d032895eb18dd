"""The bundled agendas, parsed ahead of time: starting from one imports no parser.

Importing markdown-it-py costs 16 to 25 ms of a first start-up, and most
sessions start from a bundled template. So `agendas/parsed.json`, generated
by `python tools/parse_bundled_agendas.py` and checked by a test to equal a
fresh parse of every template, holds each template's text and its parse. A
template is read from it only while its text is exactly the text stored:
an edited template is parsed like any other agenda file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from circle.agendafiles.records import agenda_from_record, agenda_record
from circle.domain.agenda import Agenda

PARSED = "parsed.json"


@cache
def _records(folder: Path) -> dict[str, dict]:
    try:
        records = json.loads((folder / PARSED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def parsed_template(path: Path, text: str, folder: Path) -> Agenda | None:
    """The stored parse of bundled template `path`, if its text is the one parsed."""
    if path.parent != folder:
        return None
    record = _records(folder).get(path.name)
    if not isinstance(record, dict) or record.get("text") != text:
        return None
    try:
        return agenda_from_record(record, str(path))
    except (KeyError, TypeError, ValueError):
        return None


def parsed_file_text(templates: list[tuple[Path, str, Agenda]]) -> str:
    """The contents of `parsed.json` for these (path, text, parsed agenda)."""
    records = {
        path.name: {"text": text, **agenda_record(agenda)} for path, text, agenda in templates
    }
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
