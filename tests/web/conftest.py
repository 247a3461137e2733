"""Fixtures for the browser lab's tests: a tiny CNN and a tiny MLP trained on the 8×8 digits."""

from __future__ import annotations

import pytest

#: a tiny CNN for the 8×8 digits: a few seconds of training, far above chance
WEB_CNN = "conv(8,3,padding=same) relu maxpool(2) flatten dense"


@pytest.fixture(scope="session")
def web_run(tmp_path_factory):
    """WEB_CNN trained on digits for 6 epochs, seed 0."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("web") / "digits-run"
    config = TrainConfig(model=WEB_CNN, dataset="digits", epochs=6, seed=0, threads=1)
    return fit(config, out=folder)


@pytest.fixture(scope="session")
def web_mlp(tmp_path_factory):
    """An MLP on the same digits, same recipe: the Draw tab's second column."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("web") / "digits-mlp"
    config = TrainConfig(model="mlp", dataset="digits", epochs=6, seed=0, threads=1)
    return fit(config, out=folder)


#: a tiny conditional VAE for the 8×8 digits (the Generate tab's model in the tests)
WEB_GEN = "flatten label dense(64) relu latent(4) dense(64) relu dense(64) sigmoid reshape(1,8,8)"


@pytest.fixture(scope="session")
def web_gen(tmp_path_factory):
    """WEB_GEN trained on digits for 3 epochs, seed 0."""
    from cnnlab.train import TrainConfig, fit

    folder = tmp_path_factory.mktemp("web") / "digits-vae"
    config = TrainConfig(model=WEB_GEN, dataset="digits", epochs=3, lr=0.01, seed=0, threads=1)
    return fit(config, out=folder)
