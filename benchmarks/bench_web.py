"""Load-test the browser lab (``cnnlab serve``) the way a classroom uses it.

Starts the lab in its own process (``cnnlab serve`` on a free port, with a small CNN trained on
``digits`` for the Draw tab) and drives it from this process over keep-alive HTTP/1.1
connections, one thread per connection, so the load generator does not share the server's GIL.
Three phases, each bounded in count and time (every request times out; a phase ends at most
30 s after its planned length):

- **classroom** (open loop): ``--requests`` requests from 30 students arriving as a Poisson
  process at ``--rate`` req/s: 50% convolution (40% of those the deck's example, the rest
  other samples, kernels and cells), 20% pooling, 15% model summary, 15% draw-a-digit.
  Latency counts from each request's scheduled send time, so queueing counts.
  Target: p95 <= 150 ms on two cores, zero errors.
- **stress** (closed loop): ``--clients`` clients send the deck's convolution back to back for
  ``--duration`` s (the lab answers repeats of a request from its cache, so this mostly
  times the HTTP path). Goal: >= 150 req/s. The anchor is one request alone (best of 20).
- **heavy**: 5 clients stream the deck's convolution while one capped heavy request runs (a
  1400×1400 noise PNG uploaded and convolved with an 11×11 box, near the lab's work cap,
  padding ``same``; shrunk until the lab's limits accept it). Reports how much the light
  requests' p95 and max latency rose during it, and the worst delay (their max during it less
  their median before it).
  Goal: worst delay <= 0.5 s, and the heavy request accepted.
- **under attack** (open loop): the classroom again (``--attack-requests`` at ``--rate``)
  while one student at another address (127.0.0.2) floods the lab: 4 threads sending the heavy
  upload back to back under forged cookies (every other one abandoned after 0.5 s), 4 MiB
  text fields, bodies with both Content-Length and Transfer-Encoding and chunked 4 MiB ones,
  and from a second address (127.0.0.3: the idle connections would otherwise use up the
  attacker's own 32 and get its floods refused at once) up to 300 idle connections kept open.
  Reports the classroom's p95 and errors, what the attacker's requests got, and the server's
  peak memory (VmHWM).
  Target: the classroom's p95 <= 1 s, zero errors; server peak RSS <= 1 GB.

Each student connects from its own loopback address (127.0.1.N, as each student's computer has
its own) and sends its own ``cnnlab_client`` cookie, as the page does.

An error is a failed connection, an HTTP status other than 200, or an answer whose ``message``
is not empty. The generator runs on the same machine: its CPU time (and the server's, from
``/proc``) is printed with each phase. Run it alone on a quiet machine:

    .venv/bin/python benchmarks/bench_web.py            # full run (about 70 s)
    .venv/bin/python benchmarks/bench_web.py --quick    # smoke run (about 25 s)
    .venv/bin/python benchmarks/bench_web.py --json results.json

The last line sums it up: ``open-loop 30 req/s: p95 N ms, errors E; closed-loop 30 clients:
T req/s``.
"""

from __future__ import annotations

import argparse
import base64
import gc
import http.client
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

RUN_ID = "digits-cnn"  # the run folder's name is its id in the Draw tab
DECK = {"sample": "bidoof-worked", "kernel": "1,0,-1;1,0,1;1,1,1", "stride": 1, "padding": "0",
        "dilation": 1, "mode": "correlate", "row": 0, "col": 0}  # fmt: skip
