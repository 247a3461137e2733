"""Serve the browser lab: the page in English at ``/en/`` and in Spanish at ``/es/``.

``/`` goes to the chosen language; each page links to the other. The server binds 127.0.0.1
unless told otherwise, and Gradio's analytics stay off (set before Gradio is imported).

>>> server = start_background(port=0)  # doctest: +SKIP
>>> server.url, server.stop()          # doctest: +SKIP
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import LANGS, resolve_lang

#: largest file the page accepts; pictures are also held to cnnlab.imageio.MAX_PIXELS
MAX_UPLOAD = "25mb"


def make_app(lang: str | None = None, run_folder: str | None = None):
    """A FastAPI app with the page mounted once per language; ``/`` redirects to ``lang``."""
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.responses import RedirectResponse

    from cnnlab.web.app import CSS, THEME, build_blocks

    lang = resolve_lang(lang)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse(f"/{lang}/")

    for code in LANGS:
        page = build_blocks(code, run_folder)
        gr.mount_gradio_app(
            app,
            page,
            path=f"/{code}",
            theme=THEME,
            css=CSS,
            ssr_mode=False,
            footer_links=[],
            max_file_size=MAX_UPLOAD,
        )
    return app


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def check_port(host: str, port: int) -> int:
    """``port`` if it is in range and free on ``host`` (0 stays 0: any free port)."""
    if not 0 <= port <= 65535:
        raise InvalidArgumentError(
            f"port must be between 0 and 65535; expected e.g. --port 7860. Received: port={port}"
        )
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise InvalidArgumentError(
                f"cannot listen on {host}:{port}; expected a free port on an address of this "
                f"computer (try another --port). Received: {exc.strerror or exc}"
            ) from None
    return port


@dataclass
class Running:
    """A server started by :func:`start_background`."""

    url: str
    server: object
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout)


def start_background(
    host: str = "127.0.0.1",
    port: int = 0,
    lang: str | None = None,
    run_folder: str | None = None,
    wait: float = 60.0,
) -> Running:
    """Start the lab in a thread (``port=0``: a free one) and wait until it answers."""
    import uvicorn

    port = check_port(host, port) or free_port(host)
    config = uvicorn.Config(make_app(lang, run_folder), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="cnnlab-web")
    thread.start()
    deadline = time.monotonic() + wait
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        raise InvalidArgumentError(
            f"the web server did not start on {host}:{port}; expected a free port. "
            f"Received: port={port}"
        )
    return Running(f"http://{host}:{port}", server, thread)


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    lang: str | None = None,
    run_folder: str | None = None,
) -> None:
    """Run the lab until Ctrl-C; a bad run folder or a busy port is refused before it starts."""
    import uvicorn

    check_run(run_folder)
    app = make_app(lang, run_folder)
    uvicorn.run(app, host=host, port=check_port(host, port), log_level="warning")


def check_run(run_folder: str | None) -> None:
    """Refuse a run folder that cannot be opened (CheckpointError), before serving."""
    if run_folder:
        from cnnlab.train import load_run

        load_run(run_folder)
