"""Every key of the live screen, declared once.

Each `Command` row feeds the screen's binding, the key bar, the help screen
and the command palette, so a key and its words can't drift apart. The live
screen's bindings are screen-level and `priority`, so they work whichever
panel has focus; dialogs are separate modal screens, so typing in one never
triggers them. Each binding has an id, so a keymap can move it.

To follow a key: find its row here, then `action_<action>` on the live screen.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding

from circle.widgets.keybar import KeyHint


class Command(NamedTuple):
    keys: str  # Textual key names, comma-separated
    action: str  # the action the keys run, with its arguments
    id: str  # the binding's id, for keymaps
    description: str  # the help screen and the palette
    bar: str = ""  # its label in the key bar (or a footer); empty: not shown there
    key_display: str | None = None  # how the keys are written, if not by their names
    bar_key: str | None = None  # the key in the bar, when it is written shorter there

    @property
    def key(self) -> str:
        """The one key the key bar and the palette name."""
        return (self.key_display or self.keys).split(",")[0]

    @property
    def help_keys(self) -> str:
        """Every key the help screen lists: 'delete / backspace'."""
        keys = (self.key_display or self.keys).split(",")
        return " / ".join(key.replace("_", " ") for key in keys)

    def binding(self, *, priority: bool = True) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.bar or self.description,
            show=bool(self.bar),
            key_display=self.key_display,
            priority=priority,
            tooltip=self.description,
            id=self.id,
        )


def _live(
    keys: str,
    action: str,
    description: str,
    *,
    bar: bool = False,
    key_display: str | None = None,
    id: str | None = None,
) -> Command:
    """A live screen key; its bar label, when it has one, is its description."""
    binding_id = f"live.{id or action}"
    return Command(keys, action, binding_id, description, description if bar else "", key_display)


LIVE_COMMANDS: tuple[Command, ...] = (
    _live("n,pagedown", "next_item", "Next item", bar=True, key_display="n"),
    _live("b,pageup", "previous_item", "Previous item", key_display="b"),
    _live("space", "toggle_pause", "Pause / resume", bar=True),
    _live("plus", "extend(60)", "One minute more", key_display="+", id="minute_more"),
    _live("minus", "extend(-60)", "One minute less", key_display="-", id="minute_less"),
    *(
        _live(str(n), f"hand({n})", f"Raise / lower hand of mentee {n}", id=f"hand_{n}")
        for n in range(1, 6)
    ),
    _live("0", "mentor_turn", "Mentor speaks now"),
    _live("s", "next_speaker", "Next speaker", bar=True),
    _live("d", "end_turn", "Speaker done"),
    _live("q", "new_question", "New question", bar=True),
    _live("up", "select(-1)", "Select previous question", id="select_previous"),
    _live("down", "select(1)", "Select next question", id="select_next"),
    _live("v", "upvote", "Upvote the selected question"),
    _live("a", "answered", "Mark the selected question answered"),
    _live("p", "park", "Park / unpark the selected question"),
    _live("delete,backspace", "hide_question", "Hide the selected question", key_display="del"),
    _live("t", "new_action", "New action item", bar=True),
    _live("k", "new_takeaway", "New takeaway or decision"),
    _live("g", "new_goal", "New goal for a mentee"),
    _live("u", "undo", "Undo the last action", bar=True),
    _live("f", "flash", "Flash mentoring: start / next slot"),
    _live("o", "flash_topic", "Flash: the slot's topic"),
    _live("j", "toggle_join", "Join page: open it, or show its card again"),
    _live("e", "export", "Export the minutes now"),
    _live("r", "rebalance", "Rebalance the remaining items"),
    _live("h", "toggle_blind", "Privacy blind"),
    _live("z", "cycle_view", "Projection view: full, timer, board"),
    _live("x", "end_session", "End the session", bar=True),
    _live("question_mark", "help", "Help: all keys", bar=True, key_display="?"),
)

# The app's own keys, shown after the screen's. Textual binds ctrl+p to its
# command palette itself; this row gives it its words in the bar and the help.
PALETTE = Command(
    "ctrl+p",
    "command_palette",
    "app.palette",
    "Command palette: attendance, agenda edits, queue policy, theme…",
    "Palette",
    bar_key="^p",
)
QUIT = Command("ctrl+q", "quit_now", "app.quit", "Quit now (the session stays resumable)", "Quit")
APP_COMMANDS: tuple[Command, ...] = (PALETTE, QUIT)


def live_bindings() -> list[Binding]:
    return [command.binding() for command in LIVE_COMMANDS]


def bar_keys() -> tuple[KeyHint, ...]:
    """The key bar: the screen's main keys, then the palette."""
    shown = [*(c for c in LIVE_COMMANDS if c.bar), PALETTE]
    return tuple(KeyHint(command.bar_key or command.key, command.bar) for command in shown)


# The wall's keys (`circle wall`), on the wall's app: nothing else does anything there.
WALL_COMMANDS: tuple[Command, ...] = (
    Command("z", "cycle_view", "wall.view", "Projection view: full, timer, board", "View"),
    Command("ctrl+q", "quit", "wall.close", "Close the wall (the session goes on)", "Close wall"),
)


def wall_bindings() -> list[Binding]:
    return [command.binding() for command in WALL_COMMANDS]


def wall_bar_keys() -> tuple[KeyHint, ...]:
    return tuple(KeyHint(c.key.replace("ctrl+", "^"), c.bar) for c in WALL_COMMANDS)
