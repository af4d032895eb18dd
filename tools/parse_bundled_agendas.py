"""Write agendas/parsed.json: every bundled template's text and its parse.

    python tools/parse_bundled_agendas.py [--check]

Run it after editing a template or the agenda parser; tests/unit/test_agenda_bundled.py
fails until it has been. With --check it writes nothing and exits 1 if the
file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from circle.agendafiles.bundled import PARSED, parsed_file_text  # noqa: E402
from circle.agendafiles.parser import bundled_dir, parse_agenda  # noqa: E402


def expected() -> tuple[Path, str]:
    folder = bundled_dir()
    templates = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_bytes().decode("utf-8-sig")
        templates.append((path, text, parse_agenda(text, str(path))))
    return folder / PARSED, parsed_file_text(templates)


def main() -> int:
    target, text = expected()
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current == text:
        print(f"{target} is up to date")
        return 0
    if "--check" in sys.argv[1:]:
        print(f"{target} is out of date: run python tools/parse_bundled_agendas.py")
        return 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
