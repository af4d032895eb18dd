"""The parsed-agenda cache: used only for the same text and parser, never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import circle.agendafiles.cache
import circle.agendafiles.parser
from circle.agendafiles.cache import AgendaCache
from circle.agendafiles.parser import AgendaError, load_agenda_file, parse_agenda, resolve_agenda

TEXT = "# Circle\n\nHello.\n\n## Check-in (5 min)\nOne win.\n\n## Round (20 min) [round]\n"


@pytest.fixture
def cache(tmp_path: Path) -> AgendaCache:
    return AgendaCache(tmp_path / "cache")


@pytest.fixture
def agenda_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.md"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = circle.agendafiles.parser.parse_agenda

    def counting(text: str, source: str = "<agenda>"):
        calls.append(source)
        return real(text, source)

    monkeypatch.setattr(circle.agendafiles.parser, "parse_agenda", counting)
    return calls


def test_second_load_comes_from_the_cache(agenda_file, cache, monkeypatch) -> None:
    parses = _count_parses(monkeypatch)
    first = load_agenda_file(agenda_file, cache)
    second = load_agenda_file(agenda_file, cache)
    assert parses == [str(agenda_file)]
    assert second == first == parse_agenda(TEXT, str(agenda_file))
    assert second.source == str(agenda_file)
    assert len(list(cache.folder.glob("*.json"))) == 1


def test_the_source_is_the_callers_own(tmp_path, agenda_file, cache) -> None:
    other = tmp_path / "copy.md"
    other.write_text(TEXT, encoding="utf-8")
    load_agenda_file(agenda_file, cache)
    assert load_agenda_file(other, cache).source == str(other)


def test_an_edited_agenda_is_parsed_again(agenda_file, cache, monkeypatch) -> None:
    parses = _count_parses(monkeypatch)
    load_agenda_file(agenda_file, cache)
    agenda_file.write_text(TEXT.replace("20 min", "25 min"), encoding="utf-8")
    assert load_agenda_file(agenda_file, cache).items[1].planned_s == 25 * 60
    assert len(parses) == 2


def test_an_entry_for_other_text_under_the_same_name_is_not_used(agenda_file, cache) -> None:
    load_agenda_file(agenda_file, cache)
    (entry,) = cache.folder.glob("*.json")
    record = json.loads(entry.read_text(encoding="utf-8"))
    record["text"] = "# Other\n\n## Else (1 min)\n"
    record["title"] = "Other"
    entry.write_text(json.dumps(record), encoding="utf-8")
    assert load_agenda_file(agenda_file, cache).title == "Circle"


def test_a_changed_parser_parses_again(agenda_file, tmp_path, monkeypatch) -> None:
    parses = _count_parses(monkeypatch)
    load_agenda_file(agenda_file, AgendaCache(tmp_path / "cache"))
    monkeypatch.setattr(circle.agendafiles.cache, "_parser_fingerprint", lambda: "a newer parser")
    load_agenda_file(agenda_file, AgendaCache(tmp_path / "cache"))
    assert len(parses) == 2


@pytest.mark.parametrize("garbage", ["", "{not json", "[1, 2]", '{"text": 3}'])
def test_a_broken_entry_is_parsed_again_and_replaced(agenda_file, cache, garbage) -> None:
    load_agenda_file(agenda_file, cache)
    (entry,) = cache.folder.glob("*.json")
    entry.write_text(garbage, encoding="utf-8")
    assert load_agenda_file(agenda_file, cache) == parse_agenda(TEXT, str(agenda_file))
    assert json.loads(entry.read_text(encoding="utf-8"))["text"] == TEXT


def test_errors_are_never_cached(tmp_path, cache) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("# Title\n\n## No duration\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(AgendaError, match="bad.md:3: item 'No duration' has no duration"):
            load_agenda_file(bad, cache)
    assert not cache.folder.exists() or not list(cache.folder.iterdir())


def test_a_cache_that_cannot_be_written_is_not_used(tmp_path, agenda_file) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cache = AgendaCache(blocked / "agendas")
    assert load_agenda_file(agenda_file, cache).title == "Circle"
    assert load_agenda_file(agenda_file, cache).title == "Circle"
    assert blocked.read_text() == "not a folder"


def test_bundled_templates_resolve_through_the_cache(cache) -> None:
    assert resolve_agenda("group-circle", cache) == resolve_agenda("group-circle")
    assert resolve_agenda("group-circle", cache) == resolve_agenda("group-circle")


def test_a_cached_agenda_needs_no_markdown_it(tmp_path, agenda_file) -> None:
    """What the cache is for: launching on a known agenda skips markdown-it's import."""
    script = (
        "import sys\n"
        "from circle.agendafiles.parser import resolve_agenda\n"
        "from circle.agendafiles.cache import AgendaCache\n"
        f"resolve_agenda({str(agenda_file)!r}, AgendaCache(__import__('pathlib').Path("
        f"{str(tmp_path / 'c')!r})))\n"
        "print('markdown_it' in sys.modules)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]
