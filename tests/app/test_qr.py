"""The join card's QR code reads back as the URL, drawn the way the screen shows it."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from circle.widgets.qr import QRCode, qr_lines

SCALE = 4
# Upper half lit, lower half lit: how a terminal paints each character as
# light text on a dark background.
LIT = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}


def rasterise(lines: list[str]) -> Image.Image:
    """Each character is 2 pixel rows × 1 column, each pixel SCALE×SCALE."""
    width, height = len(lines[0]), 2 * len(lines)
    image = Image.new("L", (width * SCALE, height * SCALE), 0)
    pixels = image.load()
    for row, line in enumerate(lines):
        for col, char in enumerate(line):
            for half, lit in enumerate(LIT[char]):
                if not lit:
                    continue
                for dy in range(SCALE):
                    for dx in range(SCALE):
                        pixels[col * SCALE + dx, (2 * row + half) * SCALE + dy] = 255
    return image


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.1.23:8765/?code=ABCDEF",
        "http://10.0.0.5:8766/?code=Z2K9QH",
        "http://127.0.0.1:8799/?code=XYZ234",
        "http://[fe80::1]:8765/?code=ABCDEF",
    ],
)
def test_qr_lines_decode_to_the_url(url: str) -> None:
    lines = qr_lines(url)
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= set(LIT)
    # No inverted retry: the drawing must read as a normal (dark-on-light) code.
    results = zxingcpp.read_barcodes(rasterise(lines), try_invert=False)
    assert [r.text for r in results] == [url]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode


def test_quiet_zone_is_lit_and_it_fits_a_small_terminal() -> None:
    lines = qr_lines("http://192.168.100.200:8765/?code=ABCDEF")
    # 4 lit modules all round: two full rows top and bottom, 4 columns each side.
    assert lines[0] == lines[1] == "█" * len(lines[0])
    assert lines[-1] == lines[-2] == "█" * len(lines[0])
    assert all(line.startswith("████") and line.endswith("████") for line in lines)
    assert len(lines[0]) <= 45 and len(lines) <= 23  # room for the code on 80×24


def test_lighting_the_dark_modules_instead_would_not_scan() -> None:
    """The opposite polarity projects a negative that many phone readers reject."""
    url = "http://192.168.1.23:8765/?code=ABCDEF"
    swap = {"█": " ", " ": "█", "▀": "▄", "▄": "▀"}
    negative = ["".join(swap[c] for c in line) for line in qr_lines(url)]
    assert zxingcpp.read_barcodes(rasterise(negative), try_invert=False) == []
    # A finder pattern's outer ring is dark, so it is drawn unlit.
    assert qr_lines(url)[2][4] == " "


async def test_widget_shows_the_lines_as_plain_content() -> None:
    from textual.app import App, ComposeResult

    url = "http://10.1.2.3:8765/?code=[bold]X"  # markup-like text stays text

    class QRApp(App):
        def compose(self) -> ComposeResult:
            yield QRCode(url, id="qr")

    async with QRApp().run_test(size=(80, 30)) as pilot:
        widget = pilot.app.query_one("#qr", QRCode)
        assert str(widget.render()).splitlines() == qr_lines(url)
        assert widget.size.width == len(qr_lines(url)[0])
        widget.set_url("http://10.1.2.3:8766/?code=ABCDEF")
        await pilot.pause()
        assert str(widget.render()).splitlines() == qr_lines("http://10.1.2.3:8766/?code=ABCDEF")
