"""Bundled templates work from a plain wheel install, not only from a checkout (§1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import circle.agendafiles.parser as agenda, io
from circle.agendafiles.parser import bundled_dir, list_command, resolve_agenda
print(resolve_agenda('group-circle').total_s)
print(agenda.__file__)
print(bundled_dir())
out = io.StringIO()
list_command(out)
print(len(out.getvalue().splitlines()))
import circle.saving.layout  # the storage package ships too
print(circle.saving.layout.SEGMENT_EVENTS)
"""


def run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_templates_from_installed_wheel(tmp_path: Path) -> None:
    # Nothing from this checkout may leak into the fresh venv's imports.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, REPO], tmp_path, env)
    [wheel] = wheels.glob("circle-*.whl")

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path, env)
    python = venv / "bin" / "python"
    # Only what circle.agendafiles.parser needs, to keep this quick; the wheel itself without deps.
    run([python, "-m", "pip", "install", "--no-deps", wheel], tmp_path, env)
    run([python, "-m", "pip", "install", "markdown-it-py", "platformdirs"], tmp_path, env)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = run([python, "-c", PROBE], elsewhere, env).splitlines()
    total, module, templates, listed, segment = output
    assert total == "3600"
    site = venv.resolve()
    assert Path(module).resolve().is_relative_to(site), module
    assert Path(templates).resolve() == Path(module).resolve().parent.parent / "agendas"
    assert int(listed) >= 6
    assert int(segment) > 0
