"""Themes: the dark projector theme and a light one, `projector-light`, for washed-out
projectors; chosen from the palette or with `--theme`, remembered for the next start;
an unknown theme is exit 2 in one line. Every colour of the stylesheets is a theme
variable, so both read well."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from circle.app import CircleApp
from circle.cli import main
from circle.screens.themes import SETTINGS_FILE, remembered_theme
from tests.app.live_helpers import BIG, make_app, palette, run_of, settle, start_run, wait_for

CIRCLE = Path(__file__).resolve().parents[2] / "circle"


def settings(app: CircleApp) -> dict:
    path = app.store.data_dir / SETTINGS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def colours(svg: str) -> Counter[str]:
    """The screenshot's fill colours: backgrounds and text alike, by how often they are used."""
    classes = dict(re.findall(r"\.terminal-\d+-(r\d+) \{ fill: (#[0-9a-f]{6})", svg))
    used = Counter(re.findall(r'class="terminal-\d+-(r\d+)"', svg))
    found: Counter[str] = Counter({classes[name]: count for name, count in used.items()})
    found.update(re.findall(r'<rect fill="(#[0-9a-f]{6})"', svg))
    return found


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


async def test_the_palette_switches_to_the_light_theme_and_remembers_it(tmp_path, clock):
    app = make_app(tmp_path, clock)
    async with app.run_test(size=BIG) as pilot:
        assert app.theme == "projector"
        run_of(app).session.add_question("Readable on white?")
        await palette(pilot, "Theme: projector-light")
        await settle(pilot)
        assert app.theme == "projector-light"
        await wait_for(pilot, lambda: settings(app).get("theme") == "projector-light")
        # Dark on white: the background is white, the text black.
        assert app.screen.styles.background.hex == "#FFFFFF"
        found = colours(app.export_screenshot())
        assert found.most_common(1)[0][0] == "#ffffff"
        await palette(pilot, "Theme: projector")
        await wait_for(pilot, lambda: settings(app).get("theme") == "projector")
    assert remembered_theme(app.store.data_dir) == "projector"


async def test_the_remembered_theme_is_the_next_starts(tmp_path, monkeypatch):
    started: list[str] = []

    def run_instead(self: CircleApp, *args, **kwargs) -> None:
        started.append(self.theme)

    monkeypatch.setattr(CircleApp, "run", run_instead)
    data = tmp_path / "data"
    start_run(data).close()  # an unfinished session to resume
    (data / SETTINGS_FILE).write_text(json.dumps({"theme": "projector-light"}))
    people = ["--mentor", "Ada", "--mentee", "A", "--mentee", "B", "--mentee", "C"]
    new = ["new", "--agenda", "group-circle", "--title", "T", *people, "--data-dir", str(data)]
    assert main(new) == 0
    assert main(["resume", "--data-dir", str(data), "--theme", "nord"]) == 0
    assert main(["--data-dir", str(data)]) == 0  # home
    (data / SETTINGS_FILE).write_text("{ not json")  # a broken file is no reason not to start
    assert main(["--data-dir", str(data)]) == 0
    assert started == ["projector-light", "nord", "projector-light", "projector"]


async def test_theme_on_the_command_line_is_remembered(tmp_path, clock):
    app = make_app(tmp_path, clock)
    app = CircleApp(app.store, app.run_, theme="projector-light", remember_theme=True)
    async with app.run_test(size=BIG) as pilot:
        assert app.theme == "projector-light" and app.has_class("-light-mode")
        await wait_for(pilot, lambda: settings(app).get("theme") == "projector-light")


@pytest.mark.parametrize("command", ["new", "resume", "demo"])
def test_an_unknown_theme_is_exit_2_in_one_line(tmp_path, capsys, command):
    args = {
        "new": ["--agenda", "group-circle", "--title", "T", "--mentor", "Ada"]
        + ["--mentee", "A", "--mentee", "B", "--mentee", "C"],
        "resume": [],
        "demo": [],
    }[command]
    data = tmp_path / "data"
    assert main([command, *args, "--theme", "neon", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"circle {command}: argument --theme: unknown theme 'neon'")
    assert "projector-light" in err
    assert not data.exists()  # nothing opened, nothing saved


def test_every_colour_in_the_stylesheets_is_a_theme_variable():
    allowed = {
        # The QR code is drawn light on dark whatever the theme: scanners need
        # a dark code on a light quiet zone, which the light modules draw.
        "#join-qr",
    }
    found = []
    for sheet in sorted(CIRCLE.rglob("*.tcss")):
        for number, line in enumerate(sheet.read_text().splitlines(), 1):
            rule = line.split("{")[0].strip()
            values = re.findall(
                r"(?:color|background|border[a-z-]*|tint)\s*:\s*([^;}]*)", line.split("/*")[0]
            )
            for value in values:
                words = re.findall(r"#[0-9A-Fa-f]{3,8}\b|\b[a-z]+\b", value)
                literal = [
                    w
                    for w in words
                    if w.startswith("#")
                    or w in ("white", "black", "red", "green", "blue", "yellow", "grey", "gray")
                ]
                if literal and rule not in allowed:
                    found.append(f"{sheet.name}:{number}: {line.strip()}")
    assert found == []


async def test_the_light_theme_reads_dark_on_white(tmp_path, clock):
    app = make_app(tmp_path, clock)
    app = CircleApp(app.store, app.run_, theme="projector-light")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("1", "s", "q")
        await pilot.press(*"Light?", "enter")
        await settle(pilot)
        svg = app.export_screenshot()
    found = colours(svg)
    background = found.most_common(1)[0][0]
    assert background == "#ffffff"
    # Every colour used for text is dark: at most a third of white's luminance.
    classes = dict(re.findall(r"\.terminal-\d+-(r\d+) \{ fill: (#[0-9a-f]{6})", svg))
    text_classes = set(re.findall(r'<text class="terminal-\d+-(r\d+)"[^>]*>[^<\s]', svg))
    text_colours = {classes[name] for name in text_classes}
    # White text only on the reversed highlight of the focused row and in the key bar.
    light = sorted(c for c in text_colours if luminance(c) > 0.35 and c != "#ffffff")
    assert light == []
