"""Agenda files: the Markdown parser and validator, bundled templates, `circle agenda`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TextIO

from circle.agendafiles.bundled import parsed_template
from circle.domain.agenda import KINDS, MAX_ITEM_S, MAX_TOTAL_S, Agenda, AgendaItem
from circle.domain.durations import format_duration, format_total_min, parse_duration
from circle.domain.errors import BadInput

__all__ = [
    "KINDS",
    "Agenda",
    "AgendaError",
    "AgendaItem",
    "bundled_dir",
    "bundled_templates",
    "check_command",
    "format_duration",
    "format_total_min",
    "list_command",
    "load_agenda_file",
    "parse_agenda",
    "parse_duration",
    "resolve_agenda",
    "to_markdown",
]


class AgendaError(BadInput):
    """Everything wrong with one agenda file, as (file, line, message) entries.

    Line 0 means the whole file ("FILE: message"); an empty file name means the
    message stands alone (an agenda name that is neither file nor template).
    """

    def __init__(self, errors: Iterable[tuple[str, int, str]] | str) -> None:
        # A bare string is one standalone message (and lets the error be pickled).
        if isinstance(errors, str):
            errors = [("", 0, errors)]
        self.errors: list[tuple[str, int, str]] = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(_format_error(*error) for error in self.errors)


def _format_error(file: str, line: int, message: str) -> str:
    if not file:
        return message
    return f"{file}:{line}: {message}" if line else f"{file}: {message}"


# The kind tag is stripped first, then the duration: "Title (5 min) [round]".
_KIND_TAG = re.compile(r"\s*\[([^\[\]]*)\]\s*$")
_DURATION = re.compile(r"\s*\(([^()]*)\)\s*$")
_VALID_KINDS = ", ".join(
    "[round], [round all]" if kind == "round" else f"[{kind}]"
    for kind in KINDS
    if kind != "discussion"
)


@lru_cache(maxsize=1)
def _markdown():  # -> MarkdownIt
    """Imported on first parse: resuming a session never needs it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _normalise(text: str) -> str:
    # Drop a BOM and unify line endings before splitting, so that our list of
    # source lines and markdown-it's token line maps count the same lines.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_blank_lines(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _kind_of(tag: str) -> tuple[str, bool] | None:
    """A kind tag's kind and whether it takes everyone in (`[round all]`: the
    mentors too); None for a tag that is no kind."""
    words = tag.strip().lower().split()
    if words == ["round", "all"]:
        return "round", True
    if len(words) == 1 and words[0] in KINDS:
        return words[0], False
    return None


def _parse_heading(text: str) -> tuple[str, int, str, bool, list[str]]:
    """One `## Title (DURATION) [kind]` heading: (title, seconds, kind, everyone, problems)."""
    problems: list[str] = []
    kind, everyone, rest = "discussion", False, text
    tag = _KIND_TAG.search(rest)
    if tag:
        found = _kind_of(tag.group(1))
        if found is not None:
            (kind, everyone), rest = found, rest[: tag.start()]
        elif _DURATION.search(rest[: tag.start()]):
            # Only a bracket after the duration is a tag; "Q&A [optional]" is a title.
            problems.append(f"unknown kind tag [{tag.group(1)}]; valid: {_VALID_KINDS} or none")
            rest = rest[: tag.start()]
    planned = 0
    duration = _DURATION.search(rest)
    title = rest[: duration.start()].strip() if duration else rest.strip()
    label = f"item '{title}'" if title else "item"
    if duration is None:
        problems.append(f"{label} has no duration: end the heading with one, e.g. '(5 min)'")
    else:
        try:
            planned = parse_duration(duration.group(1))
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
        else:
            if planned == 0:
                problems.append(f"{label} has a zero duration")
            elif planned > MAX_ITEM_S:
                long = format_duration(planned)
                problems.append(f"{label} is {long} long, over the 4 h limit per item")
    if not title:
        problems.append("item has no title")
    misplaced = _KIND_TAG.search(title)
    if misplaced and _kind_of(misplaced.group(1)) is not None:
        problems.append(
            f"kind tag [{misplaced.group(1)}] goes after the duration: '## Title (5 min) [kind]'"
        )
    return title, planned, kind, everyone, problems


