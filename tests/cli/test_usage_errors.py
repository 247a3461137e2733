"""The ``cnnlab`` entry point: typer's own usage errors in one line (exit 2), ``--version``,
and flags listed without a value type."""

from __future__ import annotations

import pytest

from cnnlab._version import __version__
from cnnlab.main import run


def test_unknown_option_is_one_line_with_a_suggestion(capsys):
    assert run(["train", "--epoch", "3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: No such option: --epoch") and "--epochs" in err
    assert err.endswith("(see: cnnlab train --help)") and len(err.splitlines()) == 1


@pytest.mark.parametrize("args", [["--nosuch"], ["nosuch-command"], ["convolve"]])
def test_other_usage_errors_are_one_line(args, capsys):
    assert run(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and len(err.splitlines()) == 1 and "╭" not in err


def test_version_flag_and_command(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == __version__
    assert run(["version"]) == 0
    assert capsys.readouterr().out.strip() == __version__


def test_flags_show_no_value_type(capsys):
    assert run(["predict", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--json" in out and "<bool>" not in out


def test_command_errors_keep_exit_code_two(capsys):
    assert run(["convolve", "nosuch-sample"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown sample 'nosuch-sample'")
