"""Fixtures for text: the shipped sample of the languages data set and a small run on it."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent / "sample"
#: a small character CNN: fast to train on the sample, far above chance (1/6)
TEXT_CNN = "embedding(8) conv1d(24,3,padding=1) relu globalmaxpool dense"


@pytest.fixture(scope="session")
def sample_dataset() -> str:
    """``textfolder:`` name of 50 real sentences per language (tests/text/sample/README.md)."""
    return f"textfolder:{SAMPLE}"


@pytest.fixture(scope="session")
def text_run(tmp_path_factory, sample_dataset):
    """TEXT_CNN trained on the sample for 8 epochs, seed 0."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("text") / "sample-char-cnn"
    config = TrainConfig(model=TEXT_CNN, dataset=sample_dataset, epochs=8, batch_size=32,
                         lr=0.02, seed=0, threads=1)  # fmt: skip
    return fit(config, out=folder)


@pytest.fixture(scope="session")
def image_run(tmp_path_factory):
    """A tiny CNN on the 8×8 digits (one epoch): a run that is not a text run."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("text") / "digits-cnn"
    config = TrainConfig(model="conv(4,3) relu flatten dense", dataset="digits", epochs=1,
                         seed=0, threads=1)  # fmt: skip
    return fit(config, out=folder)
