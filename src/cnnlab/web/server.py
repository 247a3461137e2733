"""Serve the browser lab: the page in English at ``/en/`` and in Spanish at ``/es/``, and the JSON
API behind it (Starlette, run by uvicorn).

What a client may reach is fixed here and nowhere else:

- ``GET /``, ``GET /en/``, ``GET /es/``: the page; ``GET /assets/lab.js|lab.css``: its script and
  style, from memory. There is no file route: the lab never serves, copies or reads a file a
  client names. Uploads travel inside the JSON body, are decoded in memory and never written.
- ``GET /{lang}/api/info``: samples, kernels, the runs chosen at start, the limits, and every
  event with its fields (the tests attack whatever is listed here).
- ``POST /{lang}/api/{event}``: one of :data:`EVENTS`, a JSON object in, a JSON object out.

Every request passes a Host allow-list (DNS rebinding), the token when one is set (as Jupyter
does), and, for POSTs, a JSON content type, a same-origin check and a body-size cap read before
the body is. Answers carry a strict Content-Security-Policy. Identical requests (everyone opening
the deck's example) are answered from a bounded cache.

>>> server = start_background(port=0)  # doctest: +SKIP
>>> server.url, server.stop()          # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import functools
import gc
import hmac
import ipaddress
import json
import math
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import LANGS, resolve_lang
from cnnlab.samples import get_kernel, kernel_names, sample_names
from cnnlab.train import Run
from cnnlab.web import handlers
from cnnlab.web.limits import LIMITS, Limits
from cnnlab.web.page import ASSETS, page_html
from cnnlab.web.render import error_html, kernel_text, png_data_uri
from cnnlab.web.text import t

#: every event of the page: its fields and their kinds (text, number, choice, file, list)
EVENTS: dict[str, dict[str, str]] = {
    "conv": {"sample": "choice", "upload": "file", "kernel": "text", "stride": "number",
             "padding": "text", "dilation": "number", "mode": "choice", "row": "number",
             "col": "number"},
    "pool": {"sample": "choice", "upload": "file", "kind": "choice", "size": "number",
             "stride": "number", "padding": "number", "row": "number", "col": "number"},
    "model": {"model": "text", "shape": "text", "classes": "number"},
    "draw": {"drawing": "file", "runs": "list", "dx": "number", "dy": "number"},
}  # fmt: skip
#: what a field left out (or null) means, as on the page when it opens
DEFAULTS: dict[str, dict[str, Any]] = {
    "conv": {"sample": "bidoof-worked", "kernel": "deck", "stride": 1, "padding": "0",
             "dilation": 1, "mode": "correlate", "row": 0, "col": 0},
    "pool": {"sample": "bidoof", "kind": "max", "size": 2, "stride": 0, "padding": 0, "row": 0,
             "col": 0},
    "model": {"classes": 10},
    "draw": {"dx": 0, "dy": 0},
}  # fmt: skip

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}
TOKEN_COOKIE = "cnnlab_token"
CACHE_BODY = 64 * 1024  # requests up to this size are answered from the cache when repeated
MAX_RUNS_PER_REQUEST = 4


@dataclass
class Lab:
    """What one server offers: its language, runs, limits and the guards around them."""

    lang: str = "en"
    runs: dict[str, Run] = field(default_factory=dict)  # id (folder name) → run
    token: str | None = None
    allowed_hosts: Sequence[str] = ("127.0.0.1", "localhost", "::1")
    limits: Limits = LIMITS
    workers: int = 4


def run_ids(runs: Sequence[Run]) -> dict[str, Run]:
    """Runs by a short, unique id (their folder names: ``mnist-small-cnn``, ``mnist-mlp~2``)."""
    out: dict[str, Run] = {}
    for run in runs:
        name, n = run.path.name, 1
        while name in out:
            n += 1
            name = f"{run.path.name}~{n}"
        out[name] = run
    return out


# ---- decoding a request: every value is hostile until checked ----


def field_error(event: str, name: str, expected: str, value: Any) -> InvalidArgumentError:
    shown = json.dumps(value)[:60] if not isinstance(value, str) else repr(value[:60])
    return InvalidArgumentError(
        f"field {name!r} of {event} is not valid; expected {expected}. Received: {shown}"
    )


def decode_file(event: str, name: str, value: Any, limits: Limits) -> bytes | None:
    """A file field: null, or the file's bytes as base64 (a ``data:`` URL is fine)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise field_error(event, name, "the file's bytes as base64 text, or null", value)
    if len(value) > math.ceil(limits.upload_bytes * 4 / 3) + 256:
        raise InvalidArgumentError(
            f"the file in {name!r} is over the lab's limit; expected at most "
            f"{limits.upload_bytes // 2**20} MB. Received: about {len(value) * 3 // 4:,} bytes"
        )
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value else value
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise field_error(event, name, "the file's bytes as base64 text, or null", value) from None


