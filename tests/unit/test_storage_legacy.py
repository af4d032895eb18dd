"""Sessions saved by earlier versions: one file, `sessions/<id>.json`, with tables
"events" and "clock". They load, resume and go on being saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from circle import storage_writer
from circle.domain.clock import FakeClock
from circle.runtime import LiveRun
from circle.storage import Store
from tests.unit.storage_helpers import SID, WALL0, created_event, question, sha, summary


def old_layout(tables: dict[str, dict[str, dict]]) -> bytes:
    """A file exactly as earlier versions wrote it: one document a line."""
    parts = []
    for name, table in tables.items():
        lines = [f'"{key}": {json.dumps(doc, ensure_ascii=False)}' for key, doc in table.items()]
        body = "\n" + ",\n".join(lines) + "\n}" if lines else "}"
        parts.append(f"{json.dumps(name)}: {{{body}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


def write_old_session(store: Store, events: int) -> list[dict]:
    stored = [created_event(), *(question(n, f"Old question {n}") for n in range(2, events + 1))]
    store.sessions_dir.mkdir(parents=True)
    head = {
        "events": {str(e["seq"]): e for e in stored},
        "clock": {"1": {"session_s": events * 0.5 + 30, "wall": WALL0 + 900}},
    }
    store.session_path(SID).write_bytes(old_layout(head))
    store.index_path.write_bytes(old_layout({"sessions": {"1": summary(SID)}}))
    return stored


def test_an_old_session_loads_with_its_clock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    stored = write_old_session(store, 20)
    loaded = store.load_session(SID)
    assert loaded.events == stored
    assert loaded.clock == {"session_s": 40.0, "wall": WALL0 + 900}
    assert [s["id"] for s in store.list_sessions()] == [SID]


def test_an_old_session_resumes_and_goes_on_in_the_new_layout(tmp_path: Path) -> None:
    store = Store(tmp_path)
    write_old_session(store, 20)
    run = LiveRun.resume(store, SID, FakeClock())
    assert run.session.now() >= 40.0  # the old clock counted
    run.session.add_question("New question")
    run.heartbeat()
    assert run.close()
    head = json.loads(store.session_path(SID).read_text())
    # Resuming paused it (one event), then the question: both in the old file.
    assert len(head["events"]) == 22 and "clock" in head  # the old clock table is kept
    loaded = store.load_session(SID)
    assert loaded.events[-2]["kind"] == "paused"
    assert loaded.events[-1]["data"]["text"] == "New question"
    assert loaded.clock is not None and loaded.clock["seq"] == 22  # the clock file now


def test_a_long_old_session_is_never_rewritten(tmp_path: Path) -> None:
    store = Store(tmp_path)
    write_old_session(store, storage_writer.SEGMENT_EVENTS + 100)
    before = sha(store.session_path(SID))
    run = LiveRun.resume(store, SID, FakeClock())
    seq = run.session.add_question("One more")["seq"]
    assert run.close()
    assert sha(store.session_path(SID)) == before  # a new segment took the events
    segment = json.loads(store.files(SID).segment(2).read_text())
    # The pause that resuming records, then the question.
    assert [e["seq"] for e in segment["events"].values()] == [seq - 1, seq]
    assert store.load_session(SID).events[-1]["seq"] == seq


def test_a_lone_surrogate_saved_by_an_old_version_is_bad_data(tmp_path: Path, capsys) -> None:
    """Earlier versions stored such text as an escape; it can never be exported,
    so it is reported (naming the file) instead of failing later."""
    from circle.cli import main
    from circle.storage import StorageError
    from tests.unit.storage_helpers import snapshot_dir

    store = Store(tmp_path)
    write_old_session(store, 5)
    path = store.session_path(SID)
    path.write_bytes(path.read_bytes().replace(b"Old question 3", b"Old \\ud800 question"))
    before = snapshot_dir(tmp_path)
    with pytest.raises(StorageError, match="isn't valid Unicode"):
        LiveRun.resume(store, SID, FakeClock())
    assert main(["export", SID, "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "isn't valid Unicode" in err
    assert snapshot_dir(tmp_path) == before
