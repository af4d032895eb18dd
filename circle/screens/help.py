"""`?`: every key of the live screen, read from the same table as its bindings."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from circle.domain.goals import STAGE_MEANINGS
from circle.screens.commands import APP_COMMANDS, Command


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, commands: Sequence[Command], stage: str = "") -> None:
        super().__init__()
        self.commands = (*commands, *APP_COMMANDS)
        self.stage = stage  # the relationship's stage, said over the keys

    def compose(self) -> ComposeResult:
        lines = [Content.styled("Keys (escape closes)", "bold")]
        if self.stage:  # on top: the keys below scroll
            meaning = STAGE_MEANINGS.get(self.stage, "")
            lines.append(
                Content.assemble(
                    ("Stage: ", "bold"),
                    f"{self.stage} ({meaning})",
                    (" · the palette's Set stage changes it", "$text-muted"),
                )
            )
        for command in self.commands:
            keys = f"{command.help_keys:>14}  "
            lines.append(Content.assemble((keys, "bold $accent"), command.description))
        with VerticalScroll(classes="dialog help"):
            yield Static(Content("\n").join(lines))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