DECK_VALUE = 750.0  # the deck's worked example: output cell (0, 0)
MIX = {"conv": 0.50, "pool": 0.20, "model": 0.15, "draw": 0.15}
DECK_SHARE = 0.40  # of the convolution requests: the deck's example itself
SAMPLES = ("bidoof", "bidoof-worked", "camera", "coins")
KERNELS = ("deck", "sobel-x", "box-blur", "gaussian-3x3")
MODELS = ("lenet5", "small-cnn", "tinyvgg", "conv(16,3) relu maxpool(2) flatten dense")
HEADERS = {"Content-Type": "application/json"}
LABEL_KEYS = {  # what the slowest requests' list shows of each event
    "conv": ("sample", "kernel", "padding", "row", "col"),
    "pool": ("sample", "kind", "row", "col"),
    "model": ("model",),
    "draw": ("dx", "dy"),
}
TIMEOUT_S = 10.0  # one light request
HEAVY_TIMEOUT_S = 30.0
GRACE_S = 30.0  # a phase ends at most this long after its planned length
STUDENTS = 30
LIGHT_CLIENTS = 5
SETTLE_S = 0.25  # the light stream's start, left out of the heavy phase's baseline
HEAVY_SIDES = (1400, 1200, 1000, 800, 512)  # tried in order until the lab accepts one
HEAVY_KERNEL = 11  # 1400² × 11² ≈ 237 M multiply-adds: near the lab's 250 M cap
TARGET_P95_MS = 150.0
TARGET_RPS = 150.0
TARGET_DELAY_S = 0.5
ATTACKER = "127.0.0.2"  # Linux routes all of 127/8 to this machine
ATTACKER_IDLE = "127.0.0.3"  # the same student's second machine: its idle connections
ATTACK_IDLE = 300  # idle connections the attacker keeps open
ATTACK_FLOODERS = 4  # threads sending heavy uploads back to back
TARGET_ATTACK_P95_MS = 1000.0
TARGET_RSS_MB = 1024.0


@dataclass(frozen=True)
class Call:
    """One request: the event, its JSON body, the cell value the answer must carry, and a
    short label (for the slowest requests' list)."""

    event: str
    body: bytes
    expect: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Result:
    event: str
    start: float  # perf_counter at the scheduled (open loop) or actual send
    end: float
    ok: bool
    why: str = ""
    label: str = ""

    @property
    def ms(self) -> float:
        return 1e3 * (self.end - self.start)


def call(event: str, fields: dict[str, Any], expect: float | None = None) -> Call:
    shown = " ".join(f"{k}={fields[k]}" for k in LABEL_KEYS[event] if fields.get(k) is not None)
    return Call(event, json.dumps(fields).encode(), expect, f"{event} {shown}"[:80])


DECK_CALL = call("conv", DECK, DECK_VALUE)


_students = iter(range(1 << 30))  # numbers each client's address and cookie


