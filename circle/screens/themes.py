"""The wall's themes, and the one the room chose last time.

`projector` is light on black; `projector-light` is black on white with the
same high contrast, for projectors that wash dark pictures out. Any of
Textual's own themes works too. The choice is remembered in the data
directory's `settings.json`, so the next start looks the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.theme import BUILTIN_THEMES, Theme

from circle.saving.atomic import atomic_write

PROJECTOR = Theme(
    name="projector",
    primary="#4DA3FF",
    secondary="#FF9F1C",
    accent="#FFD60A",
    warning="#FFB000",
    error="#FF4D4D",
    success="#3DDC84",
    foreground="#FFFFFF",
    background="#000000",
    surface="#0D0D0D",
    panel="#1C1C1C",
    dark=True,
)

# Every colour dark enough to read on white from the back of a room (contrast
# against white of 7:1 or better for the text colours), and nothing pale:
# a washed-out projector loses pale tints first.
PROJECTOR_LIGHT = Theme(
    name="projector-light",
    primary="#0040A8",
    secondary="#A33A00",
    accent="#5A1A9E",
    warning="#8A4B00",
    error="#B3001B",
    success="#00622B",
    foreground="#000000",
    background="#FFFFFF",
    surface="#F2F2F2",
    panel="#E4E4E4",
    dark=False,
    variables={"text": "#000000", "text-muted": "#3D3D3D"},
)

THEMES = (PROJECTOR, PROJECTOR_LIGHT)
DEFAULT_THEME = PROJECTOR.name
SETTINGS_FILE = "settings.json"


def theme_names() -> list[str]:
    """Every theme a room can choose: ours first, then Textual's."""
    return [theme.name for theme in THEMES] + sorted(BUILTIN_THEMES)


def unknown_theme(name: str) -> str | None:
    """Why `name` is not a theme (one line), or None when it is one."""
    if name in theme_names():
        return None
    ours = ", ".join(theme.name for theme in THEMES)
    return f"unknown theme {name!r}: choose {ours}, or a Textual theme such as textual-dark"


def remembered_theme(data_dir: Path) -> str | None:
    """The theme chosen last time, or None (no choice yet, or one not known any more).

    An unreadable settings file is no reason not to start: the default applies.
    """
    try:
        settings = json.loads((Path(data_dir) / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = settings.get("theme") if isinstance(settings, dict) else None
    return name if isinstance(name, str) and unknown_theme(name) is None else None


def save_theme_choice(data_dir: Path, name: str) -> None:
    """Save the choice for the next start (atomically; other settings are kept)."""
    path = Path(data_dir) / SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if not isinstance(settings, dict):
        settings = {}
    settings["theme"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    atomic_write(path, payload.encode("utf-8"), mode=0o644)
