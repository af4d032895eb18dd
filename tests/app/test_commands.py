"""The live screen's keys are declared once: the table feeds bindings, key bar, help, palette."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import circle.screens
from circle.app import CircleApp
from circle.screens.commands import APP_COMMANDS, LIVE_COMMANDS, bar_keys, live_bindings
from circle.screens.live import LiveScreen
from circle.screens.status import JoinInfo

# The screen-level keys of the live screen, as the room's facilitator learns them
# (o: the topic of the flash slot in progress).
CONTRACT_KEYS = {
    *"nbs0dqvaptkufjerhzxog",
    *"12345",
    "pagedown",
    "pageup",
    "space",
    "plus",
    "minus",
    "up",
    "down",
    "delete",
    "backspace",
    "question_mark",
}


def test_every_key_of_the_live_screen_is_bound_once() -> None:
    keys = [key for command in LIVE_COMMANDS for key in command.keys.split(",")]
    assert len(keys) == len(set(keys))
    assert set(keys) == CONTRACT_KEYS


def test_every_row_names_an_action_of_the_live_screen() -> None:
    for command in LIVE_COMMANDS:
        name = command.action.split("(")[0]
        assert callable(getattr(LiveScreen, f"action_{name}", None)), command


def test_bindings_come_from_the_table_with_unique_ids() -> None:
    bindings = live_bindings()
    assert [b.id for b in bindings] == [c.id for c in LIVE_COMMANDS]
    assert len({b.id for b in bindings}) == len(bindings)
    assert all(b.id.startswith("live.") and b.priority for b in bindings)
    assert bindings == LiveScreen.BINDINGS
    assert [b.description for b in bindings if b.show] == [c.bar for c in LIVE_COMMANDS if c.bar]


def test_the_key_bar_shows_the_main_keys_then_the_palette() -> None:
    assert [(hint.key, hint.label) for hint in bar_keys()] == [
        ("n", "Next item"),
        ("space", "Pause / resume"),
        ("s", "Next speaker"),
        ("q", "New question"),
        ("t", "New action item"),
        ("u", "Undo the last action"),
        ("x", "End the session"),
        ("?", "Help: all keys"),
        ("^p", "Palette"),
    ]


def test_help_writes_every_key_and_the_app_keys() -> None:
    assert [c.help_keys for c in LIVE_COMMANDS[:5]] == ["n", "b", "space", "+", "-"]
    assert [c.help_keys for c in APP_COMMANDS] == ["ctrl+p", "ctrl+q"]


def _screen_classes() -> list[type[DOMNode]]:
    found = []
    for info in pkgutil.iter_modules(circle.screens.__path__):
        module = importlib.import_module(f"circle.screens.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return [CircleApp, *found]


@pytest.mark.parametrize("cls", _screen_classes(), ids=lambda cls: cls.__name__)
def test_every_binding_has_an_id_and_a_description(cls: type[DOMNode]) -> None:
    for binding in cls.BINDINGS:
        assert isinstance(binding, Binding), binding
        assert binding.id and binding.description, binding


@pytest.mark.parametrize(
    ("devices", "words"), [(0, "0 devices"), (1, "1 device"), (2, "2 devices")]
)
def test_the_join_line_counts_devices(devices: int, words: str) -> None:
    info = JoinInfo("ABCDEF", "http://10.0.0.5:8080", devices)
    assert info.words() == f"code ABCDEF http://10.0.0.5:8080 · {words}"
