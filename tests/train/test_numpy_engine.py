"""The NumPy training engine: the same losses as the torch engine, and a complete run folder."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from typer.testing import CliRunner

from cnnlab import data, models
from cnnlab.cli import app
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.train import TrainConfig, fit, load_run
from cnnlab.train.loop import make_optimizer, make_scheduler
from cnnlab.train.numpy_fit import train_step
from cnnlab.train.numpy_net import NumpyNet
from cnnlab.train.numpy_optim import NumpyOptimizer

#: every layer kind the engine trains, on 8×8 digits
SPEC = (
    "conv(6,3,padding=1) batchnorm relu maxpool(2) conv(8,3,padding=1) relu avgpool(2) "
    "flatten dense(16) batchnorm relu dense"
)
STEPS = 20


def batches(n_steps: int, size: int = 32):
    ds = data.load("digits")
    x = (ds.train.x.astype(np.float64) - ds.mean[0]) / ds.std[0]
    order = np.random.default_rng(0).permutation(len(x))
    for i in range(n_steps):
        idx = order[(i * size) % (len(x) - size) :][:size]
        yield x[idx], ds.train.y[idx].astype(np.int64)


def torch_losses(model, cfg: TrainConfig) -> list[float]:
    """The torch engine's step: its optimizer, its schedule, cross-entropy with smoothing."""
    opt = make_optimizer(model, cfg)
    sched = make_scheduler(opt, cfg, STEPS)
    model.train()
    losses = []
    for x, y in batches(STEPS):
        loss = F.cross_entropy(model(torch.tensor(x)), torch.tensor(y),
                               label_smoothing=cfg.label_smoothing)  # fmt: skip
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("optimizer, lr", [("adamw", 0.02), ("sgd", 0.05)])
def test_loss_curve_matches_the_torch_engine_for_20_steps_in_float64(optimizer, lr):
    cfg = TrainConfig(model=SPEC, optimizer=optimizer, lr=lr, weight_decay=5e-3)
    model = models.build(SPEC, (1, 8, 8), 10, seed=3).double()
    net = NumpyNet.from_model(model, dtype=np.float64)
    opt = NumpyOptimizer(cfg, STEPS)
    ours = [train_step(net, opt, x, y, cfg.label_smoothing)[0] for x, y in batches(STEPS)]
    theirs = torch_losses(model, cfg)
    assert ours[-1] < ours[0] - 0.3  # it learns
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-4)
    for name, value in model.state_dict().items():  # and ends with the same weights
        np.testing.assert_allclose(net.state[name], value.numpy(), rtol=0, atol=1e-6)


def test_fit_numpy_writes_a_run_that_loads_and_predicts(tmp_path):
    cfg = TrainConfig(model="conv(8,3,padding=same) batchnorm relu maxpool(2) flatten dense",
                      dataset="digits", epochs=2, batch_size=64, engine="numpy", lr=0.01,
                      val_fraction=0.1, seed=1)  # fmt: skip
    run = fit(cfg, out=tmp_path / "run")
    saved = json.loads((tmp_path / "run" / "config.json").read_text())
    assert saved["engine"] == "numpy" and saved["status"] == "complete"
    assert [m["epoch"] for m in run.metrics] == [1, 2]
    assert run.metrics[-1]["test_acc"] > 0.5 and run.metrics[-1]["val_acc"] is not None
    probs = load_run(tmp_path / "run").predict(data.load("digits").test.x[:5])
    assert probs.shape == (5, 10)


def test_fit_numpy_follows_the_torch_engine_on_the_same_seed(tmp_path):
    """One epoch of the same config: the same batches and weights give the same train loss."""
    common = dict(model="conv(4,3) relu flatten dense", dataset="digits", epochs=1,
                  batch_size=128, seed=2, augment_shift=1)  # fmt: skip
    runs = {e: fit(TrainConfig(**common, engine=e, threads=1), out=tmp_path / e)
            for e in ("torch", "numpy")}  # fmt: skip
    a, b = (runs[e].metrics[0] for e in ("torch", "numpy"))
    assert a["train_loss"] == pytest.approx(b["train_loss"], abs=1e-4)
    assert a["test_acc"] == pytest.approx(b["test_acc"], abs=0.01)


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(model="conv(4,3) tanh flatten dense"), "cannot train layer tanh1"),
        (dict(device="cuda"), "device='cuda'"),
    ],
)
def test_numpy_engine_refuses_what_it_cannot_do(tmp_path, changes, message):
    cfg = TrainConfig(**{"model": "conv(4,3) relu flatten dense", "dataset": "digits",
                         "engine": "numpy", **changes})  # fmt: skip
    with pytest.raises(InvalidArgumentError, match=message):
        fit(cfg, out=tmp_path / "run")
    with pytest.raises(CnnlabError, match="engine"):
        TrainConfig(engine="jax")


def test_cli_trains_with_the_numpy_engine(tmp_path):
    out = tmp_path / "run"
    args = ["train", "--engine", "numpy", "--model", "conv(4,3) relu flatten dense",
            "--dataset", "digits", "--epochs", "1", "--out", str(out), "--no-report"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert load_run(out).config["engine"] == "numpy"
    again = CliRunner().invoke(app, ["train", "--resume", "--out", str(out), "--no-report"])
    assert again.exit_code == 0 and "already complete" in again.output  # nothing to resume
    saved = json.loads((out / "config.json").read_text())
    (out / "config.json").write_text(json.dumps({**saved, "status": "failed"}))
    unfinished = CliRunner().invoke(app, ["train", "--resume", "--out", str(out), "--no-report"])
    assert unfinished.exit_code == 2 and "numpy engine" in unfinished.output
