"""`?`: every key of the live screen, read from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        lines = [Content.styled("Keys (escape closes)", "bold")]
        for binding in self.bindings:
            keys = binding.key_display or binding.key
            keys = " / ".join(k.replace("_", " ") for k in keys.split(","))
            lines.append(Content.assemble((f"{keys:>14}  ", "bold $accent"), binding.description))
        lines += [
            Content.assemble(
                ("{:>14}  ".format("ctrl+p"), "bold $accent"),
                "Command palette: attendance, agenda edits, queue policy, theme…",
            ),
            Content.assemble(
                ("{:>14}  ".format("ctrl+q"), "bold $accent"),
                "Quit now (the session stays resumable)",
            ),
        ]
        with VerticalScroll(classes="dialog help"):
            yield Static(Content("\n").join(lines))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
