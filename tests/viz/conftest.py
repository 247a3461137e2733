"""Fixtures for the figure, animation and report tests: one small trained run, Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


#: the classic teaching CNN: two 3×3 conv blocks with max-pooling, so every figure (pooling
#: windows, feature maps at full resolution, Grad-CAM) has a layer to show
POOL_CNN = (
    "conv(16,3,padding=same) batchnorm relu maxpool(2) "
    "conv(32,3,padding=same) batchnorm relu maxpool(2) flatten dense"
)


@pytest.fixture(scope="session")
def digits_run(tmp_path_factory):
    """A real run: POOL_CNN trained on the 8×8 digits for 4 epochs (a few seconds)."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("viz") / "digits-run"
    return fit(TrainConfig(model=POOL_CNN, dataset="digits", epochs=4, seed=0), out=folder)


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
