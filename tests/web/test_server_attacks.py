"""One student trying to stall the lab for everyone, four ways (issue 23): huge text fields that
used to be echoed and fuzzy-matched, heavy work sent and abandoned, bodies framed to slip past
the upload gate, and a flood of idle or never-read connections. While each attack runs from its
own loopback address (127.0.0.2 and up: Linux routes all of 127/8 to this machine), a classmate
at 127.0.0.1 keeps asking for light things (the deck's example, a model summary): every one of
those must be answered, none may fail with 500, and the server's memory stays under 1 GB.
Every loop here is bounded in count and time."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from cnnlab.web import guards
from cnnlab.web.server import start_background

GB = 1 << 30
DECK = json.dumps({"sample": "bidoof-worked"}).encode()  # the deck's example
SUMMARY = json.dumps({"model": "lenet5"}).encode()


@pytest.fixture(scope="module")
def lab():
    server = start_background("127.0.0.1", 0, "en")
    yield server
    server.stop()


def serving(lab):
    return lab.server.config.app.state.serving


def rss() -> int:
    """This process's resident memory in bytes (the server runs in one of its threads)."""
    with open("/proc/self/status") as status:
        line = next(ln for ln in status if ln.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def request(path: str, body: bytes, host: str, headers: str = "") -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}Connection: close\r\n\r\n")  # fmt: skip
    return head.encode() + body


def exchange(lab, raw: bytes, source: str = "127.0.0.1", wait: float = 30) -> tuple[int, bytes]:
    """Send ``raw`` from ``source`` and read the whole answer: (status, body); 0 when the
    server closed the connection without one."""
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), wait, (source, 0)) as sock:
        with contextlib.suppress(OSError):  # the server answered early and closed: read it
            sock.sendall(raw)
        chunks = []
        try:
            while chunk := sock.recv(1 << 16):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    answer = b"".join(chunks)
    if not answer:
        return 0, b""
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


class Classmate(threading.Thread):
    """Light requests from 127.0.0.1 back to back (deck example, model summary) until told to
    stop or ``seconds`` pass, at most ``most`` of them; the answers, latencies and peak RSS."""

    def __init__(self, lab, seconds: float = 30, most: int = 400) -> None:
        super().__init__(daemon=True)
        self.lab, self.seconds, self.most = lab, seconds, most
        self.done = threading.Event()
        self.results: list[tuple[int, str, float]] = []  # (status, message, seconds)
        self.start_rss = self.peak = rss()  # the server runs in this test process

    def run(self) -> None:
        host, end = self.lab.url.removeprefix("http://"), time.monotonic() + self.seconds
        cookie = "Cookie: cnnlab_client=classmate\r\n"
        for n in range(self.most):
            if self.done.is_set() or time.monotonic() > end:
                break
            path, body = ("/en/api/conv", DECK) if n % 2 else ("/en/api/model", SUMMARY)
            t0 = time.perf_counter()
            try:
                status, answer = exchange(self.lab, request(path, body, host, cookie))
                message = json.loads(answer)["message"] if status == 200 else answer.decode()
            except OSError as exc:
                status, message = -1, repr(exc)
            self.results.append((status, message, time.perf_counter() - t0))
            self.peak = max(self.peak, rss())
            time.sleep(0.05)

    def stop(self) -> dict:
        self.done.set()
        self.join(60)
        times = sorted(s for _, _, s in self.results)
        p95 = times[int(0.95 * (len(times) - 1))] if times else None
        failed = [r for r in self.results if r[0] != 200 or r[1]]
        return {"n": len(times), "p95": p95, "failed": failed, "peak": self.peak,
                "start_rss": self.start_rss}


def under_attack(lab, attack: Callable[[], object]) -> tuple[object, dict]:
    """Run ``attack()`` while a classmate asks for light things; what each saw."""
    classmate = Classmate(lab)
    classmate.start()
    time.sleep(0.3)  # the classmate is in before the attack
    try:
        outcome = attack()
    finally:
        seen = classmate.stop()
    print(f"classmate: {seen['n']} answers, p95 {seen['p95']:.3f} s, peak RSS "
          f"{seen['peak'] / 2**20:.0f} MiB")  # fmt: skip
    return outcome, seen


def assert_classmate_served(seen: dict) -> None:
    assert seen["n"] >= 5 and seen["failed"] == []
    # the issue asks for p95 <= 1 s (benchmarks/bench_web.py measures it); a test on two shared
    # cores only catches a stall (the attacks stalled light requests for 13 s to 113 s)
    assert seen["p95"] < 5.0
    assert seen["peak"] - seen["start_rss"] < GB  # what the attack added to the process


