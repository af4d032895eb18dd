"""The import contracts bite: each forbidden import, planted in a copy, breaks one.

The contracts live in pyproject.toml and CI runs `lint-imports` on the real
tree. These tests prove the contracts are strict enough to notice the
mistakes that matter: the domain growing a dependency on a library or on an
outer layer, and storage reaching up into the user interface.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def lint_copy(
    tmp_path: Path, module: str | None = None, line: str = ""
) -> subprocess.CompletedProcess:
    """Run the contracts over a copy of the package, with `line` added to `module`."""
    shutil.copytree(
        REPO / "circle", tmp_path / "circle", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    if module is not None:
        target = tmp_path / module
        target.write_text(target.read_text() + f"\n{line}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_tree_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    done = lint_copy(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("circle/domain/clock.py", "import textual.app", "no third-party package"),
        ("circle/domain/board.py", "import tinydb", "no third-party package"),
        ("circle/domain/text.py", "import platformdirs", "no third-party package"),
        ("circle/domain/timer.py", "import circle.app", "outer layers"),
        ("circle/domain/roster.py", "import circle.storage", "outer layers"),
        ("circle/storage.py", "import circle.screens.live", "never load the user interface"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    done = lint_copy(tmp_path, module, line)
    assert done.returncode != 0, f"{line} in {module} kept every contract"
    broken = done.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, done.stdout