class Client:
    """One keep-alive HTTP/1.1 connection to the lab (reconnects after a failure), from its
    own loopback address (127.0.1.N) with its own client cookie, as a student's page."""

    def __init__(self, port: int, timeout: float = TIMEOUT_S) -> None:
        n = next(_students)
        source = (f"127.0.{1 + n // 250 % 250}.{1 + n % 250}", 0)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                               source_address=source)  # fmt: skip
        self.headers = {**HEADERS, "Cookie": f"cnnlab_client=student-{n}"}

    def post(self, req: Call) -> tuple[bool, str]:
        """``(ok, why)``: ok when the answer is HTTP 200, JSON, with an empty message."""
        try:
            self.conn.request("POST", f"/en/api/{req.event}", req.body, self.headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return False, f"connection: {type(exc).__name__}: {exc}"[:120]
        if resp.status != 200:
            return False, f"HTTP {resp.status}: {data[:80].decode(errors='replace').strip()}"
        try:
            answer = json.loads(data)
            message = str(answer.get("message") or "")
        except (ValueError, AttributeError):
            return False, "the answer is not a JSON object"
        if message:
            return False, message[:120]
        if req.expect is not None and answer.get("value") != req.expect:
            return False, f"value {answer.get('value')!r}, expected {req.expect}"
        return True, ""

    def timed(self, req: Call, start: float | None = None) -> Result:
        begin = time.perf_counter() if start is None else start
        ok, why = self.post(req)
        return Result(req.event, begin, time.perf_counter(), ok, why, req.label)

    def close(self) -> None:
        self.conn.close()


# ---- what the students send ----


def png_data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def drawings() -> list[str]:
    """Four digit-like strokes in black on a white 280×280 canvas, as PNG data URLs."""
    strokes: list[list[tuple[int, int]]] = [
        [(140, 40), (140, 240)],  # 1
        [(70, 50), (210, 50), (120, 240)],  # 7
        [(180, 240), (180, 40), (70, 170), (220, 170)],  # 4
        [(80, 60), (200, 60), (200, 140), (80, 140), (80, 230), (200, 230)],  # 2-ish / S
    ]
    out = []
    for points in strokes:
        image = Image.new("L", (280, 280), 255)
        ImageDraw.Draw(image).line(points, fill=0, width=20, joint="curve")
        out.append(png_data_url(image))
    return out


def conv_call(rng: random.Random) -> Call:
    if rng.random() < DECK_SHARE:
        return DECK_CALL
    fields = dict(DECK, sample=rng.choice(SAMPLES), kernel=rng.choice(KERNELS),
                  row=rng.randint(0, 17), col=rng.randint(0, 16))  # fmt: skip
    return call("conv", fields)


def classroom_calls(count: int, seed: int = 0) -> list[Call]:
    """``count`` requests in the classroom's mix (:data:`MIX`), shuffled by ``seed``."""
    rng = random.Random(seed)
    pictures = drawings()
    out = []
    for event in rng.choices(list(MIX), weights=list(MIX.values()), k=count):
        if event == "conv":
            out.append(conv_call(rng))
        elif event == "pool":  # bidoof-worked pools to 10×9: col stays below 9
            fields = {"sample": rng.choice(SAMPLES), "kind": rng.choice(("max", "avg")),
                      "size": 2, "stride": 0, "padding": 0, "row": rng.randint(0, 9),
                      "col": rng.randint(0, 8)}  # fmt: skip
            out.append(call("pool", fields))
        elif event == "model":
            fields = {"model": rng.choice(MODELS), "shape": "1x28x28", "classes": 10}
            out.append(call("model", fields))
        else:
            fields = {"drawing": rng.choice(pictures), "runs": [RUN_ID],
                      "dx": rng.randint(-3, 3), "dy": rng.randint(-3, 3)}  # fmt: skip
            out.append(call("draw", fields))
    return out


def heavy_call(side: int) -> Call:
    """A ``side``×``side`` noise PNG upload convolved with a HEAVY_KERNEL² box, padding same."""
    noise = np.random.default_rng(0).integers(0, 256, (side, side), dtype=np.uint8)
    row = ",".join(["1"] * HEAVY_KERNEL)
    fields = dict(DECK, sample=None, upload=png_data_url(Image.fromarray(noise, "L")),
                  kernel=";".join([row] * HEAVY_KERNEL), padding="same")  # fmt: skip
    return call("conv", fields)


# ---- the server, in its own process ----


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    def cpu_s(self) -> float | None:
        """The server process's user + system CPU seconds so far (Linux /proc), else None."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


TRAIN = """
import sys
from cnnlab.train import TrainConfig, fit
fit(TrainConfig(model="small-cnn", dataset="digits", epochs=3, seed=0, threads=1), out=sys.argv[1])
"""


def train_run(folder: Path, timeout_s: float = 300.0) -> Path:
    """The Draw tab's run (a small CNN on ``digits``, a few seconds), trained in a child
    process: torch's heap in this one would make its garbage collector pause the clients."""
    out = folder / RUN_ID
    subprocess.run([sys.executable, "-c", TRAIN, str(out)], check=True, timeout=timeout_s,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(run: Path, folder: Path, wait_s: float = 60.0) -> Server:
    """``cnnlab serve`` on a free port; returns once ``/en/api/info`` answers 200."""
    port = free_port()
    log = folder / "server.log"
    command = [sys.executable, "-m", "cnnlab", "serve", "--port", str(port), "--run", str(run),
               "--lang", "en"]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(proc, port, log)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and proc.poll() is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/en/api/info")
            if conn.getresponse().status == 200:
                return server
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    server.stop()
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"the lab did not answer on port {port} within {wait_s:.0f} s:\n{tail}")


# ---- statistics ----


def stats(results: Sequence[Result]) -> dict[str, float]:
    """Count, errors and latency percentiles (ms) of ``results``."""
    ms = np.array([r.ms for r in results] or [np.nan])
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {"count": len(results), "errors": sum(not r.ok for r in results),
            "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
            "max_ms": float(np.max(ms))}  # fmt: skip


def error_kinds(results: Sequence[Result], top: int = 5) -> list[tuple[str, int]]:
    return Counter(f"{r.event}: {r.why}" for r in results if not r.ok).most_common(top)


def slowest(results: Sequence[Result], top: int = 5) -> list[str]:
    """The ``top`` slowest requests: label and ms."""
    return [f"{r.label} ({r.ms:.0f} ms)" for r in sorted(results, key=lambda r: -r.ms)[:top]]


class Meter:
    """Wall time, generator CPU and server CPU over one phase."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.server_cpu = server.cpu_s()

    def read(self) -> dict[str, float | None]:
        wall = time.perf_counter() - self.wall
        cpu = time.process_time() - self.cpu
        now = self.server.cpu_s()
        server = None if now is None or self.server_cpu is None else now - self.server_cpu
        return {"wall_s": wall, "generator_cpu_s": cpu, "server_cpu_s": server}


# ---- the phases ----


def anchor(port: int, trials: int) -> dict[str, float]:
    """One request alone, best of ``trials``: the deck's example (answered from the lab's
    cache after the first) and distinct cells of it (computed each time)."""
    client = Client(port)
    try:
        cached = [client.timed(DECK_CALL) for _ in range(trials)]
        cells = [call("conv", dict(DECK, row=i % 18, col=i // 18 + 1)) for i in range(trials)]
        fresh = [client.timed(c) for c in cells]
    finally:
        client.close()
    bad = [r for r in cached + fresh if not r.ok]
    if bad:
        raise RuntimeError(f"the lab refused the anchor request: {bad[0].why}")
    return {"cached_ms": min(r.ms for r in cached), "computed_ms": min(r.ms for r in fresh)}


def warm_up(port: int) -> dict[str, float]:
    """Each event, and a convolution of each sample, once before timing (the first draw loads
    the run, the first use of a sample reads it): the slowest ms per event."""
    firsts = {c.event: c for c in reversed(classroom_calls(200, seed=1))}
    calls = [call("conv", dict(DECK, sample=name)) for name in SAMPLES] + list(firsts.values())
    client = Client(port, HEAVY_TIMEOUT_S)
    try:
        results = [client.timed(c) for c in calls]
    finally:
        client.close()
    bad = [r for r in results if not r.ok]
    if bad:
        raise RuntimeError(f"the lab refused a warm-up request: {bad[0].label}: {bad[0].why}")
    return {e: max(r.ms for r in results if r.event == e) for e in MIX}


def poisson_offsets(count: int, rate: float, seed: int = 0) -> np.ndarray:
    gaps = np.random.default_rng(seed).exponential(1.0 / rate, count)
    return np.cumsum(gaps) - gaps[0]  # the first request at 0


def open_loop(port: int, calls: Sequence[Call], rate: float) -> list[Result]:
    """Send ``calls`` at Poisson times over :data:`STUDENTS` connections; latency counts
    from each scheduled time (a request waiting for a free connection is late)."""
    local = threading.local()

    def send(req: Call, due: float) -> Result:
        if not hasattr(local, "client"):
            local.client = Client(port)
        return local.client.timed(req, start=due)

    offsets = poisson_offsets(len(calls), rate)
    t0 = time.perf_counter() + 0.1
    deadline = t0 + offsets[-1] + GRACE_S
    pool = ThreadPoolExecutor(STUDENTS, thread_name_prefix="student")
    pending: list[tuple[Call, float, Future[Result]]] = []
    try:
        for req, offset in zip(calls, offsets, strict=True):
            due = t0 + float(offset)
            time.sleep(max(0.0, due - time.perf_counter()))
            pending.append((req, due, pool.submit(send, req, due)))
        return [collect(req, due, fut, deadline) for req, due, fut in pending]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def collect(req: Call, due: float, fut: Future[Result], deadline: float) -> Result:
    try:
        return fut.result(timeout=max(0.0, deadline - time.perf_counter()))
    except FutureTimeout:
        end, why = time.perf_counter(), "no answer by the deadline"
        return Result(req.event, due, end, False, why, req.label)


class Stream:
    """``clients`` threads sending ``req`` back to back, each on its own connection, until
    ``until`` or :meth:`stop`."""

    def __init__(self, port: int, req: Call, clients: int, until: float) -> None:
        self.halt = threading.Event()
        self.results: list[list[Result]] = [[] for _ in range(clients)]
        self.threads = [
            threading.Thread(target=self.loop, args=(port, req, until, out), daemon=True)
            for out in self.results
        ]
        for thread in self.threads:
            thread.start()

    def loop(self, port: int, req: Call, until: float, out: list[Result]) -> None:
        client = Client(port)
        try:
            while not self.halt.is_set() and time.perf_counter() < until:
                out.append(client.timed(req))
        finally:
            client.close()

    def stop(self) -> None:
        self.halt.set()

    def join(self, deadline: float) -> list[Result]:
        """Every result so far, after waiting for the threads until ``deadline`` at most."""
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.perf_counter()))
        return [r for out in self.results for r in list(out)]


def stress(port: int, clients: int, duration: float) -> dict[str, float]:
    """``clients`` closed-loop clients on the deck's example for ``duration`` s."""
    until = time.perf_counter() + duration
    results = Stream(port, DECK_CALL, clients, until).join(until + GRACE_S)
    done = [r for r in results if r.end <= until]
    figures = stats(results)
    figures["throughput_rps"] = sum(r.ok for r in done) / duration
    figures["error_kinds"] = error_kinds(results)  # type: ignore[assignment]
    return figures


