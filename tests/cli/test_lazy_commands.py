"""The command tree loads only the command being run: `cnnlab --help` and the NumPy-only commands
start without torch, matplotlib or the web server, and read exactly as with every command loaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cnnlab.cli.command_index import COMMANDS
from cnnlab.main import command_index, command_name

HEAVY = ("torch", "matplotlib", "scipy", "sklearn", "skimage", "starlette", "uvicorn")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}; import sys; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    return set(done.stdout.split())


def test_command_index_is_current():
    """Written by `make catalog`; a new or changed command shows here until it is rewritten."""
    assert command_index() == COMMANDS


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["exercise", "conv-cell", "--seed", "1", "--json"],
        ["convolve", "bidoof-worked", "--kernel", "deck"],
        ["explain", "bidoof-worked", "--kernel", "deck", "--at", "0,0"],
        ["--lang", "es", "pool", "bidoof", "--kind", "max", "--size", "2"],
        ["kernels"],
    ],
)
def test_numpy_commands_never_import_torch(args):
    code = (
        "import contextlib, io; from cnnlab.main import run; "
        f"out = io.StringIO(); ctx = contextlib.redirect_stdout(out); ctx.__enter__(); "
        f"code = run({args!r}); ctx.__exit__(None, None, None); assert code == 0, code"
    )
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_lazy_help_reads_as_the_full_tree():
    """`cnnlab --help` listed from the index is the help with every module loaded, in both
    languages."""
    for lang in ("en", "es"):
        code = (
            "import contextlib, io; from cnnlab.main import run; out = io.StringIO(); "
            "ctx = contextlib.redirect_stdout(out); ctx.__enter__(); "
            f"{{pre}}run(['--help', '--lang', '{lang}']); ctx.__exit__(None, None, None); "
            "print(out.getvalue())"
        )
        env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
        outputs = [
            subprocess.run([sys.executable, "-c", code.format(pre=pre)], capture_output=True,
                           text=True, timeout=120, check=True, env=env).stdout
            for pre in ("", "import cnnlab.main as m; m.load_commands(); ")
        ]  # fmt: skip
        assert outputs[0] == outputs[1]
        assert all(f"│ {name} " in outputs[0] for name in COMMANDS)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--lang", "es", "data", "fetch", "mnist"], "data"),
        (["--lang=es", "train", "--epochs", "1"], "train"),
        (["--version"], None),
        (["--help"], None),
        (["serve", "--lang", "es"], "serve"),
    ],
)
def test_command_name_skips_the_root_options(args, name):
    assert command_name(args) == name
