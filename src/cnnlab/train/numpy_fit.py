"""The NumPy training engine: ``fit`` with ``engine="numpy"``, every derivative by hand.

The same run as the torch engine, step for step: the same initial weights (the torch model
built from the same seed, copied), the same batches (the same seeded permutation and shifts),
the same loss (cross-entropy with label smoothing), the same optimizer and schedule
(:mod:`cnnlab.train.numpy_optim`), the same run folder (``config.json``, ``metrics.jsonl``,
``model.safetensors``, so ``evaluate``, ``predict`` and the report read it as any run). Only
the arithmetic differs: forward and backward are :mod:`cnnlab.ops` functions chained by
:class:`cnnlab.train.numpy_net.NumpyNet`. CPU only, one process, no resume.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cnnlab import data, models, ops
from cnnlab.data import Dataset
from cnnlab.errors import InvalidArgumentError, TrainingError
from cnnlab.i18n import _
from cnnlab.train import checkpoint as ckpt
from cnnlab.train import record
from cnnlab.train.augment import random_shift
from cnnlab.train.config import TrainConfig
from cnnlab.train.loop import Callback, schedule_plan, steps_per_epoch
from cnnlab.train.numpy_net import NumpyNet
from cnnlab.train.numpy_optim import NumpyOptimizer
from cnnlab.train.run import Run, load_run


@dataclass
class Arrays:
    """A data set as float32 NumPy arrays in [0, 1] and its per-channel normalization."""

    x_train: np.ndarray  # (N, C, H, W) or (N, C, L)
    y_train: np.ndarray  # (N,) int64
    evals: dict[str, tuple[np.ndarray, np.ndarray]]  # "val"/"test" -> (x, y)
    mean: np.ndarray  # (1, C, 1, 1) or (1, C, 1)
    std: np.ndarray


def to_arrays(ds: Dataset) -> Arrays:
    """The splits of a cnnlab Dataset as the engine reads them."""
    x = np.asarray(ds.train.x, dtype=np.float32)
    view = (1, -1) + (1,) * (x.ndim - 2)
    evals = {}
    for name in ("val", "test"):
        split = getattr(ds, name, None)
        if split is not None and len(split.y) > 0:
            evals[name] = (np.asarray(split.x, np.float32), np.asarray(split.y, np.int64))
    return Arrays(
        x_train=x,
        y_train=np.asarray(ds.train.y, dtype=np.int64),
        evals=evals,
        mean=np.asarray(ds.mean, dtype=np.float32).reshape(view),
        std=np.asarray(ds.std, dtype=np.float32).reshape(view),
    )


def check_numpy_run(cfg: TrainConfig, resume: bool, nproc: int) -> None:
    """The NumPy engine trains on the CPU, in one process, from the start."""
    problems = [
        (cfg.device not in ("auto", "cpu"), f"device={cfg.device!r}", "--device cpu"),
        (resume, "resume=True", _("a new run")),
        (nproc > 1, f"nproc={nproc}", _("one process")),
    ]
    for bad, received, expected in problems:
        if bad:
            raise InvalidArgumentError(
                _(
                    "the numpy engine trains on the CPU in one process from the start; "
                    "expected {expected} (or --engine torch). Received: {received}",
                    expected=expected,
                    received=received,
                )
            )


def fit_numpy(
    cfg: TrainConfig,
    folder: Path,
    callback: Callback | None = None,
    command: str | None = None,
    given: Dataset | None = None,
) -> Run:
    """Train ``cfg`` with the NumPy engine into the run folder ``folder``; the :class:`Run`."""
    torch.manual_seed(cfg.seed)  # the torch engine's initial weights for this seed
    t0 = time.perf_counter()
    ds = given if given is not None else data.load(
        cfg.dataset, data_dir=cfg.data_dir, val_fraction=cfg.val_fraction, seed=cfg.seed,
        image_size=cfg.image_size, color=cfg.color)  # fmt: skip
    arrays = to_arrays(ds)
    model = models.build(cfg.model, tuple(ds.input_shape), int(ds.num_classes))
    net = NumpyNet.from_model(model, seed=cfg.seed)
    steps = steps_per_epoch(len(arrays.y_train), cfg.batch_size, 1)
    info = record.run_config(cfg, ds, model.spec, torch.device("cpu"), command, 1)
    info["data_seconds"] = time.perf_counter() - t0
    if given is not None:
        info["data_name"] = given.name
    name, warmup = schedule_plan(cfg, cfg.epochs * steps)
    info["schedule_used"] = {"schedule": name, "warmup": warmup, "steps": cfg.epochs * steps}
    opt = NumpyOptimizer(cfg, cfg.epochs * steps)
    record.write_config(folder, info, "running")
    emit = callback or (lambda _e, _i: None)
    emit("start", {"config": info, "epochs": cfg.epochs, "start_epoch": 0, "steps": steps})
    metrics: list[dict[str, Any]] = []
    try:
        _epochs(cfg, folder, net, opt, arrays, metrics, emit)
    except BaseException as exc:
        record.write_config(folder, info, "failed", metrics, error=f"{type(exc).__name__}: {exc}")
        raise
    record.write_config(folder, info, "complete", metrics)
    emit("end", {"metrics": metrics})
    return load_run(folder)


def _epochs(cfg, folder: Path, net: NumpyNet, opt: NumpyOptimizer, arrays: Arrays,
            metrics: list, emit: Callback) -> None:  # fmt: skip
    perm_gen = torch.Generator().manual_seed(cfg.seed)  # the torch engine's batch order
    aug_rng = np.random.default_rng(cfg.seed)  # and its shifts
    seconds = 0.0
    for epoch in range(1, cfg.epochs + 1):
        lr = opt.hyper(True)["lr"]
        stats = train_epoch(net, opt, arrays, cfg, (perm_gen, aug_rng), _reporter(emit, epoch))
        seconds += stats["epoch_seconds"]
        t_eval = time.perf_counter()
        row = {"epoch": epoch, "train_loss": stats["train_loss"], "train_acc": stats["train_acc"],
               **evaluate_all(net, arrays, cfg.eval_batch_size), "lr": lr, "seconds": seconds,
               "images_per_s": stats["images_per_s"]}  # fmt: skip
        row["eval_seconds"] = time.perf_counter() - t_eval
        metrics.append(row)
        ckpt.save_weights(folder / ckpt.WEIGHTS, net.to_torch())
        record.write_metrics(folder, metrics)
        emit("epoch", dict(row))
        acc = row.get(f"{cfg.target_split}_acc")
        if cfg.target_accuracy is not None and acc is not None and acc >= cfg.target_accuracy:
            break


def _reporter(emit: Callback, epoch: int):
    def on_step(step: int, steps: int, loss: float, acc: float, seen: int, t0: float) -> None:
        rate = seen / max(time.perf_counter() - t0, 1e-9)
        emit("step", {"epoch": epoch, "step": step, "steps": steps, "loss": loss, "acc": acc,
                      "images_per_s": rate})  # fmt: skip

    return on_step


def batch(arrays: Arrays, idx: np.ndarray, shift: int, rng: np.random.Generator) -> np.ndarray:
    """The normalized training images ``idx``, shifted as the torch engine shifts them."""
    x = arrays.x_train[idx]  # (B, C, H, W)
    if shift:
        x = random_shift(torch.from_numpy(x), shift, rng).numpy()
    return (x - arrays.mean) / arrays.std


def train_step(net: NumpyNet, opt: NumpyOptimizer, x: np.ndarray, y: np.ndarray,
               smoothing: float) -> tuple[float, np.ndarray]:  # fmt: skip
    """One optimizer step on the batch (x, y): the loss before the step and the logits."""
    net.training = True
    logits = net.forward(x)  # (B, K)
    loss = ops.cross_entropy(logits, y, smoothing)
    if not math.isfinite(loss):
        raise TrainingError(
            _(
                "the loss became {loss}; expected a finite loss. Lower the learning rate (--lr) "
                "or check the data. Received: loss={loss}",
                loss=loss,
            )
        )
    grads = net.backward(ops.softmax_cross_entropy_backward(logits, y, smoothing))
    opt.step(net.state, grads)
    return loss, logits


def train_epoch(net: NumpyNet, opt: NumpyOptimizer, arrays: Arrays, cfg: TrainConfig,
                rngs: tuple, on_step) -> dict[str, float]:  # fmt: skip
    """One pass over the training split in the torch engine's batch order."""
    perm_gen, aug_rng = rngs
    n = len(arrays.y_train)
    perm = torch.randperm(n, generator=perm_gen).numpy()
    steps = steps_per_epoch(n, cfg.batch_size, 1)
    loss_sum, correct, seen, start = 0.0, 0, 0, time.perf_counter()
    for step in range(steps):
        idx = perm[step * cfg.batch_size : (step + 1) * cfg.batch_size]
        xb, yb = batch(arrays, idx, cfg.augment_shift, aug_rng), arrays.y_train[idx]
        loss, logits = train_step(net, opt, xb, yb, cfg.label_smoothing)
        loss_sum += loss * len(yb)
        correct += int((logits.argmax(1) == yb).sum())
        seen += len(yb)
        on_step(step + 1, steps, loss_sum / seen, correct / seen, seen, start)
    seconds = time.perf_counter() - start
    return {"train_loss": loss_sum / seen, "train_acc": correct / seen, "epoch_seconds": seconds,
            "images_per_s": seen / seconds if seconds > 0 else 0.0}  # fmt: skip


def evaluate_all(net: NumpyNet, arrays: Arrays, batch_size: int) -> dict[str, Any]:
    """val/test loss and accuracy in evaluation mode (None where a split is missing)."""
    net.training = False
    out: dict[str, Any] = {}
    for name in ("val", "test"):
        out[f"{name}_loss"] = out[f"{name}_acc"] = None
        if name in arrays.evals:
            x, y = arrays.evals[name]
            loss_sum, correct = 0.0, 0
            for i in range(0, len(y), batch_size):
                logits = net.forward((x[i : i + batch_size] - arrays.mean) / arrays.std)
                loss_sum += ops.cross_entropy(logits, y[i : i + batch_size]) * len(logits)
                correct += int((logits.argmax(1) == y[i : i + batch_size]).sum())
            out[f"{name}_loss"], out[f"{name}_acc"] = loss_sum / len(y), correct / len(y)
    net.steps = []
    return out
