"""How the lab serves one request once its guards have passed: a bounded cache of answers, the
gate that holds big bodies, who the client is, and the answer computed in that client's turn on
a fair pool (:mod:`cnnlab.web.jobs`), given up when the client disconnects."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from cnnlab.web.api import Lab, compute
from cnnlab.web.guards import CLIENT_COOKIE, SECURITY_HEADERS
from cnnlab.web.jobs import Client, FairPool

CACHE_BODY = 64 * 1024  # requests up to this size are answered from the cache when repeated
CACHE_ANSWER = 256 * 1024  # answers up to this size are kept
CACHE_BYTES = 64 * 2**20  # all kept answers together
BIG_BODY = 1 << 20  # bodies over this size (uploads), and chunked ones, count as big
BIG_BODIES = 12  # big bodies held at once, from arrival to answer (12 × 17 MiB at most)
BIG_PER_ADDRESS = 2  # of those, from one address
LIGHT_EVENTS = ("model", "practice")  # computed from a few numbers: never queued behind uploads
LIGHT_WORKERS = 2
#: big bodies (uploads) are computed this many at a time, one per address: decoding and
#: parsing a file at the size limit takes up to about 200 MB (docs/benchmarks.md), so the
#: server stays under 1 GB however many arrive
UPLOAD_WORKERS = 2


class AnswerCache:
    """Answers by request, most recent kept, bounded in bytes (thread-safe)."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit, self.size, self.items = limit, 0, OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key: tuple, value: bytes) -> None:
        if len(value) > CACHE_ANSWER:
            return
        with self.lock:
            if key not in self.items:
                self.items[key] = value
                self.size += len(value)
            while self.size > self.limit:
                _, old = self.items.popitem(last=False)
                self.size -= len(old)


@dataclass
class Serving:
    """The lab of one app, with its worker pools, its cache of answers and its upload gate."""

    lab: Lab
    heavy: FairPool  # work on the lab's samples
    light: FairPool  # LIGHT_EVENTS
    uploads: FairPool  # big bodies
    cache: AnswerCache
    big_bodies: int = 0  # held now, from arrival to answer
    big_by_address: Counter[str] = field(default_factory=Counter)

    def cached(self, lang: str, event: str, body: bytes) -> bytes | None:
        """The kept answer to this small request, if any."""
        key = cache_key(lang, event, body)
        return self.cache.get(key) if key else None

    def answer(self, lang: str, event: str, body: bytes) -> bytes:
        """A fresh answer (kept when the request and the answer are small)."""
        found = compute(self.lab, lang, event, body)
        key = cache_key(lang, event, body)
        if key and b'"message": ""' in found:  # answers only: refusals are not kept
            self.cache.put(key, found)
        return found

    def take_big(self, address: str) -> bool:
        """A place for one more big body from ``address``, if the gate has one."""
        if self.big_bodies >= BIG_BODIES or self.big_by_address[address] >= BIG_PER_ADDRESS:
            return False
        self.big_bodies += 1
        self.big_by_address[address] += 1
        return True

    def give_big(self, address: str) -> None:
        self.big_bodies -= 1
        self.big_by_address[address] -= 1
        if not self.big_by_address[address]:
            del self.big_by_address[address]


def cache_key(lang: str, event: str, body: bytes) -> tuple | None:
    if len(body) > CACHE_BODY:
        return None
    return lang, event, hashlib.blake2b(body, digest_size=20).digest()


def json_bytes(data: bytes) -> Response:
    return Response(data, 200, SECURITY_HEADERS, "application/json")


def client_of(request: Request) -> Client:
    """Who sent ``request``: its address, and the cookie its page was given (several students
    behind one address are told apart by it)."""
    address = request.client.host if request.client else ""
    return address, request.cookies.get(CLIENT_COOKIE, "")[:40]


def is_big(request: Request) -> bool:
    """An upload, or a body whose size is not declared (chunked)."""
    declared = request.headers.get("content-length", "")
    chunked = "transfer-encoding" in request.headers
    return chunked or not declared.isdigit() or int(declared) > BIG_BODY


async def answered(request: Request, pool: FairPool, client: Client, call) -> Response:
    """``call()``'s JSON in the client's turn on ``pool``; given up when the client leaves."""
    work = asyncio.ensure_future(pool.run(client, call))
    gone = asyncio.ensure_future(disconnected(request))
    await asyncio.wait((work, gone), return_when=asyncio.FIRST_COMPLETED)
    if work.done():
        gone.cancel()
        return json_bytes(work.result())
    work.cancel()  # its queue forgets it, or it stops at its next checkpoint
    return Response(b"", 204, SECURITY_HEADERS)  # nobody is there to read it


async def disconnected(request: Request) -> None:
    """Return once the client has gone (the body has been read: only a disconnect is left)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