def parse_agenda(text: str, source: str = "<agenda>") -> Agenda:
    """Parse agenda Markdown; raises AgendaError listing every problem found."""
    text = _normalise(text)
    if not text.strip():
        raise AgendaError([(source, 0, "is empty")])
    lines = text.split("\n")
    errors: list[tuple[str, int, str]] = []

    # Structure comes from markdown-it: only top-level ATX headings count, so a
    # "##" in a code block, quote, list or HTML block stays text. Setext headings
    # ("Title\n===") are left to the notes: the spec's syntax is "#" and "##".
    tokens = _markdown().parse(text)
    headings: list[tuple[int, int, int, str]] = []  # (level, start, end, content)
    for i, token in enumerate(tokens):
        if (
            token.type == "heading_open"
            and token.level == 0
            and token.markup.startswith("#")
            and token.tag in ("h1", "h2")
            and token.map
        ):
            headings.append((int(token.tag[1]), *token.map, tokens[i + 1].content))

    title, title_line, title_end = "", 0, 0
    late_title = False
    item_heads: list[tuple[int, int, int, str]] = []
    for level, start, end, content in headings:
        if level == 2:
            item_heads.append((level, start, end, content))
        elif item_heads and not title_line:
            late_title = True
            errors.append(
                (source, start + 1, "the title ('# ...') must come before the first item")
            )
        elif title_line:
            second = f"a second title '# {content}' (the title is on line {title_line})"
            errors.append((source, start + 1, f"{second}; items are '## ' headings"))
        else:
            title, title_line, title_end = content, start + 1, end
            if not content:
                errors.append((source, title_line, "the title is empty"))
    if not title_line and not late_title:
        errors.append((source, 1, "no title: the agenda must start with a '# Title' heading"))

    items: list[AgendaItem] = []
    for n, (_, start, end, content) in enumerate(item_heads):
        next_start = item_heads[n + 1][1] if n + 1 < len(item_heads) else len(lines)
        item_title, planned, kind, everyone, problems = _parse_heading(content)
        errors.extend((source, start + 1, problem) for problem in problems)
        if not problems:
            notes = _strip_blank_lines(lines[end:next_start])
            items.append(AgendaItem(item_title, planned, kind, notes, start + 1, everyone))
    if not item_heads:
        errors.append(
            (source, title_line or 1, "no items: add at least one '## Item (5 min)' heading")
        )

    # The intro is what stands before the first item, less the title heading.
    first_item = item_heads[0][1] if item_heads else len(lines)
    before = lines[:first_item]
    if title_line and title_end <= first_item:
        before = lines[: title_line - 1] + lines[title_end:first_item]
    intro = _strip_blank_lines(before)

    total = sum(item.planned_s for item in items)
    if total > MAX_TOTAL_S:
        over = f"the agenda totals {format_duration(total)}, over the 12 h limit"
        errors.append((source, title_line or 1, over))
    if errors:
        raise AgendaError(sorted(errors, key=lambda e: e[1]))
    return Agenda(title, tuple(items), intro, source)


class ParseCache(Protocol):
    """Agendas parsed before, by text (circle.agendafiles.cache)."""

    def get(self, text: str, source: str) -> Agenda | None: ...
    def put(self, text: str, agenda: Agenda) -> None: ...


