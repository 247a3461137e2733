"""Fixtures for the data tests: a private cache folder and a local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from data_helpers import LocalServer


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every data test gets its own empty cache folder (never the user's)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CNNLAB_CACHE", str(folder))
    return folder


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)
