"""The training loop over preloaded tensors.

The whole data set lives on the device as one tensor; each epoch draws a permutation from a
seeded generator and slices batches out of it, so the hot path has no per-sample Python work.
One step: gather a batch, shift it (optional, whole batch at once), normalize, forward, loss,
check the loss is finite, backward, optimizer step, scheduler step. After each epoch: evaluate,
checkpoint, append metrics, maybe stop at the target accuracy.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cnnlab.errors import TrainingError
from cnnlab.i18n import _
from cnnlab.train import distributed as D
from cnnlab.train.augment import random_shift
from cnnlab.train.config import TrainConfig
from cnnlab.train.objectives import batch_loss, summed_loss
from cnnlab.train.state import Loop

#: ``callback(event, info)``; events: "start", "step", "epoch", "end". Called on rank 0 only.
Callback = Callable[[str, dict[str, Any]], None]


@dataclass
class Tensors:
    """A data set on the device: raw images in [0, 1] and the normalization constants."""

    x_train: torch.Tensor  # (N, C, H, W) or (N, C, L), float32 in [0, 1]
    y_train: torch.Tensor  # (N,) int64
    evals: dict[str, tuple[torch.Tensor, torch.Tensor]]  # "val"/"test" -> (x, y)
    mean: torch.Tensor  # (1, C, 1, 1) or (1, C, 1)
    std: torch.Tensor
    channels_last: bool


def to_tensors(ds: Any, device: torch.device, channels_last: bool | None) -> Tensors:
    """Move a cnnlab Dataset's splits to ``device`` once."""
    x = torch.as_tensor(ds.train.x, dtype=torch.float32)
    ndim = x.dim()
    view = (1, -1) + (1,) * (ndim - 2)
    evals = {}
    for name in ("val", "test"):
        split = getattr(ds, name, None)
        if split is not None and len(split.y) > 0:
            evals[name] = (
                torch.as_tensor(split.x, dtype=torch.float32).to(device),
                torch.as_tensor(split.y, dtype=torch.int64).to(device),
            )
    return Tensors(
        x_train=x.to(device),
        y_train=torch.as_tensor(ds.train.y, dtype=torch.int64).to(device),
        evals=evals,
        mean=torch.as_tensor(np.asarray(ds.mean, dtype=np.float32)).view(view).to(device),
        std=torch.as_tensor(np.asarray(ds.std, dtype=np.float32)).view(view).to(device),
        channels_last=(ndim == 4) if channels_last is None else (channels_last and ndim == 4),
    )


def normalize(x: torch.Tensor, data: Tensors) -> torch.Tensor:
    """(x - mean) / std per channel, in the memory layout the model runs fastest with."""
    x = (x - data.mean) / data.std
    return x.contiguous(memory_format=torch.channels_last) if data.channels_last else x


def make_optimizer(model: torch.nn.Module, cfg: TrainConfig) -> torch.optim.Optimizer:
    """AdamW or SGD with Nesterov momentum; no weight decay on biases and norm scales."""
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() <= 1]
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(groups, lr=cfg.lr, momentum=cfg.momentum, nesterov=True)
    return torch.optim.AdamW(groups, lr=cfg.lr)


def schedule_plan(cfg: TrainConfig, total_steps: int) -> tuple[str, float]:
    """The schedule a run of ``total_steps`` optimizer steps really uses, and its warm-up fraction.

    One-cycle needs a rising phase of at least 2 steps (from lr/25 at step 0 to lr at step 1) and
    a falling phase of at least 1 step, so at least 3 steps: a shorter warm-up is stretched to 2
    steps, and a run of 1 or 2 steps falls back to cosine. For example 4 steps with warm-up 0.25
    (1 step) use warm-up 0.5; 2 steps use cosine. fit records the plan in config.json.
    """
    if cfg.schedule != "onecycle":
        return cfg.schedule, 0.0
    if total_steps < 3:
        return "cosine", 0.0
    if 0 < cfg.warmup * total_steps < 2:
        return "onecycle", 2 / total_steps
    return "onecycle", cfg.warmup


def make_scheduler(
    opt: torch.optim.Optimizer, cfg: TrainConfig, total_steps: int
) -> torch.optim.lr_scheduler.LRScheduler:
    """One-cycle (rise for ``warmup`` of the steps, then cosine down), cosine, or constant.

    Short runs follow :func:`schedule_plan`, so any number of steps >= 1 works.
    """
    total_steps = max(total_steps, 1)
    name, warmup = schedule_plan(cfg, total_steps)
    if name == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=cfg.lr, total_steps=total_steps, pct_start=warmup
        )
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps)
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda _step: 1.0)


