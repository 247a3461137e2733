"""CLI command for the browser lab: ``cnnlab serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import resolve_lang
from cnnlab.train import load_run


def runs_for(run: list[str], runs_dir: str | None, progress) -> list:
    """The runs the Draw tab offers: ``--run`` folders, the runs inside ``--runs-dir``, or (with
    neither) the lab's own CNN and MLP on MNIST, trained once and cached."""
    chosen = [load_run(folder) for folder in run]
    if runs_dir:
        folder = Path(runs_dir).expanduser()
        if not folder.is_dir():
            raise InvalidArgumentError(
                f"--runs-dir is not a folder; expected a folder holding run folders. "
                f"Received: {runs_dir}"
            )
        found = sorted(p for p in folder.iterdir() if (p / "config.json").is_file())
        if not found:
            raise InvalidArgumentError(
                f"--runs-dir holds no run folders; expected sub-folders made by cnnlab train. "
                f"Received: {runs_dir}"
            )
        chosen += [load_run(p) for p in found]
    if chosen:
        return chosen
    from cnnlab.web.lab_runs import lab_runs  # trains on first use: only when needed

    return lab_runs(progress=progress)


@app.command()
@guarded
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this computer.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7860,
    run: Annotated[
        list[str] | None,
        typer.Option("--run", help="Run folder for the Draw-a-digit tab (repeat for several)."),
    ] = None,
    runs_dir: Annotated[
        str | None,
        typer.Option("--runs-dir", help="Folder whose run sub-folders the Draw tab offers."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Access token required by the page (default: none on 127.0.0.1, a "
            "random one printed in the address on any other address)."
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Extra Host name the lab answers (repeatable)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Open the browser lab: convolution, pooling, model summaries and draw-a-digit."""
    from cnnlab.web.server import check_port, loopback, need_token
    from cnnlab.web.server import serve as serve_lab

    lang = resolve_lang(lang)
    check_port(host, port)
    secret = need_token(host, token)
    runs = runs_for(run or [], runs_dir, lambda line: typer.echo(line, err=True))
    if not loopback(host):
        typer.echo(
            f"warning: listening on {host}: other computers can reach the lab; it asks for "
            "the token below",
            err=True,
        )
    query = f"?token={secret}" if secret else ""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"cnnlab lab: http://{shown}:{port}/{lang}/{query}  (Ctrl-C stops it)")
    serve_lab(host, port, lang, runs, secret, allow_host or ())
