"""The bundled templates, parsed ahead: equal to a fresh parse, used only for the same text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from circle.agendafiles import parser
from circle.agendafiles.bundled import PARSED, parsed_template
from circle.agendafiles.parser import bundled_dir, load_agenda_file, parse_agenda

REPO = Path(__file__).resolve().parents[2]


def test_the_parsed_file_is_up_to_date_with_the_templates_and_the_parser() -> None:
    # Fails after a template or the parser changes: run tools/parse_bundled_agendas.py.
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "parse_bundled_agendas.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.md")), ids=lambda p: p.stem)
def test_each_template_reads_as_a_fresh_parse_would(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    stored = parsed_template(path, text, bundled_dir())
    assert stored is not None
    assert stored == parse_agenda(text, str(path))
    assert load_agenda_file(path) == stored


def test_starting_from_a_template_imports_no_markdown_parser() -> None:
    probe = (
        "import sys\n"
        "from circle.agendafiles.parser import resolve_agenda\n"
        "agenda = resolve_agenda('group-circle')\n"
        "print(agenda.title, 'markdown_it' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["Group", "mentoring", "circle", "False"], done.stderr


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "agendas"
    shutil.copytree(bundled_dir(), folder)
    monkeypatch.setattr(parser, "bundled_dir", lambda: folder)
    return folder


def test_an_edited_template_is_parsed_afresh(templates: Path) -> None:
    path = templates / "group-circle.md"
    text = path.read_text(encoding="utf-8").replace("# Group mentoring circle", "# Edited")
    path.write_text(text, encoding="utf-8")
    assert parsed_template(path, text, templates) is None
    agenda = load_agenda_file(path)
    assert agenda.title == "Edited" and agenda == parse_agenda(text, str(path))


@pytest.mark.parametrize("contents", ["", "not json", "[]", '{"kickoff.md": {"text": 1}}'])
def test_a_missing_or_broken_parsed_file_means_parsing(templates: Path, contents: str) -> None:
    (templates / PARSED).write_text(contents, encoding="utf-8")
    path = templates / "kickoff.md"
    text = path.read_text(encoding="utf-8")
    assert parsed_template(path, text, templates) is None
    assert load_agenda_file(path) == parse_agenda(text, str(path))


def test_a_stored_record_is_used_only_for_its_own_text(templates: Path) -> None:
    # The record names another title: it is used only while the text is the one it keeps.
    records = json.loads((templates / PARSED).read_text(encoding="utf-8"))
    records["lean-coffee.md"]["title"] = "From the record"
    (templates / PARSED).write_text(json.dumps(records), encoding="utf-8")
    path = templates / "lean-coffee.md"
    assert load_agenda_file(path).title == "From the record"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_agenda_file(path).title != "From the record"
