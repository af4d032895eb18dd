"""Text that people type is data: clean it on the way in."""

from __future__ import annotations

import re
import unicodedata

# CSI / OSC / other escape sequences first, then any remaining control character.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Strip terminal escape sequences and control characters, trim the ends.

    Newlines and tabs become spaces unless `multiline` is set, in which case
    newlines are kept (comments may span lines).
    """
    text = _ESCAPES.sub("", text)
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
