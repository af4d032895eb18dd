"""A QR code drawn with half-block characters, scannable off a dark projector.

A projected terminal is light text on a dark background, so the drawing lights
the QR code's *light* modules (quiet zone included) and leaves its dark
modules as blank cells: seen on screen, that is a normal dark-on-light code.
Each text row holds two module rows (upper and lower half of a cell), which
keeps the modules roughly square.
"""

from __future__ import annotations

import segno
from textual.content import Content
from textual.widgets import Static

__all__ = ["QUIET_ZONE", "QRCode", "qr_lines"]

QUIET_ZONE = 4  # modules; the standard's full quiet zone

# (upper module light, lower module light) -> character
_CELLS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_lines(url: str, border: int = QUIET_ZONE) -> list[str]:
    """The QR code of `url` (error level M) as lines of half-block characters."""
    qr = segno.make(url, error="m", boost_error=False)
    light = [[not dark for dark in row] for row in qr.matrix_iter(scale=1, border=border)]
    if len(light) % 2:
        light.append([True] * len(light[0]))  # one more quiet-zone row to pair up
    return [
        "".join(_CELLS[upper, lower] for upper, lower in zip(top, bottom, strict=True))
        for top, bottom in zip(light[::2], light[1::2], strict=True)
    ]


class QRCode(Static):
    """The join URL as a QR code; light on dark whatever the theme says."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        color: #ffffff;
        background: #000000;
    }
    """

    def __init__(self, url: str, **kwargs) -> None:
        self.url = url
        super().__init__(self._content(url), **kwargs)

    @staticmethod
    def _content(url: str) -> Content:
        # Content, not markup: the drawing is data, not Textual markup.
        return Content("\n".join(qr_lines(url)))

    def set_url(self, url: str) -> None:
        self.url = url
        self.update(self._content(url))
