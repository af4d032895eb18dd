"""The agenda parser, validator, writer and `circle agenda` commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circle.agendafiles.parser import (
    AgendaError,
    check_command,
    format_duration,
    format_total_min,
    list_command,
    load_agenda_file,
    parse_agenda,
    resolve_agenda,
    to_markdown,
)
from circle.domain.agenda import KINDS, Agenda, AgendaItem
from circle.domain.durations import parse_duration
from circle.domain.errors import BadInput


def one_item(heading: str) -> str:
    return f"# T\n\n## {heading}\n"


def errors_of(text: str, source: str = "a.md") -> list[tuple[str, int, str]]:
    with pytest.raises(AgendaError) as info:
        parse_agenda(text, source)
    return info.value.errors


# --- durations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5 min", 300),
        ("5m", 300),
        ("5 mins", 300),
        ("5 minutes", 300),
        ("2 minutes", 120),
        ("1 minute", 60),
        ("90 s", 90),
        ("90s", 90),
        ("90 sec", 90),
        ("90 secs", 90),
        ("90 seconds", 90),
        ("1 h", 3600),
        ("1h", 3600),
        ("1 hour", 3600),
        ("2 hours", 7200),
        ("1 hr", 3600),
        ("1h 30m", 5400),
        ("1 h 30 min", 5400),
        ("1h30m", 5400),
        ("1 h 2 min 5 s", 3725),
        ("1.5 h", 5400),
        ("0.5 min", 30),
        ("0.25 h", 900),
        ("2.5 s", 3),  # rounds half up to whole seconds
        ("5 MIN", 300),
        ("1H 30M", 5400),
        ("  5 min  ", 300),
    ],
)
def test_duration_forms(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    agenda = parse_agenda(one_item(f"Item ({text})"))
    assert agenda.items[0].planned_s == seconds


@pytest.mark.parametrize("text", ["5", "five min", "5 ms", "30m 1h", "5m 5m", "1h,30m", "", "-5 m"])
def test_not_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30 s"), (90, "90 s"), (300, "5 min"), (3600, "1 h"), (5400, "1 h 30 min"),
     (125, "2 min 5 s"), (3725, "1 h 2 min 5 s")],
)  # fmt: skip
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"), [(10140, "169"), (2730, "45.5"), (3600, "60"), (135, "2.25"), (0, "0")]
)
def test_format_total_min(seconds: int, text: str) -> None:
    assert format_total_min(seconds) == text


# --- structure ------------------------------------------------------------------

SPEC_EXAMPLE = """\
# Group mentoring circle

Optional intro, shown when the session is set up.

## Check-in (5 min)
Each mentee: one win and one challenge since last time.

