"""Fixtures for the browser lab's tests: one tiny run on the 8×8 digits, Gradio kept offline."""

from __future__ import annotations

import os

import pytest

#: a tiny CNN for the 8×8 digits: a few seconds of training, far above chance
WEB_CNN = "conv(8,3,padding=same) relu maxpool(2) flatten dense"


@pytest.fixture(scope="session", autouse=True)
def gradio_offline(tmp_path_factory):
    """No analytics, no hub, temporary files in a folder of their own."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["GRADIO_TEMP_DIR"] = str(tmp_path_factory.mktemp("gradio"))


@pytest.fixture(scope="session")
def web_run(tmp_path_factory):
    """WEB_CNN trained on digits for 6 epochs, seed 0."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("web") / "digits-run"
    config = TrainConfig(model=WEB_CNN, dataset="digits", epochs=6, seed=0, threads=1)
    return fit(config, out=folder)
