"""`cnnlab serve` on a fresh machine: with an empty cache it trains nothing, and the page and every
tab answer from the shipped models (the start-up time is measured by benchmarks/bench_startup.py;
tests never assert time)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from cnnlab.web.opening import opening_requests
from cnnlab.web.server import free_port


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def _wait_for_page(url: str, server: subprocess.Popen, limit: float = 120) -> bytes:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            return _get(url)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the page did not answer within {limit} s")


def test_fresh_serve_trains_nothing_and_every_tab_answers(tmp_path):
    port = free_port()
    env = {**os.environ, "CNNLAB_CACHE": str(tmp_path / "cache"), "LANG": "C.UTF-8"}
    server = subprocess.Popen(
        [sys.executable, "-m", "cnnlab", "serve", "--port", str(port), "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/en/"
        assert b"<html" in _wait_for_page(base, server)
        info = json.loads(_get(base + "api/info"))
        assert {r["kind"] for r in info["runs"] if not r["text"]} == {"CNN", "MLP"}
        assert any(r["text"] for r in info["runs"]) and info["generators"]
        answers = {
            event: _post(base + f"api/{event}", body)
            for event, body in opening_requests(info).items()
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    for event, answer in answers.items():
        assert answer.get("message", "") == "", (event, answer.get("message"))
    assert answers["find"]["boxes"] and answers["generate"]["grid"]
    assert "training" not in server.stderr.read().decode()
    assert not (tmp_path / "cache" / "lab").exists()  # nothing trained into the cache
