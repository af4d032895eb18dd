"""The command line: exit codes, one-line errors, --data-dir anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from circle.cli import main
from circle.storage import Store


def run_cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "circle", *args]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def test_version_and_help() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("circle ")
    assert run_cli("--help").returncode == 0


def test_sessions_when_empty(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "no sessions yet"


def test_data_dir_before_or_after_and_env(tmp_path: Path, monkeypatch, capsys) -> None:
    assert main(["--data-dir", str(tmp_path / "a"), "sessions"]) == 0
    assert (tmp_path / "a").is_dir() or capsys.readouterr().out.strip() == "no sessions yet"
    monkeypatch.setenv("CIRCLE_DATA_DIR", str(tmp_path / "env"))
    assert main(["sessions"]) == 0
    assert "no sessions yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mentee", "A", "--mentee", "B"], "3 to 5 mentees, not 2"),
        (
            [
                "--mentee",
                *[
                    "A",
                    "--mentee",
                    "B",
                    "--mentee",
                    "C",
                    "--mentee",
                    "D",
                    "--mentee",
                    "E",
                    "--mentee",
                    "F",
                ],
            ],
            "3 to 5 mentees, not 6",
        ),
        (["--mentee", "A", "--mentee", "b", "--mentee", "B"], "given twice"),
    ],
)
def test_new_rejects_bad_rosters(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli(
        "new",
        "--agenda",
        "group-circle",
        "--title",
        "T",
        "--mentor",
        "Ada",
        *args,
        data_dir=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr
    assert Store(tmp_path).list_sessions() == []


def test_new_rejects_unknown_agenda(tmp_path: Path) -> None:
    result = run_cli(
        "new",
        "--agenda",
        "no-such-agenda",
        "--title",
        "T",
        "--mentor",
        "Ada",
        "--mentee",
        "A",
        "--mentee",
        "B",
        "--mentee",
        "C",
        data_dir=tmp_path,
    )
    assert result.returncode == 2
    assert "unknown agenda 'no-such-agenda'" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    result = run_cli("new", "--title", "T", data_dir=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "usage:" not in result.stderr
    assert run_cli("frobnicate").returncode == 2


def test_resume_with_nothing_to_resume(tmp_path: Path) -> None:
    result = run_cli("resume", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "circle resume: nothing to resume (no unfinished session)"
    result = run_cli("resume", "nope", data_dir=tmp_path)
    assert result.returncode == 2 and "unknown session" in result.stderr


def test_corrupt_index_is_refused_and_untouched(tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    index.write_bytes(b'{"sessions": {"1": {"id": ')
    result = run_cli("sessions", data_dir=tmp_path)
    assert result.returncode == 2
    assert str(index) in result.stderr
    assert index.read_bytes() == b'{"sessions": {"1": {"id": '


def test_agenda_commands(tmp_path: Path) -> None:
    result = run_cli("agenda", "list")
    assert result.returncode == 0 and "group-circle" in result.stdout
    bad = tmp_path / "bad.md"
    bad.write_text("# T\n\n## No duration\n", encoding="utf-8")
    result = run_cli("agenda", "check", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3:" in result.stderr


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http", "80.5"])
@pytest.mark.parametrize("command", ["new", "resume", "demo"])
def test_a_bad_port_is_refused_before_anything_is_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture, command: str, port: str
) -> None:
    args = {
        "new": ["--agenda", "group-circle", "--title", "T", "--mentor", "Ada"]
        + ["--mentee", "A", "--mentee", "B", "--mentee", "C"],
        "resume": [],
        "demo": [],
    }[command]
    data = tmp_path / "data"
    assert main([command, *args, "--port", port, "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"circle {command}: argument --port: must be a port number from 1 to 65535, not {port!r}"
    )
    assert not data.exists()  # nothing opened, nothing saved


def test_ports_at_the_edges_are_accepted() -> None:
    from circle.cli import build_parser

    parser = build_parser()
    for port in (1, 8765, 65535):
        assert parser.parse_args(["resume", "--port", str(port)]).port == port


def test_bad_session_data_exits_2_in_one_line(tmp_path: Path) -> None:
    from circle.domain.clock import FakeClock
    from circle.runtime import LiveRun
    from tests.conftest import small_agenda

    store = Store(tmp_path)
    run = LiveRun.start_new(
        store,
        FakeClock(),
        title="T",
        agenda=small_agenda(),
        mentors=["Ada"],
        mentees=["Mira", "Jon", "Priya"],
    )
    assert run.close()
    path = store.session_path(run.session_id)
    path.write_text(path.read_text().replace('"kind": "created"', '"kind": "begun"'))
    before = path.read_bytes(), store.index_path.read_bytes()
    for command in ("resume", "export"):
        result = run_cli(command, run.session_id, data_dir=tmp_path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and str(path) in result.stderr
        assert "Traceback" not in result.stderr
    assert (path.read_bytes(), store.index_path.read_bytes()) == before