def send_heavy(port: int, calls: dict[int, Call]) -> tuple[int, Result, list[str]]:
    """The first of ``calls`` (by side) the lab accepts: ``(side, result, refusals)``."""
    client = Client(port, HEAVY_TIMEOUT_S)
    refusals: list[str] = []
    try:
        for side, req in calls.items():
            result = client.timed(req)
            if result.ok or "limit" not in result.why:
                return side, result, refusals
            refusals.append(f"{side}×{side}: {result.why}")
    finally:
        client.close()
    return side, result, refusals


def heavy(port: int, before_s: float, after_s: float) -> dict[str, Any]:
    """Light closed-loop clients before, during and after one heavy request; the baseline
    leaves out the stream's first quarter second (its connections opening)."""
    calls = {side: heavy_call(side) for side in HEAVY_SIDES}  # encoded before timing starts
    settled = time.perf_counter() + SETTLE_S
    stream = Stream(port, DECK_CALL, LIGHT_CLIENTS, time.perf_counter() + 2 * GRACE_S)
    time.sleep(before_s + SETTLE_S)
    side, big, refusals = send_heavy(port, calls)
    time.sleep(after_s)
    stream.stop()
    light = stream.join(time.perf_counter() + TIMEOUT_S + 1)
    before = stats([r for r in light if settled <= r.start and r.end < big.start])
    during = stats([r for r in light if r.end > big.start and r.start < big.end])
    return {
        "side": side, "heavy_ms": big.ms, "heavy_ok": big.ok, "heavy_why": big.why,
        "refusals": refusals, "before": before, "during": during,
        "p95_rise_ms": during["p95_ms"] - before["p95_ms"],
        "max_rise_ms": during["max_ms"] - before["max_ms"],
        "worst_delay_ms": during["max_ms"] - before["p50_ms"],
        "light_errors": sum(not r.ok for r in light), "error_kinds": error_kinds(light),
    }  # fmt: skip


