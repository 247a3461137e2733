"""Turn everything resume needs into (tensors, JSON scalars) and back.

Saved: the epoch, model weights, optimizer state (tensors) and hyper-parameters (JSON),
scheduler state (JSON), the global torch RNG, the generator that draws batch order, the NumPy
generator that draws augmentation, and the metrics so far. Restoring all of them makes a run
resumed on CPU end with bit-identical weights to one that never stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from cnnlab.errors import CheckpointError
from cnnlab.i18n import _
from cnnlab.train.checkpoint import apply_weights


@dataclass
class Loop:
    """The mutable pieces of a training loop that a checkpoint captures."""

    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LRScheduler
    perm_gen: torch.Generator  # draws the batch order each epoch
    aug_rng: np.random.Generator  # draws augmentation shifts


def pack(loop: Loop, epoch: int, extra: dict[str, Any]) -> tuple[dict, dict]:
    """Return (tensors, scalars) describing ``loop`` after ``epoch`` finished epochs."""
    tensors = {f"model.{k}": v for k, v in _unwrap(loop.model).state_dict().items()}
    opt = loop.optimizer.state_dict()
    opt_scalars: dict[str, dict[str, Any]] = {}
    for idx, entry in opt["state"].items():
        for name, value in entry.items():
            if isinstance(value, torch.Tensor):
                tensors[f"optim.{idx}.{name}"] = value
            else:
                opt_scalars.setdefault(str(idx), {})[name] = value
    tensors["rng.torch"] = torch.get_rng_state()
    tensors["rng.perm"] = loop.perm_gen.get_state()
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        tensors["rng.cuda"] = torch.cuda.get_rng_state()
    scalars = {
        "epoch": epoch,
        "optimizer_groups": opt["param_groups"],
        "optimizer_scalars": opt_scalars,
        "scheduler": loop.scheduler.state_dict(),
        "numpy_rng": loop.aug_rng.bit_generator.state,
        **extra,
    }
    return tensors, scalars


def unpack(loop: Loop, tensors: dict[str, torch.Tensor], scalars: dict[str, Any]) -> int:
    """Restore ``loop`` from :func:`pack`'s output; return the number of finished epochs."""
    try:
        weights = {k[6:]: v for k, v in tensors.items() if k.startswith("model.")}
        apply_weights(_unwrap(loop.model), weights, "the resume state")
        state: dict[int, dict[str, Any]] = {}
        for key, value in tensors.items():
            if key.startswith("optim."):
                _prefix, idx, name = key.split(".", 2)
                state.setdefault(int(idx), {})[name] = value
        for idx, entry in scalars["optimizer_scalars"].items():
            state.setdefault(int(idx), {}).update(entry)
        loop.optimizer.load_state_dict(
            {"state": state, "param_groups": scalars["optimizer_groups"]}
        )
        loop.scheduler.load_state_dict(scalars["scheduler"])
        torch.set_rng_state(tensors["rng.torch"])
        loop.perm_gen.set_state(tensors["rng.perm"])
        if "rng.cuda" in tensors and torch.cuda.is_available():
            torch.cuda.set_rng_state(tensors["rng.cuda"])
        loop.aug_rng.bit_generator.state = scalars["numpy_rng"]
        return int(scalars["epoch"])
    except (KeyError, ValueError, TypeError, RuntimeError) as exc:
        raise CheckpointError(
            _(
                "the resume state does not fit this run; expected the optimizer, scheduler and "
                "RNG state written by cnnlab for the same settings. Received: {error}: {exc}",
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None


def _unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The plain module inside a DistributedDataParallel wrapper (or the module itself)."""
    return getattr(model, "module", model)
