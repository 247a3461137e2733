"""`cnnlab serve`: its options, and the refusals that come before any server starts."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from cnnlab.cli import app

runner = CliRunner()


def test_serve_is_listed_with_its_options():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--run", "--lang", "127.0.0.1"):
        assert option in result.output


def test_bad_run_folder_port_and_language_exit_2(tmp_path):
    result = runner.invoke(app, ["serve", "--run", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a cnnlab run folder" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "port must be between 0 and 65535" in result.output
    result = runner.invoke(app, ["serve", "--lang", "fr"])
    assert result.exit_code == 2 and "unknown language" in result.output


def test_busy_port_is_refused():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output
