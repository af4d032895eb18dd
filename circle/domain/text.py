"""Text that people type is data: clean it on the way in."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from circle.domain.errors import DomainError

# CSI / OSC / other escape sequences first, then any remaining control character.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)


def check_storable(text: str) -> str:
    """Refuse text that can't be saved as UTF-8.

    A Python string can hold a lone surrogate ("\\ud800" from a JSON escape
    or a broken paste), which is half of a UTF-16 pair and no character at
    all: the record holding it could never be written, so it is refused here.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise DomainError(
            f"The text can't be saved: it holds U+{code:04X}, half of a surrogate pair, "
            "which is not a character"
        ) from None
    return text


def check_storable_data(value: Any) -> None:
    """`check_storable` on every string in an event's data, keys included."""
    if isinstance(value, str):
        check_storable(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable_data(key)
            check_storable_data(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_storable_data(item)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Strip terminal escape sequences and control characters, trim the ends.

    Newlines and tabs become spaces unless `multiline` is set, in which case
    newlines are kept (comments may span lines). Text that can't be saved
    is refused (DomainError).
    """
    if text.isprintable():
        # No control, format or surrogate character, so no escape sequence and
        # nothing to refuse: only the spaces to tidy. Most text is like this,
        # and a room's burst of questions is hundreds of them at once.
        return text.strip() if multiline else " ".join(text.split())
    text = _ESCAPES.sub("", check_storable(text))
    out: list[str] = []
    for ch in text:
        if ch == "\n" and multiline:
            out.append(ch)
        elif ch in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            continue
        else:
            out.append(ch)
    cleaned = "".join(out)
    if not multiline:
        cleaned = " ".join(cleaned.split())
    return cleaned.strip()


def clean_name(name: str) -> str:
    """A person's name: cleaned, single-spaced, trimmed."""
    return " ".join(clean_text(name).split())
