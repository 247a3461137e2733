"""A tiny generator and a tiny judge on the 8×8 digits: seconds of training, shared by the tests."""

from __future__ import annotations

import pytest

#: a dense conditional VAE for 8×8 digits (the presets are for 28×28)
TINY_GEN = "flatten dense(64) relu latent(4) dense(64) relu dense(64) sigmoid reshape(1,8,8)"


@pytest.fixture(scope="session")
def gen_run(tmp_path_factory):
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("gen") / "digits-vae"
    return fit(TrainConfig(model=TINY_GEN, dataset="digits", epochs=3, lr=0.01, threads=1),
               out=folder)  # fmt: skip


@pytest.fixture(scope="session")
def judge_run(tmp_path_factory):
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("gen") / "digits-judge"
    return fit(TrainConfig(model="flatten dense(32) relu dense", dataset="digits", epochs=6,
                           threads=1), out=folder)  # fmt: skip
