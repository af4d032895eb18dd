"""A bug outside the app: the command prints one line, writes a report, exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from circle import cli
from circle.crash import crash_line, write_crash_report


def test_a_bug_in_a_command_is_one_line_and_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args, out):
        raise KeyError("what went wrong inside")

    monkeypatch.setattr(cli, "run", broken)
    assert cli.main(["--data-dir", str(tmp_path), "sessions"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("circle stopped because of a bug; details in ")
    [report] = (tmp_path / "logs").glob("crash-*.txt")
    assert str(report) in err
    assert "what went wrong inside" in report.read_text()
    assert "what went wrong inside" not in err


def test_a_report_that_cant_be_written_still_gives_the_line(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    report = write_crash_report(blocked, RuntimeError("x"))
    assert report is None
    assert crash_line(report) == "circle stopped because of a bug; no details could be saved"
