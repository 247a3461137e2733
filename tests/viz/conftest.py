"""Fixtures for the figure, animation and report tests: one small trained run (Chromium comes
from tests/conftest.py)."""

from __future__ import annotations

import pytest

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