def is_number_field(value: Any) -> bool:
    """A number, or text short enough to be one (the handlers parse and check it)."""
    if isinstance(value, bool):
        return False
    return (
        value is None
        or isinstance(value, int | float)
        or (isinstance(value, str) and len(value) <= 40)
    )


def decode_fields(event: str, body: Any, limits: Limits) -> dict[str, Any]:
    """The event's fields from a JSON body, each of the kind :data:`EVENTS` says."""
    fields = EVENTS[event]
    if not isinstance(body, dict):
        raise field_error(event, "(body)", "a JSON object", body)
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise InvalidArgumentError(
            f"{event} has no field {str(unknown[0])[:40]!r}; expected only: "
            f"{', '.join(fields)}. Received: {len(unknown)} unknown field(s)"
        )
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        value = body.get(name)
        if value is None:
            value = DEFAULTS[event].get(name)
        if kind == "file":
            out[name] = decode_file(event, name, value, limits)
        elif kind == "list":
            if value is None:
                value = []
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            if not ok or len(value) > MAX_RUNS_PER_REQUEST:
                raise field_error(
                    event, name, f"a list of at most {MAX_RUNS_PER_REQUEST} run names", value
                )
            out[name] = value
        elif kind == "number":
            if not is_number_field(value):
                raise field_error(event, name, "a number", value)
            out[name] = value
        else:  # text, choice
            if value is None:
                value = ""
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise field_error(event, name, "text", value)
            out[name] = str(value)
    return out


# ---- the events: fields in, a JSON-ready dict out ----


def _map_answer(view: handlers.ConvView, lang: str) -> dict:
    return {
        "input": png_data_uri(view.input_image),
        "map": png_data_uri(view.map_image),
        "sizes": view.sizes,
        "table": view.table,
        "explain": view.explain,
        "value": view.value,
        "message": view.message,
        "error": error_html(view.message, lang),
    }


def answer(lab: Lab, lang: str, event: str, f: dict[str, Any]) -> dict:
    """Run ``event`` with decoded fields ``f``; every refusal is a message in the answer."""
    if event == "conv":
        view = handlers.convolution(f["sample"], f["upload"], f["kernel"], f["stride"],
                                    f["padding"], f["dilation"], f["mode"], f["row"], f["col"],
                                    lang)  # fmt: skip
        return _map_answer(view, lang)
    if event == "pool":
        view = handlers.pooling(f["sample"], f["upload"], f["kind"], f["size"], f["stride"],
                                f["padding"], f["row"], f["col"], lang)  # fmt: skip
        return _map_answer(view, lang)
    if event == "model":
        model = handlers.model_summary(f["model"], f["shape"], f["classes"], lang, lab.limits)
        return {"table": model.table, "lines": model.lines, "message": model.message,
                "error": error_html(model.message, lang)}  # fmt: skip
    missing = [name for name in f["runs"] if name not in lab.runs]
    if missing:
        draw = handlers.DrawView(
            message=str(
                field_error(
                    "draw", "runs", f"names from: {', '.join(lab.runs) or '(none)'}", missing[0]
                )
            )
        )
    else:
        runs = [lab.runs[name] for name in f["runs"]]
        draw = handlers.predict_drawing(f["drawing"], runs, f["dx"], f["dy"], lang, lab.limits)
    return {
        "predictions": [{"name": p.name, "kind": p.kind, "probs": p.probs}
                        for p in draw.predictions],
        "seen": png_data_uri(draw.seen),
        "features": [{"layer": n, "shape": s, "image": png_data_uri(g)}
                     for n, s, g in draw.features],
        "note": draw.note,
        "message": draw.message,
        "error": error_html(draw.message, lang),
    }  # fmt: skip


def info(lab: Lab, lang: str) -> dict:
    """What the page needs to start, and what a test needs to attack every event."""
    return {
        "events": EVENTS,
        "samples": sample_names(),
        "kernels": {name: kernel_text(get_kernel(name)) for name in kernel_names()},
        "runs": [
            {
                "id": rid,
                "kind": "CNN" if handlers.is_cnn(run) else "MLP",
                "note": handlers.run_note(run, lang),
            }
            for rid, run in lab.runs.items()
        ],
        "limits": lab.limits.__dict__,
    }


# ---- the guards ----


