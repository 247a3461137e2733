"""CLI command for the browser lab: ``cnnlab serve``."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.i18n import resolve_lang


@app.command()
@guarded
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this computer.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7860,
    run: Annotated[
        str | None, typer.Option("--run", help="Run folder for the Draw-a-digit tab.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Open the browser lab: convolution, pooling, model summaries and draw-a-digit."""
    lang = resolve_lang(lang)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before Gradio is imported
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from cnnlab.web.server import check_port, check_run
    from cnnlab.web.server import serve as serve_lab

    check_run(run)
    check_port(host, port)
    typer.echo(f"cnnlab lab: http://{host}:{port}/{lang}/  (Ctrl-C stops it)")
    serve_lab(host, port, lang, run)
