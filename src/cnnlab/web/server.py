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
the deck's example) are answered from a bounded cache; the others wait in their client's queue
for a worker (:mod:`cnnlab.web.jobs`: light ones and heavy ones in separate pools, each client
in turn), and are stopped when their client disconnects.

>>> server = start_background(port=0)  # doctest: +SKIP
>>> server.url, server.stop()          # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import gc
import json
import secrets
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import LANGS, _, resolve_lang, speaking
from cnnlab.train import Run
from cnnlab.train.objectives import is_generative
from cnnlab.web.api import EVENTS, Lab, info, run_ids
from cnnlab.web.guards import (
    CLIENT_COOKIE,
    SECURITY_HEADERS,
    TOKEN_COOKIE,
    GuardedH11,
    OneBodyLength,
    hosts_for,
    read_body,
    refuse,
    same_origin,
    token_ok,
)
from cnnlab.web.jobs import FairPool
from cnnlab.web.limits import LIMITS, Limits
from cnnlab.web.page import ASSETS, page_html
from cnnlab.web.serving import (
    CACHE_BODY,
    LIGHT_EVENTS,
    LIGHT_WORKERS,
    UPLOAD_WORKERS,
    AnswerCache,
    Serving,
    answered,
    client_of,
    is_big,
    json_bytes,
)
from cnnlab.web.text import t

BODY_SECONDS = 30.0  # a body not sent within this time is refused
PAGES = {code: page_html(code).encode() for code in LANGS}
#: uvicorn's settings: h11 refuses a request head over 16 KiB (httptools has no such limit);
#: GuardedH11 closes a connection whose head is not sent within 10 s or whose answer is not
#: read within 10 s, and takes at most 32 connections from one address; idle connections close
#: after 5 s, and past 512 connections new requests get 503
UVICORN = dict(http=GuardedH11, log_level="warning", server_header=False, timeout_keep_alive=5,
               limit_concurrency=512, h11_max_incomplete_event_size=16 * 1024)  # fmt: skip


def serving(request: Request) -> Serving:
    return request.app.state.serving


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
    if not request.cookies.get(CLIENT_COOKIE):  # the page's requests queue under this name
        html.set_cookie(CLIENT_COOKIE, secrets.token_urlsafe(12), httponly=True,
                        samesite="strict")  # fmt: skip
    return await guarded(request, html)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        with speaking(serving(request).lab.lang):
            return refuse(404, _("not found"))
    kind = "text/javascript" if name.endswith(".js") else "text/css"
    return Response(ASSETS[name], 200, SECURITY_HEADERS, f"{kind}; charset=utf-8")


async def api_info(request: Request) -> Response:
    code = request.url.path.split("/")[1]
    return await guarded(request, json_bytes(json.dumps(info(serving(request).lab, code)).encode()))


async def api_event(request: Request) -> Response:
    code, event = request.url.path.split("/")[1], request.path_params["event"]
    here = serving(request)
    refused = check_post(request, here.lab, event)
    if refused is not None:
        return refused
    client, big = client_of(request), is_big(request)
    if big and not here.take_big(client[0]):
        with speaking(page_lang(request, here.lab)):
            return refuse(503, _("the lab is receiving many files right now; try again in a "
                                 "moment"), close=True)  # fmt: skip
    try:
        body = await read_gated(request, here)
        if isinstance(body, Response):
            return body
        found = here.cached(code, event, body)
        if found is not None:
            return json_bytes(found)
        light = event in LIGHT_EVENTS and len(body) <= CACHE_BODY
        pool = here.uploads if big else here.light if light else here.heavy
        return await answered(request, pool, client, lambda: here.answer(code, event, body))
    finally:
        if big:
            here.give_big(client[0])


def page_lang(request: Request, lab: Lab) -> str:
    """The language of the page that sent ``request`` (``/es/api/...``), else the lab's."""
    code = request.url.path.split("/")[1]
    return code if code in LANGS else lab.lang


def check_post(request: Request, lab: Lab, event: str) -> Response | None:
    """The refusal of a POST that the lab does not take, before its body is read; else None."""
    with speaking(page_lang(request, lab)):
        if not token_ok(lab.token, request):
            return refuse(403, t("need_token", lab.lang))
        if event not in EVENTS:
            return refuse(404, _("not found"))
        if not same_origin(request):
            return refuse(403, _("cross-site requests are refused; expected the lab's own page"))
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return refuse(415, _("expected Content-Type: application/json"))
    return None


async def read_gated(request: Request, here: Serving) -> bytes | Response:
    """The body, read within BODY_SECONDS; else a refusal in the page's language."""
    with speaking(page_lang(request, here.lab)):
        return await _read_gated(request, here)


async def _read_gated(request: Request, here: Serving) -> bytes | Response:
    limit = here.lab.limits.body_bytes
    try:
        async with asyncio.timeout(BODY_SECONDS):
            body = await read_body(request, limit)
    except TimeoutError:
        return refuse(408, _("the request body did not arrive within {seconds:.0f} s",
                             seconds=BODY_SECONDS), close=True)  # fmt: skip
    if body is None:
        return refuse(413, _("request body over the lab's limit of {mb} MB", mb=limit // 2**20),
                      close=True)  # fmt: skip
    return body


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
    makers = [r for r in runs if is_generative(r.model)]  # the Generate tab's; the rest classify
    lab = Lab(resolve_lang(lang), run_ids([r for r in runs if r not in makers]), token, hosts,
              limits, generators=run_ids(makers))  # fmt: skip
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(SecurityHeaders), Middleware(OneBodyLength),
                    Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
    )  # fmt: skip
    # one address may hold all but one heavy worker: another student's upload is never locked out
    heavy = FairPool(lab.workers, "cnnlab-lab", per_address=max(1, lab.workers - 1))
    light = FairPool(LIGHT_WORKERS, "cnnlab-light", per_address=LIGHT_WORKERS)
    uploads = FairPool(UPLOAD_WORKERS, "cnnlab-upload", per_address=1)
    app.state.serving = Serving(lab, heavy, light, uploads, AnswerCache())
    return app


class SecurityHeaders:
    """ASGI middleware: every answer carries the security headers, Starlette's own 400, 404
    and 405 included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.encode() not in have]  # fmt: skip
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def check_port(host: str, port: int) -> int:
    """``port`` if it is in range and free on ``host`` (0 stays 0: any free port)."""
    if not 0 <= port <= 65535:
        raise InvalidArgumentError(
            _("port must be between 0 and 65535; expected e.g. --port 7860. Received: port={port}",
              port=str(port))
        )  # fmt: skip
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds it
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise InvalidArgumentError(
                _("cannot listen on {host}:{port}; expected a free port on an address of this "
                  "computer (try another --port). Received: {why}", host=host, port=str(port),
                  why=exc.strerror or exc)
            ) from None  # fmt: skip
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
    config = uvicorn.Config(app, host=host, port=port, **UVICORN)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="cnnlab-web")
    thread.start()
    deadline = time.monotonic() + wait
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        raise InvalidArgumentError(
            _("the web server did not start on {host}:{port}; expected a free port. "
              "Received: port={port}", host=host, port=str(port))
        )  # fmt: skip
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
        _model = run.model
    # torch and the runs make a full garbage collection take ~100 ms, stalling every request:
    # move what exists now out of the collector's reach (it never changes while serving)
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=check_port(host, port), **UVICORN)
