"""The README runs as written: its commands and Python blocks, top to bottom, in a fresh folder.

What is too slow for the suite (MNIST, downloads, servers, long training) is listed in
``readme_blocks.SLOW`` with the reason and run by ``make readme-slow``; everything else runs here
unchanged. A README command that stops working, or a new one that is neither run nor listed,
fails this test.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import readme_blocks as R

from cnnlab.main import run

SLOW_RUN = os.environ.get("CNNLAB_README_SLOW") == "1"


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """A fresh folder with the reader's files, and a private data cache."""
    folder = tmp_path_factory.mktemp("reader")
    R.make_files(folder)
    return folder


def run_command(command: str) -> tuple[int, str]:
    words = shlex.split(command)
    if words[0] != "cnnlab":
        import subprocess

        beside = Path(sys.executable).with_name(words[0])  # torchrun of this environment
        words[0] = str(beside) if beside.exists() else words[0]
        try:
            done = subprocess.run(words, capture_output=True, text=True, timeout=3600)
        except OSError as exc:  # a program that is not there fails this command, not the test
            return 127, str(exc)
        return done.returncode, done.stdout + done.stderr
    out, err = io.StringIO(), io.StringIO()
    typed = io.StringIO("7\n" * 10)  # what a reader types when an exercise asks
    stdin, sys.stdin = sys.stdin, typed
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(words[1:])
    except SystemExit as exc:  # a command that exits by itself
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = stdin
    return code, out.getvalue() + err.getvalue()


def test_every_slow_entry_still_names_a_readme_command():
    commands, blocks = R.commands(), R.python_blocks()
    assert len(commands) > 50 and len(blocks) > 5
    stale = [p for p, _ in (*R.SLOW, *R.NOT_RUN) if not any(p in c for c in commands)]
    stale += [s for s, _ in R.SLOW_PYTHON if not any(R.first_line(b).startswith(s) for b in blocks)]
    stale += [s for s in R.PROLOGUES if not any(R.first_line(b).startswith(s) for b in blocks)]
    assert stale == []  # a README change left an entry behind: remove it


@pytest.mark.readme  # again in make test-slow, with the slow commands
def test_the_readme_commands_run_as_written(reader, monkeypatch):
    monkeypatch.chdir(reader)
    monkeypatch.setenv("CNNLAB_CACHE", str(reader / ".cache"))
    failed, ran = [], 0
    for command in R.commands():
        if R.not_run_reason(command):
            continue
        if R.slow_reason(command):
            if not SLOW_RUN:
                continue
            command = R.substituted(command)
        code, output = run_command(command)
        ran += 1
        if code != 0:
            failed.append(f"{command}\n  exit {code}: {output.strip()[-400:]}")
    assert ran >= 30
    assert failed == [], "\n".join(failed)


@pytest.mark.readme  # again in make test-slow, with the slow commands
def test_the_readme_python_blocks_run(reader, monkeypatch):
    monkeypatch.chdir(reader)
    monkeypatch.setenv("CNNLAB_CACHE", str(reader / ".cache"))
    failed, ran = [], 0
    for block in R.python_blocks():
        if R.slow_python_reason(block) and not SLOW_RUN:
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                code = R.runnable(block)
                code = R.substituted(code) if R.slow_python_reason(block) else code
                exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
            ran += 1
        except Exception as exc:  # every failure is reported with its block
            failed.append(f"{R.first_line(block)}\n  {type(exc).__name__}: {exc}")
    assert ran >= 6
    assert failed == [], "\n".join(failed)
