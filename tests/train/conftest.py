"""Shared fixtures for training tests: small runs on the shipped digits data (8×8)."""

from __future__ import annotations

import pytest

from cnnlab.train import TrainConfig, fit

#: a tiny CNN for 8×8 digits: trains in about a second on 2 cores
TINY = "conv(8,3,padding=same) batchnorm relu maxpool(2) flatten dense"


def tiny_config(**changes) -> TrainConfig:
    base = dict(
        model=TINY,
        dataset="digits",
        epochs=3,
        batch_size=128,
        lr=0.02,
        seed=0,
        device="cpu",
        threads=1,
    )
    base.update(changes)
    return TrainConfig(**base)


@pytest.fixture
def make_config():
    """Factory for a TrainConfig of the tiny CNN on digits (overrides as keyword arguments)."""
    return tiny_config


@pytest.fixture(scope="session")
def digits_run(tmp_path_factory):
    """small-cnn trained on digits for 8 epochs (about 95% test accuracy)."""
    out = tmp_path_factory.mktemp("runs") / "digits"
    return fit(tiny_config(model="small-cnn", epochs=8, lr=0.02), out=out)
