"""The wall starts in the projector theme: high contrast, readable from the back.

The console and the wall both start in it, the same way: without the theme
watcher, which would parse and apply the whole stylesheet a second time
before the first frame.
"""

from __future__ import annotations

from textual.app import App

from circle.screens.themes import PROJECTOR


def start_in_projector(app: App) -> None:
    """Called from the app's `__init__`: the stylesheet is parsed once, in these colours."""
    app.register_theme(PROJECTOR)
    app.set_reactive(App.theme, PROJECTOR.name)
    app.stylesheet.set_variables(app.get_css_variables())
    app.add_class(f"-theme-{PROJECTOR.name}")
