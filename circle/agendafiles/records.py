"""An agenda as a JSON record, and back: what the agenda cache and the bundled
agendas' parsed file store. Plain data, so reading one back needs no parser."""

from __future__ import annotations

from circle.domain.agenda import Agenda, AgendaItem


def agenda_record(agenda: Agenda) -> dict:
    return {
        "title": agenda.title,
        "intro": agenda.intro,
        "items": [
            [i.title, i.planned_s, i.kind, i.notes, i.line, i.everyone] for i in agenda.items
        ],
    }


def agenda_from_record(record: dict, source: str) -> Agenda:
    items = tuple(
        AgendaItem(str(title), int(planned), str(kind), str(notes), int(line), bool(everyone))
        for title, planned, kind, notes, line, everyone in record["items"]
    )
    return Agenda(str(record["title"]), items, str(record["intro"]), source)
