"""The front doors: the `cnnlab` console script (what `make demo` runs) and `python -m cnnlab`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnnlab.main import app

DECK_ROW0 = "750   750   915   660   555   600   750   750   750   750   750   750   855   855"


def test_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    for name in ["convolve", "explain", "pool", "kernels", "samples", "demo", *names]:
        assert f"│ {name} " in result.output, name
    assert "Slide a kernel over an image" in result.output


def test_python_dash_m_cnnlab() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cnnlab", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m cnnlab" in done.stdout and "convolve" in done.stdout


def test_console_script_runs_the_demo() -> None:
    """`make demo` runs `.venv/bin/cnnlab demo`: it prints the deck's output table and checks it."""
    script = Path(sys.executable).parent / "cnnlab"
    if not script.exists():
        pytest.skip("cnnlab is not installed as a console script next to this Python")
    done = subprocess.run(
        [str(script), "demo", "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert DECK_ROW0 in done.stdout
    assert "all 24 values it prints" in done.stdout
