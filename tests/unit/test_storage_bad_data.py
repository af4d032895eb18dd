"""Files that parse but don't fit the schema: refused in one line naming the file.

Whatever opens such a session (load, resume, export, carry-over) says so, the
command line exits 2, and nothing at all is rewritten, the index included.
Listing reads the index alone and never fails because of one bad session.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from circle import storage_writer
from circle.agendafiles.parser import resolve_agenda
from circle.cli import main
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.saving import layout
from circle.storage import StorageError, Store
from tests.unit.storage_helpers import snapshot_dir

Doc = dict


def start(store: Store, title: str = "Tuesday circle", series: str | None = None) -> LiveRun:
    run = LiveRun.start_new(
        store,
        FakeClock(),
        title=title,
        series=series,
        agenda=resolve_agenda("group-circle"),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    run.session.toggle_hand("Mira")
    run.session.add_question("What next?")
    run.session.toggle_hand("Jon")
    return run


def edit_events(path: Path, change: Callable[[list[Doc]], None]) -> None:
    """Change a segment's events as a hand editor or a buggy tool would."""
    data = json.loads(path.read_text(encoding="utf-8"))
    events = list(data["events"].values())
    change(events)
    data["events"] = {str(n): e for n, e in enumerate(events, 1)}
    path.write_text(json.dumps(data), encoding="utf-8")


def created_data(events: list[Doc]) -> Doc:
    return events[0]["data"]


DAMAGES: dict[str, tuple[Callable[[list[Doc]], None], str]] = {
    "no created event": (lambda ev: ev.pop(0), "doesn't start with its 'created' event"),
    "data null": (lambda ev: ev[2].update(data=None), "data that is not an object (null)"),
    "agenda a number": (
        lambda ev: created_data(ev).update(agenda=5),
        "'created' event has a 'agenda' that is a number",
    ),
    "mentors not names": (
        lambda ev: created_data(ev).update(mentors=[1]),
        "'mentors' holds something that is not a name",
    ),
    "agenda item without time": (
        lambda ev: created_data(ev)["agenda"]["items"][1].update(planned_s="long"),
        "agenda item 2 has a 'planned_s' that is text",
    ),
    "time as text": (lambda ev: ev[2].update(at="soon"), "has a 'at' that is not a number"),
    "unknown kind": (lambda ev: ev[2].update(kind="teleported"), "unknown kind 'teleported'"),
    "second created": (lambda ev: ev[2].update(kind="created"), "a second 'created' event"),
    "seq going back": (lambda ev: ev[3].update(seq=2), "comes after event 3: seqs must rise"),
    "seq as text": (lambda ev: ev[2].update(seq="3"), "has no whole-number seq"),
    "data not fitting its kind": (
        lambda ev: ev[2].update(data={"who": "Mira"}),
        "event 3 doesn't fit its kind (KeyError: 'text')",
    ),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_bad_data_is_refused_everywhere_and_nothing_is_rewritten(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture
) -> None:
    store = Store(tmp_path)
    run = start(store)
    assert run.close()
    sid, path = run.session_id, store.session_path(run.session_id)
    change, message = DAMAGES[damage]
    edit_events(path, change)
    before = snapshot_dir(tmp_path)
    opening: list[Callable[[], object]] = [
        lambda: store.load_session(sid),
        lambda: LiveRun.resume(store, sid, FakeClock()),
        lambda: start(store),  # a new session of the same series carries over from it
    ]
    for attempt in opening:
        with pytest.raises(StorageError) as caught:
            attempt()
        text = str(caught.value)
        assert text.startswith(f"Bad data in {path}: ") and message in text, text
        assert "\n" not in text
    capsys.readouterr()
    for command in (["resume", sid], ["export", sid], ["export", "last", "--html"]):
        assert main([*command, "--data-dir", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err and message in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0  # the index alone
    assert sid in capsys.readouterr().out
    assert snapshot_dir(tmp_path) == before  # every file byte-identical, none added


def test_a_bad_clock_checkpoint_names_the_clock_file(tmp_path: Path, capsys) -> None:
    store = Store(tmp_path)
    run = start(store)
    run.heartbeat()
    assert run.close()
    clock = store.files(run.session_id).clock
    clock.write_text('{"clock": {"1": {"session_s": "ten", "wall": 5.0, "seq": 3}}}')
    before = snapshot_dir(tmp_path)
    with pytest.raises(StorageError, match=f"Bad data in {re.escape(str(clock))}: .*session_s"):
        LiveRun.resume(store, run.session_id, FakeClock())
    assert main(["export", run.session_id, "--data-dir", str(tmp_path)]) == 2
    assert str(clock) in capsys.readouterr().err
    assert snapshot_dir(tmp_path) == before


def test_bad_data_in_a_later_segment_names_that_segment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage_writer, "SEGMENT_EVENTS", 4)
    store = Store(tmp_path)
    run = start(store)
    for person in ("Priya", "Mira", "Jon", "Priya", "Mira", "Jon"):
        run.session.toggle_hand(person)
    assert run.close()
    files = store.files(run.session_id)
    assert files.last_segment() >= 3
    second = files.segment(2)
    seq = json.loads(second.read_text())["events"].popitem()[1]["seq"]  # its last event
    edit_events(second, lambda ev: ev[-1].update(data={}))
    before = snapshot_dir(tmp_path)
    with pytest.raises(StorageError, match=f"Bad data in {re.escape(str(second))}: event {seq} "):
        store.load_session(run.session_id)
    edit_events(second, lambda ev: ev.clear())
    with pytest.raises(StorageError, match=f"{re.escape(str(second))}: the segment holds no"):
        store.load_session(run.session_id)
    assert snapshot_dir(tmp_path).keys() == before.keys()


def test_a_checkpoint_ahead_of_the_log_is_ignored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    run = start(store)
    run.heartbeat()
    assert run.close()
    loaded = store.load_session(run.session_id)
    assert loaded.clock is not None and loaded.clock["seq"] == loaded.events[-1]["seq"]
    clock = store.files(run.session_id).clock
    data = json.loads(clock.read_text())
    data["clock"]["1"].update(seq=loaded.events[-1]["seq"] + 1, session_s=9999.0)
    clock.write_text(json.dumps(data))
    assert store.load_session(run.session_id).clock is None  # the events' own times
    resumed = LiveRun.resume(store, run.session_id, FakeClock())
    assert resumed.session.now() < 9999
    resumed.close()


def test_one_bad_session_does_not_stop_listing_or_others(tmp_path: Path, capsys) -> None:
    store = Store(tmp_path)
    bad, good = start(store, "First"), start(store, "Second")
    assert bad.close() and good.close()
    edit_events(store.session_path(bad.session_id), lambda ev: ev[1].update(kind="??"))
    assert {s["id"] for s in store.list_sessions()} == {bad.session_id, good.session_id}
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0
    assert bad.session_id in capsys.readouterr().out
    assert main(["export", good.session_id, "--data-dir", str(tmp_path)]) == 0
    assert "# Second" in capsys.readouterr().out


def test_the_segment_size_is_bounded() -> None:
    assert 100 <= layout.SEGMENT_EVENTS <= 2000
    assert storage_writer.SEGMENT_EVENTS == layout.SEGMENT_EVENTS
