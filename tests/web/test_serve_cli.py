"""`cnnlab serve`: its options, the refusals that come before any server starts, and which runs
the Draw tab is given."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.web.guards import hosts_for, need_token
from cnnlab.web.lab_runs import choose_runs as runs_for

runner = CliRunner()


def test_serve_is_listed_with_its_options():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--run", "--runs-dir", "--token", "--allow-host",
                   "--lang", "127.0.0.1"):  # fmt: skip
        assert option in result.output


def test_bad_run_folder_port_and_language_exit_2(tmp_path):
    result = runner.invoke(app, ["serve", "--run", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a cnnlab run folder" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "port must be between 0 and 65535" in result.output
    result = runner.invoke(app, ["serve", "--lang", "fr"])
    assert result.exit_code == 2 and "unknown language" in result.output
    result = runner.invoke(app, ["serve", "--runs-dir", str(tmp_path)])
    assert result.exit_code == 2 and "holds no run folders" in result.output
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--token", "short"])
    assert result.exit_code == 2 and "at least 8 characters" in result.output


def test_busy_port_is_refused():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output


def test_runs_come_from_run_options_or_a_runs_folder(web_run, web_mlp):
    assert [r.path.name for r in runs_for([str(web_run.path)], None, print)] == ["digits-run"]
    both = runs_for([], str(web_run.path.parent), print)  # the folder that holds digits-run
    assert "digits-run" in [r.path.name for r in both]


def test_any_address_but_loopback_needs_a_token_and_names_its_hosts():
    assert need_token("127.0.0.1", None) is None
    token = need_token("0.0.0.0", None)
    assert token and len(token) >= 20 and need_token("0.0.0.0", None) != token
    assert need_token("0.0.0.0", "classroom-42") == "classroom-42"
    assert hosts_for("127.0.0.1") == sorted(["127.0.0.1", "localhost", "::1", "[::1]"])
    wide = hosts_for("0.0.0.0", ["lab.school.example"])
    assert socket.gethostname() in wide and "lab.school.example" in wide
    assert "0.0.0.0" not in wide


def test_importing_the_lab_leaves_the_environment_alone():
    import subprocess
    import sys

    code = (
        "import os; before = dict(os.environ); import cnnlab.main, cnnlab.web.server; "
        "print(sorted(set(os.environ.items()) ^ set(before.items())))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]"


def test_serve_speaks_spanish_before_and_when_it_starts(web_run, monkeypatch):
    import cnnlab.serve_cmd

    result = runner.invoke(app, ["serve", "--port", "70000", "--lang", "es"])
    assert result.exit_code == 2 and "el puerto debe estar entre 0 y 65535" in result.output
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--token", "short", "--lang", "es"])
    assert "el token es demasiado corto" in result.output
    assert "Recibido: 5 caracteres" in result.output
    started = []
    monkeypatch.setattr(cnnlab.serve_cmd, "serve_lab", lambda *args: started.append(args))
    monkeypatch.setattr(cnnlab.serve_cmd, "check_port", lambda host, port: port)
    args = ["serve", "--host", "0.0.0.0", "--token", "classroom-42", "--run", str(web_run.path)]
    result = runner.invoke(app, [*args, "--lang", "es"])
    assert result.exit_code == 0 and len(started) == 1, result.output
    assert "aviso: escuchando en 0.0.0.0: otras computadoras" in result.output
    assert "laboratorio de cnnlab: http://127.0.0.1:7860/es/?token=classroom-42  (Ctrl-C lo " \
           "detiene)" in result.output  # fmt: skip
    assert "warning" not in result.output and "stops it" not in result.output