class Attacker:
    """One student at :data:`ATTACKER` trying to stall the lab (see the module's docstring),
    until ``until``; what each of its requests got, by kind."""

    def __init__(self, port: int, heavy: Call, until: float) -> None:
        self.port, self.until, self.heavy = port, until, heavy
        self.got: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.idle: list[socket.socket] = []
        huge = json.dumps({"what": "x" * (4 << 20)}).encode()
        self.echo = self.head("/en/api/find", len(huge)) + huge
        self.both = (self.head("/en/api/conv", 2, "Transfer-Encoding: chunked\r\n")
                     + b"2\r\n{}\r\n0\r\n\r\n")  # fmt: skip
        chunk = b"[" + b" " * (4 << 20) + b"]"
        self.chunked = (self.head("/en/api/conv", None, "Transfer-Encoding: chunked\r\n")
                        + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")  # fmt: skip
        targets = [self.flood] * ATTACK_FLOODERS + [self.fields, self.framing, self.hold]
        self.threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for thread in self.threads:
            thread.start()

    def head(self, path: str, length: int | None, extra: str = "", cookie: str = "x") -> bytes:
        size = "" if length is None else f"Content-Length: {length}\r\n"
        return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{size}{extra}"
                f"Content-Type: application/json\r\nCookie: cnnlab_client={cookie}\r\n"
                "Connection: close\r\n\r\n").encode()  # fmt: skip

    def send(self, kind: str, data: bytes, drop_after: float | None = None) -> None:
        """Send ``data``; read the answer's status (or give up after ``drop_after`` s)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), HEAVY_TIMEOUT_S,
                                          (ATTACKER, 0)) as sock:  # fmt: skip
                sock.sendall(data)
                if drop_after is not None:
                    time.sleep(drop_after)
                    status = "abandoned"
                else:
                    first = sock.recv(64)
                    status = first.split(b" ", 2)[1].decode() if first else "closed"
                    while sock.recv(1 << 16):
                        pass
        except OSError as exc:
            status = type(exc).__name__
        with self.lock:
            self.got[f"{kind} {status}"] += 1

    def flood(self) -> None:
        n = 0
        while time.perf_counter() < self.until:
            n += 1
            cookie = f"forged-{threading.get_ident()}-{n}"
            data = self.head("/en/api/conv", len(self.heavy.body), cookie=cookie) + self.heavy.body
            self.send("heavy upload", data, 0.5 if n % 2 else None)

    def fields(self) -> None:
        while time.perf_counter() < self.until:
            self.send("4 MiB field", self.echo)

    def framing(self) -> None:
        while time.perf_counter() < self.until:
            self.send("CL+TE", self.both)
            self.send("chunked 4 MiB", self.chunked)

    def hold(self) -> None:
        """Keep up to ATTACK_IDLE idle connections open (the lab closes some; reopen them)."""
        while time.perf_counter() < self.until:
            self.idle = [s for s in self.idle if _open(s)]
            while len(self.idle) < ATTACK_IDLE and time.perf_counter() < self.until:
                try:
                    self.idle.append(socket.create_connection(("127.0.0.1", self.port), 2,
                                                              (ATTACKER_IDLE, 0)))  # fmt: skip
                except OSError:
                    with self.lock:
                        self.got["idle connection refused"] += 1
                    break
            time.sleep(1.0)

    def stop(self, deadline: float) -> dict[str, int]:
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.perf_counter()))
        for sock in self.idle:
            sock.close()
        return dict(sorted(self.got.items()))


def _open(sock: socket.socket) -> bool:
    """Whether the lab still holds ``sock`` open (no EOF or reset waiting on it)."""
    try:
        sock.setblocking(False)
        closed = sock.recv(1) == b""
    except BlockingIOError:
        return True
    except OSError:
        closed = True
    if closed:
        sock.close()
    return not closed


def server_peak_mb(server: Server) -> float | None:
    """The server process's peak resident memory so far (VmHWM), in MiB."""
    try:
        status = Path(f"/proc/{server.proc.pid}/status").read_text()
    except OSError:
        return None
    line = next(ln for ln in status.splitlines() if ln.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def under_attack(server: Server, requests: int, rate: float) -> dict[str, Any]:
    """The classroom's open loop while :class:`Attacker` floods the lab."""
    calls = classroom_calls(requests, seed=2)
    length = float(poisson_offsets(requests, rate)[-1])
    attacker = Attacker(server.port, heavy_call(HEAVY_SIDES[0]), time.perf_counter() + length)
    time.sleep(1.0)  # the flood is under way before the first student
    results = open_loop(server.port, calls, rate)
    got = attacker.stop(time.perf_counter() + HEAVY_TIMEOUT_S + GRACE_S)
    return {"all": stats(results), "error_kinds": error_kinds(results),
            "slowest": slowest(results), "attacker": got,
            "server_peak_mb": server_peak_mb(server)}  # fmt: skip


# ---- the report ----


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def row(name: str, s: dict[str, Any]) -> str:
    return (f"  {name:22s} {s['count']:6d} {s['errors']:6d} {s['p50_ms']:8.1f} "
            f"{s['p95_ms']:8.1f} {s['p99_ms']:8.1f} {s['max_ms']:8.1f}")  # fmt: skip


def header() -> str:
    return f"  {'':22s} {'count':>6s} {'errors':>6s} {'p50 ms':>8s} {'p95 ms':>8s} " + (
        f"{'p99 ms':>8s} {'max ms':>8s}"
    )


def cpu_line(meter: dict[str, Any]) -> str:
    wall, cpu, server = meter["wall_s"], meter["generator_cpu_s"], meter["server_cpu_s"]
    shown = "?" if server is None else f"{server:.1f} s ({100 * server / wall:.0f}% of a core)"
    return (
        f"  wall {wall:.1f} s · generator CPU {cpu:.1f} s ({100 * cpu / wall:.0f}% of a core)"
        f" · server CPU {shown}"
    )


def print_errors(kinds: Sequence[tuple[str, int]]) -> None:
    for why, n in kinds:
        print(f"    {n}× {why}")


def report_classroom(f: dict[str, Any], rate: float) -> None:
    print(f"\n[a] classroom: {STUDENTS} students, open loop, Poisson {rate:g} req/s")
    print(header())
    for name, s in f["by_event"].items():
        print(row(name, s))
    print(row("all", f["all"]))
    print(cpu_line(f["meter"]))
    print_errors(f["error_kinds"])
    print("  slowest:")
    for line in f["slowest"]:
        print(f"    {line}")
    p95, errors = f["all"]["p95_ms"], f["all"]["errors"]
    print(f"  target p95 <= {TARGET_P95_MS:.0f} ms: {verdict(p95 <= TARGET_P95_MS)} "
          f"({p95:.1f} ms); zero errors: {verdict(errors == 0)} ({errors})")  # fmt: skip


def report_stress(f: dict[str, Any], clients: int) -> None:
    s, anchor_ms = f["stress"], f["anchor_ms"]
    print(f"\n[b] stress: {clients} clients, closed loop, the deck's convolution")
    print(
        f"  one request alone (best of {f['trials']}): {anchor_ms['cached_ms']:.2f} ms "
        f"(repeated: from the lab's cache), {anchor_ms['computed_ms']:.2f} ms (a new cell)"
    )
    print(header())
    print(row("deck conv", s))
    print(cpu_line(f["stress_meter"]))
    print_errors(s["error_kinds"])
    rps = s["throughput_rps"]
    print(f"  throughput {rps:.0f} req/s · goal >= {TARGET_RPS:.0f} req/s: "
          f"{verdict(rps >= TARGET_RPS)} ({rps:.0f} req/s)")  # fmt: skip


def report_heavy(h: dict[str, Any], meter: dict[str, Any]) -> None:
    print(f"\n[c] heavy: {LIGHT_CLIENTS} light clients (deck conv) around one heavy request")
    for refusal in h["refusals"]:
        print(f"  refused: {refusal}")
    state = "accepted" if h["heavy_ok"] else f"FAILED: {h['heavy_why']}"
    side = h["side"]
    print(f"  heavy: {side}×{side} noise PNG, {HEAVY_KERNEL}×{HEAVY_KERNEL} box, padding same: "
          f"{h['heavy_ms']:.0f} ms, {state}")  # fmt: skip
    print(header())
    print(row("light, before", h["before"]))
    print(row("light, during heavy", h["during"]))
    print(cpu_line(meter))
    print_errors(h["error_kinds"])
    delay, goal = h["worst_delay_ms"], 1e3 * TARGET_DELAY_S
    print(
        f"  during the heavy request: light p95 rose {h['p95_rise_ms']:.0f} ms, max rose "
        f"{h['max_rise_ms']:.0f} ms; worst delay (max during − p50 before) {delay:.0f} ms"
    )
    print(
        f"  goal worst delay <= {goal:.0f} ms: {verdict(delay <= goal)} ({delay:.0f} ms); "
        f"heavy accepted: {verdict(h['heavy_ok'])}"
    )


def report_attack(a: dict[str, Any], meter: dict[str, Any], rate: float) -> None:
    print(f"\n[d] under attack: the classroom at {rate:g} req/s while {ATTACKER} floods the lab")
    print(header())
    print(row("classroom", a["all"]))
    print(cpu_line(meter))
    print_errors(a["error_kinds"])
    print("  slowest:")
    for line in a["slowest"]:
        print(f"    {line}")
    print("  the attacker's requests: " + ", ".join(f"{k} {n}" for k, n in a["attacker"].items()))
    p95, errors, peak = a["all"]["p95_ms"], a["all"]["errors"], a["server_peak_mb"]
    shown = "?" if peak is None else f"{peak:.0f} MiB"
    print(f"  target p95 <= {TARGET_ATTACK_P95_MS:.0f} ms: {verdict(p95 <= TARGET_ATTACK_P95_MS)} "
          f"({p95:.1f} ms); zero errors: {verdict(errors == 0)} ({errors}); server peak RSS "
          f"<= {TARGET_RSS_MB:.0f} MiB: {verdict(peak is not None and peak <= TARGET_RSS_MB)} "
          f"({shown})")  # fmt: skip


# ---- main ----


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="classroom requests")
    parser.add_argument("--rate", type=float, default=30.0, help="classroom arrivals per s")
    parser.add_argument("--clients", type=int, default=30, help="closed-loop clients")
    parser.add_argument("--duration", type=float, default=10.0, help="closed-loop seconds")
    parser.add_argument("--attack-requests", type=int, default=600,
                        help="classroom requests while one client attacks")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument("--json", type=Path, default=None, help="also write figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.duration = min(args.requests, 90), min(args.duration, 2.0)
        args.attack_requests = min(args.attack_requests, 90)
    counts = (args.requests, args.attack_requests, args.clients)
    if min(counts) < 1 or min(args.rate, args.duration) <= 0:
        parser.error("--requests, --attack-requests, --rate, --clients and --duration must be "
                     "positive")  # fmt: skip
    return args


def measure(server: Server, args: argparse.Namespace) -> dict[str, Any]:
    """Run the three phases against ``server``; every figure in one dict."""
    port, trials = server.port, 5 if args.quick else 20
    figures: dict[str, Any] = {"warm_up_ms": warm_up(port), "trials": trials}
    figures["anchor_ms"] = anchor(port, trials)
    meter, results = Meter(server), open_loop(port, classroom_calls(args.requests), args.rate)
    by_event = {e: stats([r for r in results if r.event == e]) for e in MIX}
    figures["classroom"] = {"all": stats(results), "by_event": by_event, "meter": meter.read(),
                            "error_kinds": error_kinds(results),
                            "slowest": slowest(results)}  # fmt: skip
    time.sleep(1.0)
    meter = Meter(server)
    figures["stress"] = stress(port, args.clients, args.duration)
    figures["stress_meter"] = meter.read()
    time.sleep(1.0)
    meter = Meter(server)
    figures["heavy"] = heavy(port, 1.0 if args.quick else 2.0, 0.5 if args.quick else 1.0)
    figures["heavy_meter"] = meter.read()
    time.sleep(1.0)
    meter = Meter(server)
    figures["attack"] = under_attack(server, args.attack_requests, args.rate)
    figures["attack_meter"] = meter.read()
    return figures


def report(f: dict[str, Any], args: argparse.Namespace) -> None:
    print("cnnlab web lab benchmark" + (" (--quick: smoke run)" if args.quick else ""))
    print(f"  cores {f['cores']} · load average before {f['load_before']} · "
          f"after {f['load_after']}")  # fmt: skip
    warm = ", ".join(f"{e} {ms:.0f} ms" for e, ms in f["warm_up_ms"].items())
    print(f"  warm-up, slowest first request per event (not counted): {warm}")
    report_classroom(f["classroom"], args.rate)
    report_stress(f, args.clients)
    report_heavy(f["heavy"], f["heavy_meter"])
    report_attack(f["attack"], f["attack_meter"], args.rate)
    c, a = f["classroom"]["all"], f["attack"]["all"]
    print(
        f"\nopen-loop {args.rate:g} req/s: p95 {c['p95_ms']:.0f} ms, errors {c['errors']}; "
        f"closed-loop {args.clients} clients: {f['stress']['throughput_rps']:.0f} req/s; "
        f"under attack: p95 {a['p95_ms']:.0f} ms, errors {a['errors']}"
    )


def with_server(body: Callable[[Server], dict[str, Any]]) -> dict[str, Any]:
    """Train the Draw tab's run, start the lab, run ``body``, always stop the lab."""
    with tempfile.TemporaryDirectory(prefix="cnnlab-bench-web-") as tmp:
        run = train_run(Path(tmp))
        server = start_server(run, Path(tmp))
        gc.collect()
        gc.freeze()  # what exists now lives to the end: keep it out of the collector's scans
        try:
            return body(server)
        finally:
            server.stop()


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = tuple(round(x, 2) for x in os.getloadavg())
    figures = with_server(lambda server: measure(server, args))
    figures |= {"cores": os.cpu_count(), "load_before": load_before,
                "load_after": tuple(round(x, 2) for x in os.getloadavg()),
                "args": {k: str(v) for k, v in vars(args).items()}}  # fmt: skip
    report(figures, args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