def noise_png(side: int) -> str:
    pixels = np.random.default_rng(0).integers(0, 256, (side, side), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_huge_text_fields_are_refused_short_and_cheap(lab):
    host = lab.url.removeprefix("http://")
    huge = "x" * (4 << 20)
    bodies = [("/en/api/find", {"what": huge}), ("/en/api/conv", {"mode": huge}),
              ("/en/api/find", {"sample": huge}), ("/en/api/model", {"model": huge}),
              ("/es/api/practice", {"kind": huge})]  # fmt: skip
    cells = "1,2\n" * 1000 + "3," + "9" * (4 << 20) + "x\n"  # one bad cell of 4 MiB
    bodies.append(("/en/api/conv", {"upload": base64.b64encode(cells.encode()).decode()}))

    def attack():
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda pb: exchange(lab, request(pb[0], json.dumps(pb[1])
                                                                  .encode(), host), "127.0.0.2"),
                                 bodies * 2))  # fmt: skip

    answers, seen = under_attack(lab, attack)
    assert_classmate_served(seen)
    for status, body in answers:
        assert status in (200, 503), body[:200]
        if status == 200:
            assert len(body) < 2000 and json.loads(body)["message"]
            assert "x" * 61 not in body.decode() and "9" * 61 not in body.decode()


def test_abandoned_heavy_work_is_stopped(lab):
    host = lab.url.removeprefix("http://")
    heavy = json.dumps({"upload": noise_png(1400), "kernel": ";".join([",".join("1" * 11)] * 11),
                        "padding": "same"}).encode()  # fmt: skip
    host_, port = host.split(":")
    pools = serving(lab).uploads

    def drop(source: str, cookie: str) -> None:
        with socket.create_connection((host_, int(port)), 10, (source, 0)) as sock:
            cookie = f"Cookie: cnnlab_client={cookie}\r\n"
            sock.sendall(request("/en/api/conv", heavy, host, cookie))
            time.sleep(0.4)  # sent, then given up

    def attack():
        started = 0
        for _ in range(3):  # three rounds of four convolutions of about 240 M multiply-adds
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(drop, ["127.0.0.3", "127.0.0.3", "127.0.0.4", "127.0.0.4"],
                              ["a", "b", "c", "d"]))  # fmt: skip
            started = max(started, *pools.by_address.values(), 0)
        deadline = time.monotonic() + 10
        while (sum(pools.running.values()) or pools.queued()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return time.monotonic() - (deadline - 10), started

    stopped = pools.stopped
    (idle_after, started), seen = under_attack(lab, attack)
    assert_classmate_served(seen)
    print(f"the workers were idle {idle_after:.2f} s after the last drop")
    assert sum(pools.running.values()) == 0 and pools.queued() == 0
    assert pools.stopped > stopped  # convolutions were stopped midway, not computed for nobody
    assert started == 1  # an address computes one upload at a time


def test_two_body_lengths_are_refused_and_chunked_bodies_are_gated(lab):
    host = lab.url.removeprefix("http://")
    both = (f"POST /en/api/conv HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            "2\r\n{}\r\n0\r\n\r\n").encode()  # fmt: skip
    chunk = b"[" + b" " * (4 << 20) + b"]"  # 4 MiB of valid JSON, sent in one chunk

    def chunked() -> bytes:
        return (f"POST /en/api/conv HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json"
                "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode() + (
            f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")  # fmt: skip

    gate = serving(lab)
    most = [0]

    def watch(stop: threading.Event) -> None:
        while not stop.wait(0.01):
            most[0] = max(most[0], gate.big_by_address.get("127.0.0.5", 0))

    def attack():
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(stop,), daemon=True)
        watcher.start()
        with ThreadPoolExecutor(8) as pool:
            framed = [pool.submit(exchange, lab, both, "127.0.0.5") for _ in range(4)]
            big = [pool.submit(exchange, lab, chunked(), "127.0.0.5") for _ in range(12)]
            out = [f.result() for f in framed], [f.result() for f in big]
        stop.set()
        watcher.join()
        return out

    (framed, big), seen = under_attack(lab, attack)
    assert_classmate_served(seen)
    assert all(status == 400 for status, _ in framed)
    assert b"Transfer-Encoding" in framed[0][1]
    assert {status for status, _ in big} <= {200, 503} and most[0] <= 2
    assert any(status == 503 for status, _ in big)  # the gate held some back


def test_a_connection_flood_from_one_address_leaves_the_others_served(lab, monkeypatch):
    monkeypatch.setattr(guards, "WRITE_SECONDS", 1.0)
    host, port = lab.url.removeprefix("http://").split(":")
    state = lab.server.server_state

    def held(source: str) -> int:
        return sum(1 for c in list(state.connections) if c.client and c.client[0] == source)

    def attack():
        idle, most = [], 0
        try:
            for _ in range(300):  # idle connections, never a request
                with contextlib.suppress(OSError):
                    idle.append(socket.create_connection((host, int(port)), 5, ("127.0.0.6", 0)))
            time.sleep(0.3)
            most = held("127.0.0.6")
            # a client that asks for the page 400 times over and never reads the answers
            reader = socket.create_connection((host, int(port)), 5, ("127.0.0.7", 0))
            get = f"GET /en/ HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
            reader.setblocking(False)
            for _ in range(400):
                try:
                    reader.send(get)
                except BlockingIOError:
                    break
            deadline = time.monotonic() + 8
            while held("127.0.0.7") and time.monotonic() < deadline:
                time.sleep(0.1)
            return most, held("127.0.0.7")
        finally:
            for sock in idle:
                sock.close()
            if "reader" in locals():
                reader.close()

    (most, unread), seen = under_attack(lab, attack)
    assert_classmate_served(seen)
    assert most <= guards.PER_ADDRESS
    assert unread == 0  # cut off: it did not read its answers
