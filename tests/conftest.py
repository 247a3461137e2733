"""Shared test settings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# `make test` draws 50 cases per property (every op still meets dozens of shapes); `make
# test-slow` (CI runs both) draws 300, enough to matter for each op.
settings.register_profile("thorough", max_examples=300, deadline=None, derandomize=True)
settings.register_profile("quick", max_examples=50, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


_DECK_NAME = "seeds/000_c548c9e84a07c77b.txt"
_DECK_PLACES = (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))


@pytest.fixture(scope="session")
def deck_text() -> str:
    """The teaching deck's text (from the shared folder beside the checkout), or skip."""
    for folder in _DECK_PLACES:
        path = folder / _DECK_NAME
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("the teaching deck's text is not on this machine")


CHROMIUM = "/usr/bin/chromium"
#: flags for headless Chromium in tests: no sandbox (root in containers), no network of its own
_BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _install_chromium() -> str | None:
    """Install Debian's Chromium when missing (root only); return why not, or None."""
    if Path(CHROMIUM).exists():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "Chromium is missing and cannot be installed here (needs root and apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    script = f"test -x {CHROMIUM} || (apt-get update && apt-get install -y chromium)"
    # one installer at a time: pytest-xdist workers may get here together
    cmd = ["flock", "/tmp/cnnlab-chromium-install.lock", "sh", "-c", script]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        return f"installing Chromium failed: {done.stderr.strip()[-300:]}"
    return None if Path(CHROMIUM).exists() else "apt-get installed no /usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium, installed from Debian when missing."""
    reason = _install_chromium()
    if reason:
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_args() -> list[str]:
    """Command-line flags for launching that Chromium headless from Playwright."""
    return list(_BROWSER_ARGS)