## Hot seat round (20 min) [round]
## Flash mentoring (20 min) [flash]
## Open questions (10 min) [board]
## Break (5 min) [break]
## Wrap-up and pulse (5 min) [close]
"""


def test_spec_example() -> None:
    agenda = parse_agenda(SPEC_EXAMPLE, "spec.md")
    assert agenda.title == "Group mentoring circle"
    assert agenda.intro == "Optional intro, shown when the session is set up."
    assert agenda.source == "spec.md"
    assert [(i.title, i.planned_s, i.kind, i.line) for i in agenda.items] == [
        ("Check-in", 300, "discussion", 5),
        ("Hot seat round", 1200, "round", 8),
        ("Flash mentoring", 1200, "flash", 9),
        ("Open questions", 600, "board", 10),
        ("Break", 300, "break", 11),
        ("Wrap-up and pulse", 300, "close", 12),
    ]
    assert agenda.items[0].notes == "Each mentee: one win and one challenge since last time."
    assert agenda.items[1].notes == ""
    assert agenda.total_s == 65 * 60


def test_every_kind_tag() -> None:
    text = "# T\n" + "".join(f"## {k} (1 min) [{k}]\n" for k in KINDS)
    assert [item.kind for item in parse_agenda(text).items] == list(KINDS)
    assert parse_agenda(one_item("Q (5 min) [ROUND]")).items[0].kind == "round"


def test_hashes_in_code_blocks_quotes_and_lists_are_notes() -> None:
    text = (
        "# T\n\n## Real (5 min)\n\n```\n## Not an item (5 min)\n# Not a title\n```\n\n"
        "    ## indented code (5 min)\n\n> ## quoted (5 min)\n\n- ## listed (5 min)\n\n"
        "~~~md\n## tilde fence\n~~~\n\n## Second (10 min)\n"
    )
    agenda = parse_agenda(text)
    assert [i.title for i in agenda.items] == ["Real", "Second"]
    notes = agenda.items[0].notes
    assert notes.startswith("```\n## Not an item (5 min)\n# Not a title\n```")
    assert "    ## indented code (5 min)" in notes
    assert notes.endswith("~~~md\n## tilde fence\n~~~")
    assert agenda.items[1].line == 20


def test_unclosed_fence_swallows_the_rest() -> None:
    agenda = parse_agenda("# T\n## A (5 min)\n```\n## B (5 min)\n")
    assert [i.title for i in agenda.items] == ["A"]
    assert agenda.items[0].notes == "```\n## B (5 min)"


def test_notes_keep_markdown_source() -> None:
    text = (
        "# T\n\n## Item (5 min)\n\n\n### Prompts\n\n- *one*\n  - nested\n1. two\n\n"
        "| a | b |\n\n\n## Next (5 min)\n"
    )
    agenda = parse_agenda(text)
    assert agenda.items[0].notes == "### Prompts\n\n- *one*\n  - nested\n1. two\n\n| a | b |"


def test_intro_and_closing_hashes() -> None:
    agenda = parse_agenda("# Title #\n\nWelcome *all*.\n\nSecond para.\n\n## A (5 min) ##\n")
    assert agenda.title == "Title"
    assert agenda.intro == "Welcome *all*.\n\nSecond para."
    assert agenda.items[0].title == "A"


def test_titles_with_brackets_and_parentheses() -> None:
    agenda = parse_agenda(
        "# T\n## Q&A (part 2) (10 min)\n## Extras [optional] (5 min)\n## Hot (5 min) [round]\n"
    )
    assert [(i.title, i.kind) for i in agenda.items] == [
        ("Q&A (part 2)", "discussion"),
        ("Extras [optional]", "discussion"),
        ("Hot", "round"),
    ]


def test_bom_and_line_endings() -> None:
    lf = "# Title\n\nIntro\n\n## A (5 min)\nnote 1\nnote 2\n\n## B (1h) [close]\n"
    expected = parse_agenda(lf)
    for variant in (
        "\ufeff" + lf,
        lf.replace("\n", "\r\n"),
        "\ufeff" + lf.replace("\n", "\r\n"),
        lf.replace("\n", "\r"),
    ):
        agenda = parse_agenda(variant)
        assert agenda == expected
        assert [i.line for i in agenda.items] == [5, 9]
        assert agenda.items[0].notes == "note 1\nnote 2"


def test_bom_and_crlf_from_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf# T\xc3\xa9\r\n\r\n## Caf\xc3\xa9 (5 min)\r\n## Bad\r\n")
    with pytest.raises(AgendaError) as info:
        load_agenda_file(path)
    assert str(info.value) == f"{path}:4: item 'Bad' has no duration: end the heading " + (
        "with one, e.g. '(5 min)'"
    )
    path.write_bytes(b"\xef\xbb\xbf# T\xc3\xa9\r\n\r\n## Caf\xc3\xa9 (5 min)\r\n")
    agenda = load_agenda_file(path)
    assert (agenda.title, agenda.items[0].title, agenda.items[0].line) == ("Té", "Café", 3)


# --- errors -------------------------------------------------------------------


def test_error_is_bad_input_with_file_line_format() -> None:
    with pytest.raises(BadInput) as info:
        parse_agenda("# T\n\n## A\n", "x.md")
    assert str(info.value).startswith("x.md:3: item 'A' has no duration")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("## A (5 min)\n", 1, "no title"),
        ("Some text\n\n## A (5 min)\n", 1, "no title"),
        ("# T\n\nJust an intro.\n", 1, "no items"),
        ("\n\n# T\n\nJust an intro.\n", 3, "no items"),
        ("# T\n## A (5 min)\n# Again\n## B (5 min)\n", 3, "second title"),
        ("# T\n# Again\n## B (5 min)\n", 2, "second title"),
        ("## A (5 min)\n# Late\n", 2, "must come before the first item"),
        ("# T\n\n## A\n", 3, "no duration"),
        ("# T\n\n## A (soon)\n", 3, "not a duration"),
        ("# T\n\n## A (5)\n", 3, "no unit"),
        ("# T\n\n## A (0 min)\n", 3, "zero duration"),
        ("# T\n\n## A (0.2 s)\n", 3, "zero duration"),
        ("# T\n\n## A (4h 1m)\n", 3, "over the 4 h limit"),
        ("# T\n\n## A (5 min) [foo]\n", 3, "unknown kind tag [foo]"),
        ("# T\n\n## A [round] (5 min)\n", 3, "goes after the duration"),
        ("# T\n\n## (5 min)\n", 3, "no title"),
        ("#\n\n## A (5 min)\n", 1, "title is empty"),
        ("# T\n" + "## A (4 h)\n" * 3 + "## B (1 min)\n", 1, "over the 12 h limit"),
        ("\n# T\n" + "## A (4 h)\n" * 3 + "## B (1 min)\n", 2, "over the 12 h limit"),
    ],
)
def test_each_error_with_its_line(text: str, line: int, words: str) -> None:
    errors = errors_of(text)
    assert len(errors) == 1, errors
    source, got_line, message = errors[0]
    assert (source, got_line) == ("a.md", line)
    assert words in message


def test_limits_are_inclusive() -> None:
    agenda = parse_agenda("# T\n" + "## A (4 h)\n" * 3)
    assert agenda.total_s == 12 * 3600


def test_unknown_kind_lists_the_valid_ones() -> None:
    [(_, _, message)] = errors_of(one_item("A (5 min) [foo]"))
    for kind in ("round", "flash", "board", "break", "close"):
        assert f"[{kind}]" in message


def test_all_errors_of_a_file_together() -> None:
    text = (
        "Intro without a title\n"  # 1: no title
        "## Fine (5 min)\n"
        "## No duration\n"  # 3
        "## Zero (0 min) [round]\n"  # 4
        "## Huge (5 h)\n"  # 5
        "## Tagged (5 min) [foo]\n"  # 6
        "# Late title\n"  # 7
        "```\n## in code\n```\n"
        "## Still fine (1 min)\n"
    )
    with pytest.raises(AgendaError) as info:
        parse_agenda(text, "bad.md")
    lines = str(info.value).splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "6", "7"]
    assert all(line.startswith("bad.md:") for line in lines)
    assert "no duration" in lines[0]
    assert "zero" in lines[1]
    assert "4 h" in lines[2]
    assert "[foo]" in lines[3]
    assert "before the first item" in lines[4]


def test_no_title_and_no_items_together() -> None:
    errors = errors_of("Just text.\n")
    assert [(line, "no title" in m or "no items" in m) for _, line, m in errors] == [
        (1, True),
        (1, True),
    ]


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff", "\r\n\r\n"])
def test_empty_text(text: str) -> None:
    assert errors_of(text) == [("a.md", 0, "is empty")]


# --- files ---------------------------------------------------------------------


def test_file_level_errors(tmp_path: Path) -> None:
    def message(path: Path) -> str:
        with pytest.raises(AgendaError) as info:
            load_agenda_file(path)
        assert len(info.value.errors) == 1
        text = str(info.value)
        assert "\n" not in text
        return text

    missing = tmp_path / "missing.md"
    assert message(missing) == f"{missing}: no such file"
    assert message(tmp_path) == f"{tmp_path}: is a directory, not an agenda file"
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert message(empty) == f"{empty}: is empty"
    empty.write_bytes(b" \n\r\n\t\n")
    assert message(empty) == f"{empty}: is empty"
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Caf\u00e9\n\n## \u00c9t\u00e9 (5 min)\n".encode("latin-1"))
    assert message(latin).startswith(f"{latin}: is not UTF-8 text")
    assert "line 1" in message(latin)
    # A lone surrogate encoded as if it were a character can't be stored as
    # UTF-8 either: refused where it enters, so a session always exports.
    surrogate = tmp_path / "surrogate.md"
    surrogate.write_bytes(b"# Circle\n\n## Check-in \xed\xa0\x80 (5 min)\n")
    assert message(surrogate).startswith(f"{surrogate}: is not UTF-8 text")
    assert "line 3" in message(surrogate)


def test_load_and_source(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text(SPEC_EXAMPLE, encoding="utf-8")
    agenda = load_agenda_file(str(path))
    assert agenda.source == str(path)
    assert len(agenda.items) == 6


def test_resolve_agenda(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_agenda("group-circle").title == "Group mentoring circle"
    assert resolve_agenda("group-circle.md").title == "Group mentoring circle"
    # An existing path wins over a bundled template of the same name.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "group-circle.md").write_text("# Mine\n## A (5 min)\n", encoding="utf-8")
    assert resolve_agenda("group-circle.md").title == "Mine"
    assert resolve_agenda("group-circle").title == "Group mentoring circle"
    with pytest.raises(AgendaError) as info:
        resolve_agenda("nope")
    assert str(info.value) == (
        "unknown agenda 'nope': not a file and not a bundled template (see `circle agenda list`)"
    )
    with pytest.raises(AgendaError):
        resolve_agenda("../agendas/group-circle")


# --- round trip ----------------------------------------------------------------

_TITLE_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
)
titles = (
    st.text(_TITLE_CHARS, min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s != "" and s == s.strip())
)
words = st.text(st.sampled_from("abcdefghij XYZ,.!?é"), min_size=1, max_size=25).map(
    lambda s: s.strip() or "x"
)
blocks = st.one_of(
    words,
    words.map(lambda w: f"- {w}\n- {w} again"),
    words.map(lambda w: f"### {w}"),
    words.map(lambda w: f"```\n## not an item (5 min)\n# nor a title\n{w}\n```"),
    words.map(lambda w: f"> {w}"),
    words.map(lambda w: f"1. {w}\n   continued"),
    words.map(lambda w: f"    ## indented {w}"),
)
markdown_text = st.lists(blocks, max_size=4).map("\n\n".join)
items = st.builds(
    AgendaItem,
    title=titles.filter(lambda s: not any(s.lower().endswith(f"[{k}]") for k in KINDS)),
    planned_s=st.integers(min_value=1, max_value=4 * 3600),
    kind=st.sampled_from(KINDS),
    notes=markdown_text,
)
agendas = st.builds(
    Agenda,
    title=titles,
    items=st.lists(items, min_size=1, max_size=6).map(tuple),
    intro=markdown_text,
).filter(lambda a: a.total_s <= 12 * 3600)


def comparable(agenda: Agenda) -> tuple:
    return (
        agenda.title,
        agenda.intro,
        [(i.title, i.planned_s, i.kind, i.notes) for i in agenda.items],
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(agendas)
def test_round_trip(agenda: Agenda) -> None:
    text = to_markdown(agenda)
    parsed = parse_agenda(text)
    assert comparable(parsed) == comparable(agenda)
    assert to_markdown(parsed) == text


# --- commands ------------------------------------------------------------------


def run_check(paths: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = check_command(paths, out, err)
    return code, out.getvalue(), err.getvalue()


def test_check_command_valid(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "# T\n## Check-in (5 min)\n## Hot seat round (20 min) [round]\n## Tail (30 s) [close]\n",
        encoding="utf-8",
    )
    code, out, err = run_check([str(path)])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Check-in        discussion   5 min",
        "Hot seat round  round       20 min",
        "Tail            close         30 s",
        "total 25.5 min",
    ]


def test_check_command_total_decimal(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# T\n## A (45.5 min)\n", encoding="utf-8")
    code, out, _ = run_check([str(path)])
    assert code == 0
    assert out.splitlines()[-1] == "total 45.5 min"


def test_check_command_total_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# T\n## A (2h 49m)\n", encoding="utf-8")
    _, out, _ = run_check([str(path)])
    assert out.splitlines()[-1] == "total 169 min"


def test_check_command_errors_and_mixed_files(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("# Good\n## A (5 min)\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("# Bad\n## A\n## B (0 min)\n", encoding="utf-8")
    missing = tmp_path / "missing.md"
    code, out, err = run_check([str(bad), str(good), str(missing)])
    assert code == 2
    assert err.splitlines() == [
        f"{bad}:2: item 'A' has no duration: end the heading with one, e.g. '(5 min)'",
        f"{bad}:3: item 'B' has a zero duration",
        f"{missing}: no such file",
    ]
    assert out.splitlines() == [f"{good}: Good", "A  discussion  5 min", "total 5 min"]
    assert run_check([str(bad)])[0] == 2
    assert run_check([str(good)])[0] == 0


def test_check_command_accepts_bundled_names() -> None:
    code, out, err = run_check(["lean-coffee"])
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "total 30 min"


def test_list_command() -> None:
    out = io.StringIO()
    assert list_command(out) == 0
    lines = out.getvalue().splitlines()
    names = [line.split()[0] for line in lines]
    assert names == sorted(names)
    assert "group-circle" in names
    row = lines[names.index("group-circle")]
    assert "Group mentoring circle" in row
    assert "6 items" in row
    assert row.endswith("60 min")


def test_agenda_error_from_a_message_and_pickled() -> None:
    import pickle

    error = AgendaError([("a.md", 3, "bad"), ("a.md", 0, "worse")])
    assert str(error) == "a.md:3: bad\na.md: worse"
    assert str(AgendaError("plain")) == "plain"
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