def load_agenda_file(path: str | Path, cache: ParseCache | None = None) -> Agenda:
    """Read and parse one agenda file; every file-level problem is a one-line AgendaError."""
    name = str(path)
    path = Path(path)
    if path.is_dir():
        raise AgendaError([(name, 0, "is a directory, not an agenda file")])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AgendaError([(name, 0, "no such file")]) from None
    except OSError as exc:
        raise AgendaError([(name, 0, f"cannot be read ({exc.strerror or exc})")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AgendaError(
            [(name, 0, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})")]
        ) from None
    bundled = bundled_dir()
    if path.parent == bundled:  # a template, parsed ahead of time unless edited since
        agenda = parsed_template(path, text, bundled)
        if agenda is not None:
            return agenda
    if cache is None:
        return parse_agenda(text, name)
    agenda = cache.get(text, name)
    if agenda is None:
        agenda = parse_agenda(text, name)  # an error is raised here, never cached
        cache.put(text, agenda)
    return agenda


# --- Bundled templates -------------------------------------------------------


def bundled_dir() -> Path:
    """The templates: inside the package in a wheel, at the repo root in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "agendas", package.parent / "agendas"):
        if candidate.is_dir():
            return candidate
    return package / "agendas"


def bundled_templates() -> list[tuple[str, Agenda]]:
    """(name, agenda) for every bundled template, sorted by name."""
    folder = bundled_dir()
    if not folder.is_dir():
        return []
    return [(p.stem, load_agenda_file(p)) for p in sorted(folder.glob("*.md"))]


def _bundled_path(name: str) -> Path | None:
    stem = name.removesuffix(".md")
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = bundled_dir() / f"{stem}.md"
    return path if path.is_file() else None


def resolve_agenda(name_or_path: str, cache: ParseCache | None = None) -> Agenda:
    """An existing path wins; else a bundled template by name (".md" optional)."""
    if Path(name_or_path).exists():
        return load_agenda_file(name_or_path, cache)
    bundled = _bundled_path(name_or_path)
    if bundled is not None:
        return load_agenda_file(bundled, cache)
    raise AgendaError(
        [
            (
                "",
                0,
                f"unknown agenda '{name_or_path}': not a file and not a bundled template"
                " (see `circle agenda list`)",
            )
        ]
    )


# --- Writing -----------------------------------------------------------------


def kind_label(item: AgendaItem) -> str:
    """The kind as its tag says it: "round all" for a round with the mentors."""
    return "round all" if item.kind == "round" and item.everyone else item.kind


def to_markdown(agenda: Agenda) -> str:
    """Agenda Markdown that parse_agenda reads back to an equal Agenda."""
    # A title ending in "#" needs a closing sequence, or Markdown eats its "#"s.
    title = agenda.title + (" #" if agenda.title.endswith("#") else "")
    parts = [f"# {title}"]
    if agenda.intro:
        parts.append(agenda.intro)
    for item in agenda.items:
        tag = "" if item.kind == "discussion" else f" [{kind_label(item)}]"
        parts.append(f"## {item.title} ({format_duration(item.planned_s)}){tag}")
        if item.notes:
            parts.append(item.notes)
    return "\n\n".join(parts) + "\n"


# --- Commands (`circle agenda check` / `circle agenda list`) ------------------


def _load_for_check(path: str) -> Agenda:
    # A bundled template name is accepted too, but only when no such file exists,
    # so a typo in a path still gets "no such file".
    if not Path(path).exists() and _bundled_path(path) is not None:
        return resolve_agenda(path)
    return load_agenda_file(path)


def check_command(paths: list[str], out: TextIO, err: TextIO) -> int:
    """`circle agenda check FILE...`: items and total per valid file; 0 if all valid, else 2."""
    status = 0
    for path in paths:
        try:
            agenda = _load_for_check(path)
        except AgendaError as exc:
            print(str(exc), file=err)
            status = 2
            continue
        if len(paths) > 1:
            print(f"{path}: {agenda.title}", file=out)
        rows = [(i.title, kind_label(i), format_duration(i.planned_s)) for i in agenda.items]
        widths = [max(len(row[col]) for row in rows) for col in range(3)]
        for title, kind, duration in rows:
            line = f"{title:<{widths[0]}}  {kind:<{widths[1]}}  {duration:>{widths[2]}}"
            print(line, file=out)
        print(f"total {format_total_min(agenda.total_s)} min", file=out)
    return status


def list_command(out: TextIO) -> int:
    """`circle agenda list`: name, title, item count and total of each bundled template."""
    templates = bundled_templates()
    if not templates:
        print(f"no bundled templates found in {bundled_dir()}", file=out)
        return 0
    rows = [
        (
            name,
            agenda.title,
            f"{len(agenda.items)} items",
            f"{format_total_min(agenda.total_s)} min",
        )
        for name, agenda in templates
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>7}",
            file=out,
        )
    return 0
