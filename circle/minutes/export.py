"""Exporting minutes: `circle export` and the app's `e`, as Markdown or HTML."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from circle.domain.errors import BadInput
from circle.domain.session import Session, session_at_rest
from circle.minutes.html import render_html_page
from circle.minutes.markdown import minutes_date, render_markdown
from circle.saving.atomic import atomic_write

__all__ = [
    "export_command",
    "export_to_dir",
    "minutes_stem",
    "render_html",
    "slugify",
    "write_atomic",
]


def render_html(session: Session) -> str:
    return render_html_page(session)


def export_command(
    store: Any, ref: str, output: str | None, force: bool, html: bool, out: TextIO
) -> int:
    """`circle export SESSION [-o FILE] [--force] [--html]`."""
    # Read and rebuilt once: the rebuild that checks the stored session is the
    # session the minutes are made of.
    opened = store.open_session(store.resolve(ref), lambda s: session_at_rest(s.events, s.clock))
    session = opened.value
    text = render_html(session) if html else render_markdown(session)
    return write_output(text, output, force, "minutes", out)


def write_output(text: str, output: str | None, force: bool, what: str, out: TextIO) -> int:
    """A command's document to stdout (no `-o`, or `-o -`) or to a file, never
    over an existing one without `force`: `circle export` and `circle report`."""
    if output is None or output == "-":
        out.write(text)
        return 0
    try:
        write_atomic(Path(output), text, overwrite=force)
    except FileExistsError:
        raise BadInput(f"{output} exists: use --force to overwrite") from None
    except OSError as exc:
        raise BadInput(f"{output}: can't write the {what} ({exc.strerror or exc})") from None
    out.write(f"{what.capitalize()} written to {output}\n")
    return 0


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def minutes_stem(session: Session, fallback: str = "session") -> str:
    """`<date>-<slug>` of the title, ASCII only: a file name that works anywhere.
    A title with nothing to slug (all CJK, say) uses `fallback` instead."""
    return f"{minutes_date(session)}-{slugify(session.title) or slugify(fallback) or 'session'}"


def export_to_dir(
    events: list[dict],
    clock: dict | None,
    directory: Path,
    stem: str | None = None,
    html: bool = False,
) -> Path:
    """The app's `e`: write the minutes into `directory` (the data directory's
    `exports/`) as `<date>-<slug>.md`, or `-2.md`, `-3.md` ... if taken.

    `stem` (the app passes the session id) names the file only when the
    title gives no slug."""
    session = session_at_rest(events, clock)
    text = render_html(session) if html else render_markdown(session)
    suffix = ".html" if html else ".md"
    return write_numbered(directory, minutes_stem(session, stem or "session"), suffix, text)


def write_numbered(directory: Path, stem: str, suffix: str, text: str) -> Path:
    """Write `text` as `<stem><suffix>`, or `-2`, `-3` ... when taken: a file
    already there is never replaced."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in _numbered(directory, stem, suffix):
        try:
            write_atomic(path, text, overwrite=False)
            return path
        except FileExistsError:
            continue
    raise BadInput(f"{directory}: too many files named {stem}{suffix}")


def _numbered(directory: Path, stem: str, suffix: str) -> Iterator[Path]:
    yield directory / f"{stem}{suffix}"
    for n in range(2, 1000):
        yield directory / f"{stem}-{n}{suffix}"


def write_atomic(path: Path, text: str, overwrite: bool) -> None:
    """The minutes as UTF-8, atomically (readers see the old file or the new
    one), readable by everyone (0644): minutes are for sharing.

    Without `overwrite` an existing file raises FileExistsError and is kept.
    """
    atomic_write(path, text.encode("utf-8"), overwrite=overwrite, mode=0o644)
