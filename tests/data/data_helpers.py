"""Helpers for the data tests: IDX encoding, tiny MNIST-shaped sets, a local HTTP server."""

from __future__ import annotations

import gzip
import http.server
import struct
import threading

import numpy as np


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as an IDX file (the format's header, then the bytes)."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def small_mnist(n_train: int = 20, n_test: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """A tiny MNIST-shaped set: random 28×28 uint8 images, labels cycling 0..9."""
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % 10).astype(np.uint8),
    }


def idx_gz_files(arrays: dict[str, np.ndarray]) -> dict[str, bytes]:
    """The four ``.gz`` IDX files of ``arrays`` by file name."""
    from cnnlab.data.idxsets import KEYS, PARTS

    return {
        f"{part}.gz": gzip.compress(idx_bytes(arrays[key]), mtime=0)
        for key, part in zip(KEYS, PARTS, strict=True)
    }


class LocalServer:
    """Serves ``routes``: path -> (body, declared Content-Length or None for the true one)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, int | None]] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                if self.path not in routes:
                    self.send_error(404, "Not Found")
                    return
                body, declared = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Length", str(declared or len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def add(self, path: str, body: bytes, declared: int | None = None) -> str:
        self.routes[path] = (body, declared)
        return self.url + path
