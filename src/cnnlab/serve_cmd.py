"""``cnnlab serve``: the browser lab started from the terminal. It lives here, above both
:mod:`cnnlab.cli` and :mod:`cnnlab.web`, so that those two never import each other; the command
tree loads it only when ``serve`` is asked for (:mod:`cnnlab.main`)."""

from __future__ import annotations

from typing import Annotated

import typer

from cnnlab import cpu
from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.i18n import _, resolve_lang
from cnnlab.web.guards import loopback, need_token
from cnnlab.web.lab_runs import choose_runs
from cnnlab.web.server import check_port
from cnnlab.web.server import serve as serve_lab

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
    typer.Option(
        help="Access token the page asks for (default: none on 127.0.0.1; on any other "
        "address a random one, printed in the address)."
    ),
]
RetrainOption = Annotated[
    bool,
    typer.Option(
        help="Train the lab's own models here (minutes; kept in the cache) instead of using "
        "the shipped ones."
    ),
]
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
    retrain: RetrainOption = False,
    lang: LangOption = None,
) -> None:
    """Open the browser lab: convolution, pooling, model summaries and draw-a-digit."""
    lang = resolve_lang(lang)
    check_port(host, port)
    cpu.settle(1)  # one torch thread per lab worker: the workers share the cores, never multiply
    secret = need_token(host, token)
    runs = choose_runs(run or [], runs_dir, lambda line: typer.echo(line, err=True), retrain)
    if not loopback(host):
        typer.echo(
            _(
                "warning: listening on {host}: other computers can reach the lab; it asks "
                "for the token below",
                host=host,
            ),
            err=True,
        )
    query = f"?token={secret}" if secret else ""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/{lang}/{query}"
    typer.echo(_("cnnlab lab: {url}  (Ctrl-C stops it)", url=url))
    serve_lab(host, port, lang, runs, secret, allow_host or ())