def steps_per_epoch(n: int, batch_size: int, world: int) -> int:
    """Batches per epoch; a last partial batch too small to share between ranks is dropped."""
    full, rest = divmod(n - n % world, batch_size)
    return full + (1 if rest >= 2 * world else 0) or 1


def train_epoch(
    loop: Loop, data: Tensors, cfg: TrainConfig, ctx: D.DistContext, on_step: Callable | None
) -> dict[str, float]:
    """One pass over the training split; returns loss, accuracy, seconds and images/s."""
    loop.model.train()
    n = data.x_train.shape[0]
    perm = torch.randperm(n, generator=loop.perm_gen).to(data.x_train.device)
    steps = steps_per_epoch(n, cfg.batch_size, ctx.world)
    loss_sum, seen = 0.0, 0
    correct: torch.Tensor | None = torch.zeros((), device=data.x_train.device)
    start = time.perf_counter()
    for step in range(steps):
        idx = perm[step * cfg.batch_size : (step + 1) * cfg.batch_size][ctx.rank :: ctx.world]
        xb, yb = data.x_train[idx], data.y_train[idx]  # (B, C, H, W), (B,)
        if cfg.augment_shift:
            xb = random_shift(xb, cfg.augment_shift, loop.aug_rng)
        loss, hits = batch_loss(loop.model, normalize(xb, data), xb, yb, cfg.label_smoothing)
        value = _checked_loss(loss, ctx, data.x_train.device, step)
        loop.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        loop.optimizer.step()
        loop.scheduler.step()
        loss_sum += value * len(yb)
        correct = correct + hits if hits is not None else None
        seen += len(yb)
        if on_step is not None:
            acc = float(correct) / seen if correct is not None else None
            on_step(step + 1, steps, loss_sum / seen, acc, seen, start)
    seconds = time.perf_counter() - start
    right = float(correct) if correct is not None else 0.0
    loss_sum, n_correct, seen = D.all_sum([loss_sum, right, float(seen)], perm.device)
    return {
        "train_loss": loss_sum / seen,
        "train_acc": n_correct / seen if correct is not None else None,
        "epoch_seconds": seconds,
        "images_per_s": seen / seconds if seconds > 0 else 0.0,
    }


def _checked_loss(loss: torch.Tensor, ctx: D.DistContext, device: torch.device, step: int) -> float:
    """The loss as a float; TrainingError at once if it is NaN or infinite (on every rank)."""
    value = loss.item()
    if ctx.world > 1:  # all ranks must stop together, or the others would wait forever
        value = D.all_sum([value], device)[0] / ctx.world  # the mean over ranks
    if not math.isfinite(value):
        raise TrainingError(
            _(
                "the loss became {value} at step {step}; expected a finite loss. Lower the "
                "learning rate (--lr) or check the data. The checkpoint of the last finished "
                "epoch (if any) is kept. Received: loss={value}",
                value=value,
                step=step + 1,
            )
        )
    return value


@torch.inference_mode()
def evaluate_split(
    model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, data: Tensors, batch: int
) -> tuple[float, float | None]:
    """Mean loss and accuracy of ``model`` on (x, y), in eval mode: cross-entropy, or for a
    generative model its negative ELBO (with the code's mean) and accuracy None."""
    model.eval()
    loss_sum, correct = 0.0, 0
    for i in range(0, x.shape[0], batch):
        xb, yb = x[i : i + batch], y[i : i + batch]
        part, hits = summed_loss(model, normalize(xb, data), xb, yb)
        loss_sum += part
        correct = correct + hits if hits is not None and correct is not None else None
    n = max(x.shape[0], 1)
    return loss_sum / n, (correct / n if correct is not None else None)


def evaluate_all(model: torch.nn.Module, data: Tensors, cfg: TrainConfig) -> dict[str, Any]:
    """val_loss/val_acc/test_loss/test_acc (None where the split is missing)."""
    out: dict[str, Any] = {}
    for name in ("val", "test"):
        if name in data.evals:
            x, y = data.evals[name]
            out[f"{name}_loss"], out[f"{name}_acc"] = evaluate_split(
                model, x, y, data, cfg.eval_batch_size
            )
        else:
            out[f"{name}_loss"] = out[f"{name}_acc"] = None
    return out


def out_path(out: str | Path | None, cfg: TrainConfig) -> Path:
    """The run folder: ``out`` or ``runs/<dataset>-<model>`` for a preset name."""
    if out is not None:
        return Path(out)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{cfg.dataset}-{cfg.model}")
    return Path("runs") / safe[:60]
