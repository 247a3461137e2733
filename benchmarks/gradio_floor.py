"""Gradio's floor: the throughput of a Gradio event that does nothing, for comparison with the lab.

The lab was a Gradio app until its classroom targets (docs/benchmarks.md) asked for >= 150
requests/s on two cores. This script measures the most a mounted Gradio Blocks app answers: one
no-op event through Gradio's HTTP API (POST /call, then its result stream), 30 clients in a closed
loop for 15 s, the server in its own process. Gradio is not a cnnlab dependency:

    pip install "gradio>=6,<7" && python benchmarks/gradio_floor.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported

import gradio as gr
import httpx
import uvicorn
from fastapi import FastAPI

PORT, CLIENTS, SECONDS = 7999, 30, 15.0
BASE = f"http://127.0.0.1:{PORT}/lab/gradio_api/call/echo"


def serve() -> None:
    with gr.Blocks() as demo:
        box, out = gr.Textbox(), gr.Textbox()
        box.submit(lambda x: x, box, out, api_name="echo", concurrency_limit=None)
    app = FastAPI()
    gr.mount_gradio_app(app, demo, path="/lab")
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning")


def one(client: httpx.Client) -> float:
    """Seconds for one event: queue it, then read its result."""
    t0 = time.perf_counter()
    event = client.post(BASE, json={"data": ["hi"]}).json()["event_id"]
    answer = client.get(f"{BASE}/{event}")
    if "hi" not in answer.text:
        raise RuntimeError(f"unexpected answer: {answer.text[:200]}")
    return time.perf_counter() - t0


def load(stop: float, latencies: list[float]) -> None:
    with httpx.Client() as client:
        while time.perf_counter() < stop:
            latencies.append(one(client))


def main() -> None:
    server = subprocess.Popen([sys.executable, __file__, "serve"])
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{PORT}/lab/")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client() as client:
            alone = min(one(client) for _ in range(30))
        latencies: list[float] = []
        stop = time.perf_counter() + SECONDS
        threads = [threading.Thread(target=load, args=(stop, latencies)) for _ in range(CLIENTS)]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2], latencies[int(0.95 * len(latencies))]
    print(
        f"gradio {gr.__version__} no-op event: alone {1000 * alone:.1f} ms; {CLIENTS} clients: "
        f"{len(latencies) / wall:.1f} req/s, p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms"
    )


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else main()
