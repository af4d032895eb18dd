"""How the live screen changes its session: keys, dialogs and the palette all come here.

A change the session refuses (a `DomainError`) becomes a short notice on the
wall, never a crash; a change it takes redraws the screen. The live screen
composes one `LiveControls`; the palette is handed the same one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from circle.domain.errors import DomainError
from circle.domain.present import HIDDEN_NAME
from circle.domain.session import SESSION_ENDED, Session

T = TypeVar("T")


class LiveControls:
    def __init__(self, screen: Screen, session: Session, redraw: Callable[[], None]) -> None:
        self.screen = screen
        self.session = session
        self.redraw = redraw

    def act(self, change: Callable[[], Any], notice: str | None = None) -> bool:
        """Run a domain change; a refusal becomes a short notice."""
        try:
            change()
        except DomainError as exc:
            self.tell(str(exc), severity="warning", timeout=4)
            return False
        self.redraw()
        if notice:
            self.tell(notice)
        return True

    def tell(
        self, message: str, severity: SeverityLevel = "information", timeout: float = 3
    ) -> None:
        """A notice on the wall: behind the blind it names nobody."""
        if self.session.blind:
            # Whole names only: "Al" must not turn "Already" into "•••ready".
            for person in sorted(self.session.roster.people, key=len, reverse=True):
                message = re.sub(
                    rf"(?<!\w){re.escape(person)}(?!\w)", lambda _: HIDDEN_NAME, message
                )
        self.screen.notify(message, severity=severity, timeout=timeout, markup=False)

    def refused_when_ended(self) -> bool:
        """After the end nothing changes: say so at once, before any dialog opens."""
        if self.session.ended:
            self.tell(SESSION_ENDED, severity="warning", timeout=4)
            return True
        return False

    def ask(
        self, dialog: ModalScreen[T | None], then: Callable[[T], Any], *, after_end: bool = False
    ) -> None:
        """Open a dialog; act on its answer, unless it was cancelled.

        `after_end`: what may still be recorded once the session ended (a goal's
        progress, an item's state, the stage) is asked for then too."""
        if not after_end and self.refused_when_ended():
            return

        def answered(result: T | None) -> None:
            if result is not None:
                self.act(lambda: then(result))

        self.screen.app.push_screen(dialog, answered)

    def undo(self) -> None:
        try:
            what = self.session.undo()
        except DomainError as exc:
            self.tell(str(exc), severity="warning")
            return
        self.redraw()
        self.tell(f"Undone: {what}")
