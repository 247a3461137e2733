"""The ``cnnlab`` command: the terminal commands of :mod:`cnnlab.cli` and the browser lab's
``serve``, put together here, at the top, so that ``cli`` and ``web`` never import each other."""

from __future__ import annotations

from typing import Annotated

import typer

from cnnlab.cli import app
from cnnlab.cli.app import LangOption, guarded
from cnnlab.cli.app import main as _run_app
from cnnlab.i18n import resolve_lang
from cnnlab.web.guards import loopback, need_token
from cnnlab.web.lab_runs import choose_runs
from cnnlab.web.server import check_port
from cnnlab.web.server import serve as serve_lab

#: the order `cnnlab --help` lists commands in: from one kernel to a trained, compared model
HELP_ORDER = (
    *("demo", "convolve", "explain", "pool", "kernels", "samples", "animate"),
    *("summary", "models", "train", "evaluate", "predict", "visualize", "report"),
    *("compare", "detect", "read", "exercise", "serve", "version"),
)


HostOption = Annotated[
    str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this computer.")
]
RunOption = Annotated[
    list[str] | None,
    typer.Option("--run", help="Run folder for the Draw-a-digit tab (repeat for several)."),
]
RunsDirOption = Annotated[
    str | None, typer.Option("--runs-dir", help="Folder whose run sub-folders the Draw tab offers.")
]
TokenOption = Annotated[
    str | None,
    typer.Option(help="Access token the page asks for (default: none on 127.0.0.1; on any other "
                      "address a random one, printed in the address)."),
]  # fmt: skip
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option("--allow-host", help="Extra Host name the lab answers (repeatable)."),
]


@app.command()
@guarded
def serve(
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7860,
    run: RunOption = None,
    runs_dir: RunsDirOption = None,
    token: TokenOption = None,
    allow_host: AllowHostOption = None,
    lang: LangOption = None,
) -> None:
    """Open the browser lab: convolution, pooling, model summaries and draw-a-digit."""
    lang = resolve_lang(lang)
    check_port(host, port)
    secret = need_token(host, token)
    runs = choose_runs(run or [], runs_dir, lambda line: typer.echo(line, err=True))
    if not loopback(host):
        typer.echo(f"warning: listening on {host}: other computers can reach the lab; it asks "
                   "for the token below", err=True)  # fmt: skip
    query = f"?token={secret}" if secret else ""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"cnnlab lab: http://{shown}:{port}/{lang}/{query}  (Ctrl-C stops it)")
    serve_lab(host, port, lang, runs, secret, allow_host or ())


def _help_rank(command) -> int:
    name = command.name or command.callback.__name__.replace("_", "-")
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


app.registered_commands.sort(key=_help_rank)


def main() -> None:
    """Console-script entry point."""
    _run_app()


__all__ = ["app", "main"]