def same_origin(request: Request) -> bool:
    """A POST from the lab's own page: Origin (when sent) names this host, and the browser's
    Sec-Fetch-Site (when sent) says same-origin."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def token_ok(lab: Lab, request: Request) -> bool:
    if lab.token is None:
        return True
    given = request.cookies.get(TOKEN_COOKIE) or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("token "):
        given = auth[6:].strip()
    given = request.query_params.get("token", given)
    return hmac.compare_digest(given.encode(), lab.token.encode())


def refuse(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=SECURITY_HEADERS)


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
    lab = Lab(resolve_lang(lang), run_ids(runs), token, tuple(allowed_hosts or Lab.allowed_hosts),
              limits)  # fmt: skip
    pool = ThreadPoolExecutor(lab.workers, thread_name_prefix="cnnlab-lab")

    @functools.lru_cache(maxsize=512)
    def cached(lang_: str, event: str, body: bytes) -> bytes:
        return compute(lang_, event, body)

    def compute(lang_: str, event: str, body: bytes) -> bytes:
        try:
            fields = decode_fields(event, json.loads(body), lab.limits)
        except ValueError as exc:  # InvalidArgumentError, and JSON that does not parse
            message = (
                str(exc)
                if isinstance(exc, InvalidArgumentError)
                else (f"the request is not valid JSON; expected a JSON object. Received: {exc}")
            )
            return json.dumps({"message": message, "error": error_html(message, lang_)}).encode()
        try:
            return json.dumps(answer(lab, lang_, event, fields)).encode()
        except Exception as exc:  # a defect, not the user's input: say so, keep serving
            message = f"the lab could not compute this ({type(exc).__name__}: {str(exc)[:200]})"
            return json.dumps({"message": message, "error": error_html(message, lang_)}).encode()

    def json_bytes(data: bytes, status: int = 200) -> Response:
        return Response(data, status, SECURITY_HEADERS, "application/json")

    async def guarded(request: Request, call: Callable) -> Response:
        if not token_ok(lab, request):
            return refuse(403, t("need_token", lab.lang))
        response = await call()
        if lab.token and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, lab.token, httponly=True, samesite="strict")
        return response

    async def root(request: Request) -> Response:
        async def go() -> Response:
            return RedirectResponse(f"/{lab.lang}/", 303, SECURITY_HEADERS)

        return await guarded(request, go)

    pages = {code: page_html(code).encode() for code in LANGS}

    async def page(request: Request) -> Response:
        code = request.url.path.split("/")[1]

        async def go() -> Response:
            return Response(pages[code], 200, SECURITY_HEADERS, "text/html; charset=utf-8")

        return await guarded(request, go)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return refuse(404, "not found")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(ASSETS[name], 200, SECURITY_HEADERS, f"{kind}; charset=utf-8")

    async def api_info(request: Request) -> Response:
        code = request.url.path.split("/")[1]

        async def go() -> Response:
            return json_bytes(json.dumps(info(lab, code)).encode())

        return await guarded(request, go)

    async def api_event(request: Request) -> Response:
        code, event = request.url.path.split("/")[1], request.path_params["event"]
        if event not in EVENTS:
            return refuse(404, "not found")
        if not token_ok(lab, request):
            return refuse(403, t("need_token", lab.lang))
        if not same_origin(request):
            return refuse(403, "cross-site requests are refused; expected the lab's own page")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return refuse(415, "expected Content-Type: application/json")
        body = await read_body(request, lab.limits.body_bytes)
        if body is None:
            return refuse(413, f"request body over the lab's limit of "
                               f"{lab.limits.body_bytes // 2**20} MB")  # fmt: skip
        work = cached if len(body) <= CACHE_BODY else compute
        loop = asyncio.get_running_loop()
        return json_bytes(await loop.run_in_executor(pool, work, code, event, body))

    async def favicon(request: Request) -> Response:
        return Response(b"", 204, SECURITY_HEADERS)

    routes = [Route("/", root), Route("/favicon.ico", favicon), Route("/assets/{name}", asset)]
    for code in LANGS:  # fixed paths per language: nothing else matches
        routes += [
            Route(f"/{code}/", page),
            Route(f"/{code}/api/info", api_info),
            Route(f"/{code}/api/{{event}}", api_event, methods=["POST"]),
        ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(lab.allowed_hosts))],
    )
    app.state.lab = lab
    return app


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to pass ``limit`` bytes (declared or sent)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


# ---- starting and stopping ----


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def hosts_for(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The Host names to answer when listening on ``host``: loopback names, and for another
    address that address, this computer's names and addresses, and ``extra``."""
    names = {"127.0.0.1", "localhost", "::1", "[::1]", host, *extra}
    if not loopback(host):
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn()}
        with contextlib.suppress(OSError):
            names |= {info[4][0] for info in socket.getaddrinfo(hostname, None)}
    names.discard("0.0.0.0")
    names.discard("::")
    return sorted(names)


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


def need_token(host: str, token: str | None) -> str | None:
    """The token to require: the one given, or for a non-loopback address a new random one."""
    if token is not None:
        if len(token) < 8:
            raise InvalidArgumentError(
                "the token is too short; expected at least 8 characters. "
                f"Received: {len(token)} characters"
            )
        return token
    return None if loopback(host) else secrets.token_urlsafe(18)


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
