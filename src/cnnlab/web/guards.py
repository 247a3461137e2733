"""The guards in front of every request: a Host allow-list (DNS rebinding), the token (as
Jupyter asks for one), same-origin JSON posts, a body-size cap read before the body, one body
length per request, the security headers of every answer, and (GuardedH11) connections held to
a head sent within a time, an answer read within a time, and a number per address."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import secrets
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from uvicorn.protocols.http.h11_impl import H11Protocol

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import LANGS, _, speaking

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
CLIENT_COOKIE = "cnnlab_client"  # names a page's client, so that its requests queue together


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


def token_ok(token: str | None, request: Request) -> bool:
    if token is None:
        return True
    given = request.cookies.get(TOKEN_COOKIE) or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("token "):
        given = auth[6:].strip()
    given = request.query_params.get("token", given)
    return hmac.compare_digest(given.encode(), token.encode())


def refuse(status: int, message: str, close: bool = False) -> Response:
    """A plain-text refusal; ``close``: and the connection closed after it (a body left unread
    is not drained)."""
    headers = {**SECURITY_HEADERS, "connection": "close"} if close else SECURITY_HEADERS
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


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
        names |= {hostname, socket.getfqdn(), *_own_addresses()}
    names.discard("0.0.0.0")
    names.discard("::")
    return sorted(names)


def need_token(host: str, token: str | None) -> str | None:
    """The token to require: the one given, or for a non-loopback address a new random one."""
    if token is not None:
        if len(token) < 8:
            raise InvalidArgumentError(
                _("the token is too short; expected at least 8 characters. "
                  "Received: {n} characters", n=len(token))
            )  # fmt: skip
        return token
    return None if loopback(host) else secrets.token_urlsafe(18)


def _own_addresses() -> set[str]:
    """This computer's addresses: those of its name, and the one its default route leaves by."""
    found = set()
    with contextlib.suppress(OSError):
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route
        found.add(sock.getsockname()[0])
    return found


class OneBodyLength:
    """ASGI middleware: a request that gives both Content-Length and Transfer-Encoding (two
    lengths for one body: a way past the upload gate, and request smuggling behind a proxy) is
    refused with 400 before its body is read, and its connection closed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            names = {name for name, _value in scope["headers"]}
            if b"content-length" in names and b"transfer-encoding" in names:
                code = scope["path"].split("/")[1]
                with speaking(code if code in LANGS else None):
                    message = _("a request with both Content-Length and Transfer-Encoding is "
                                "refused; expected one of them")  # fmt: skip
                return await refuse(400, message, close=True)(scope, receive, send)
        return await self.app(scope, receive, send)


HEAD_SECONDS = 10.0  # a request head must arrive within this time
WRITE_SECONDS = 10.0  # an answer must be read (its writes drain) within this time
PER_ADDRESS = 32  # open connections from one address (a browser opens about 6)


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol, which also closes a connection

    - whose request head has not arrived within HEAD_SECONDS: uvicorn's own keep-alive timer
      starts only after a first answer, so idle or trickling connections could otherwise fill
      every slot;
    - whose client does not read its answer: writes paused for WRITE_SECONDS, or a close still
      waiting for unread bytes after that time;
    - from an address that already holds PER_ADDRESS connections, at once: one machine's flood
      leaves the other addresses served.
    """

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._write_timer: asyncio.TimerHandle | None = None
        host = self.client[0] if self.client else None
        same = sum(1 for c in self.connections if getattr(c, "client", None)
                   and c.client[0] == host)  # fmt: skip
        if host is not None and same > PER_ADDRESS:
            transport.abort()
            return
        self._watch_head()

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(WRITE_SECONDS, self.transport.abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._abort_later()

    def timeout_keep_alive_handler(self) -> None:
        super().timeout_keep_alive_handler()
        self._abort_later()

    def _abort_later(self) -> None:
        """A closing connection whose client does not read what is left is cut off later."""
        if self.transport.is_closing() and self._write_timer is None:
            self._write_timer = self.loop.call_later(WRITE_SECONDS, self.transport.abort)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting:
            self._watch_head()
        elif self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._write_timer):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    def _watch_head(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(HEAD_SECONDS, self._head_timeout)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()
            self._abort_later()
