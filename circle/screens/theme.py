"""The projector theme: high contrast, readable from the back of a room.

The console and the wall both start in it, the same way: without the theme
watcher, which would parse and apply the whole stylesheet a second time
before the first frame.
"""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

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


def start_in_projector(app: App) -> None:
    """Called from the app's `__init__`: the stylesheet is parsed once, in these colours."""
    app.register_theme(PROJECTOR)
    app.set_reactive(App.theme, PROJECTOR.name)
    app.stylesheet.set_variables(app.get_css_variables())
    app.add_class(f"-theme-{PROJECTOR.name}")
