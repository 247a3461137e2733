"""Serve the browser lab: the page in English at ``/en/`` and in Spanish at ``/es/``, and the JSON
API behind it (Starlette, run by uvicorn).

What a client may reach is fixed here and nowhere else:

- ``GET /``, ``GET /en/``, ``GET /es/``: the page; ``GET /assets/lab.js|lab.css``: its script and
  style, from memory. There is no file route: the lab never serves, copies or reads a file a
  client names. Uploads travel inside the JSON body, are decoded in memory and never written.
- ``GET /{lang}/api/info``: samples, kernels, the runs chosen at start, the limits, and every
  event with its fields (the tests attack whatever is listed here).
- ``POST /{lang}/api/{event}``: one of :data:`cnnlab.web.api.EVENTS`, a JSON object in, a JSON
  object out.

Every request passes the guards of :mod:`cnnlab.web.guards`. Identical requests (everyone opening
the deck's example) are answered from a bounded cache.

>>> server = start_background(port=0)  # doctest: +SKIP
>>> server.url, server.stop()          # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import socket
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import LANGS, resolve_lang
from cnnlab.train import Run
from cnnlab.web.api import EVENTS, Lab, compute, info, run_ids
from cnnlab.web.guards import (
    SECURITY_HEADERS,
    TOKEN_COOKIE,
    hosts_for,
    read_body,
    refuse,
    same_origin,
    token_ok,
)
from cnnlab.web.limits import LIMITS, Limits
from cnnlab.web.page import ASSETS, page_html
from cnnlab.web.text import t

CACHE_BODY = 64 * 1024  # requests up to this size are answered from the cache when repeated
PAGES = {code: page_html(code).encode() for code in LANGS}


@dataclass
class Serving:
    """The lab of one app, with its thread pool and its cache of answers."""

    lab: Lab
    pool: ThreadPoolExecutor
    cached: functools._lru_cache_wrapper


def serving(request: Request) -> Serving:
    return request.app.state.serving


def json_bytes(data: bytes) -> Response:
    return Response(data, 200, SECURITY_HEADERS, "application/json")


async def guarded(request: Request, response: Response) -> Response:
    """``response`` if the token allows it; a token given in the address becomes a cookie."""
    lab = serving(request).lab
    if not token_ok(lab.token, request):
        return refuse(403, t("need_token", lab.lang))
    if lab.token and request.query_params.get("token"):
        response.set_cookie(TOKEN_COOKIE, lab.token, httponly=True, samesite="strict")
    return response


async def root(request: Request) -> Response:
    return await guarded(request, RedirectResponse(f"/{serving(request).lab.lang}/", 303,
                                                   SECURITY_HEADERS))  # fmt: skip


async def page(request: Request) -> Response:
    code = request.url.path.split("/")[1]
    html = Response(PAGES[code], 200, SECURITY_HEADERS, "text/html; charset=utf-8")
    return await guarded(request, html)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        return refuse(404, "not found")
    kind = "text/javascript" if name.endswith(".js") else "text/css"
    return Response(ASSETS[name], 200, SECURITY_HEADERS, f"{kind}; charset=utf-8")


async def api_info(request: Request) -> Response:
    code = request.url.path.split("/")[1]
    return await guarded(request, json_bytes(json.dumps(info(serving(request).lab, code)).encode()))


async def api_event(request: Request) -> Response:
    code, event = request.url.path.split("/")[1], request.path_params["event"]
    here = serving(request)
    if event not in EVENTS:
        return refuse(404, "not found")
    if not token_ok(here.lab.token, request):
        return refuse(403, t("need_token", here.lab.lang))
    if not same_origin(request):
        return refuse(403, "cross-site requests are refused; expected the lab's own page")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return refuse(415, "expected Content-Type: application/json")
    body = await read_body(request, here.lab.limits.body_bytes)
    if body is None:
        limit = here.lab.limits.body_bytes // 2**20
        return refuse(413, f"request body over the lab's limit of {limit} MB")
    work = here.cached if len(body) <= CACHE_BODY else functools.partial(compute, here.lab)
    loop = asyncio.get_running_loop()
    return json_bytes(await loop.run_in_executor(here.pool, work, code, event, body))


async def favicon(request: Request) -> Response:
    return Response(b"", 204, SECURITY_HEADERS)


def routes() -> list[Route]:
    """Fixed paths: nothing else matches (no file route, no API docs, no monitoring)."""
    out = [Route("/", root), Route("/favicon.ico", favicon), Route("/assets/{name}", asset)]
    for code in LANGS:
        out += [
            Route(f"/{code}/", page),
            Route(f"/{code}/api/info", api_info),
            Route(f"/{code}/api/{{event}}", api_event, methods=["POST"]),
        ]
    return out


def make_app(
    lang: str | None = None,
    runs: Sequence[Run] = (),
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    limits: Limits = LIMITS,
) -> Starlette:
    """The lab as an ASGI app. ``runs`` are the trained runs the Draw tab offers (chosen here,
    never by a client); ``allowed_hosts`` the Host names answered (default: this computer's
    loopback names); ``token``, when given, is required on every request."""
    hosts = tuple(allowed_hosts or Lab.allowed_hosts)
    lab = Lab(resolve_lang(lang), run_ids(runs), token, hosts, limits)
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
    )
    cached = functools.lru_cache(maxsize=512)(functools.partial(compute, lab))
    app.state.serving = Serving(lab, ThreadPoolExecutor(lab.workers, "cnnlab-lab"), cached)
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
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_background(
    host: str = "127.0.0.1",
    port: int = 0,
    lang: str | None = None,
    runs: Sequence[Run] = (),
    token: str | None = None,
    wait: float = 60.0,
) -> Running:
    """Start the lab in a thread (``port=0``: a free one) and wait until it answers."""
    port = check_port(host, port) or free_port(host)
    app = make_app(lang, runs, token, hosts_for(host))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
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
    runs: Sequence[Run] = (),
    token: str | None = None,
    allow_hosts: Sequence[str] = (),
) -> None:
    """Run the lab until Ctrl-C."""
    app = make_app(lang, runs, token, hosts_for(host, allow_hosts))
    for run in runs:  # built now, not by the first student who draws
        _ = run.model
    # torch and the runs make a full garbage collection take ~100 ms, stalling every request:
    # move what exists now out of the collector's reach (it never changes while serving)
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=check_port(host, port), log_level="warning",
                server_header=False)  # fmt: skip
