"""The torch engine's optimizers, written out in NumPy: AdamW and SGD with Nesterov momentum.

The same updates as ``torch.optim.AdamW`` and ``torch.optim.SGD(nesterov=True)`` (weight decay
on weights only, not on biases and norm scales, as :func:`cnnlab.train.loop.make_optimizer`):

    AdamW:  p ← p·(1 − lr·wd);  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
            p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
    SGD:    d ← g + wd·p;  b ← μb + d (b = d at the first step);  p ← p − lr·(d + μb)

The learning rate (and the momentum or β₁ that one-cycle moves with it) of each step is read
from the torch engine's own scheduler (:func:`cnnlab.train.loop.make_scheduler`), driven over a
stand-in optimizer, so both engines follow the same schedule to the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from cnnlab.train.config import TrainConfig
from cnnlab.train.loop import make_optimizer, make_scheduler

EPS = 1e-8  # AdamW's ε, torch's default


@dataclass
class NumpyOptimizer:
    """AdamW or Nesterov SGD over named NumPy parameters, scheduled like the torch engine."""

    cfg: TrainConfig
    total_steps: int  # optimizer steps in the whole run (for the schedule)
    t: int = 0  # steps taken
    slots: dict[str, list[np.ndarray]] = field(default_factory=dict)  # name -> [m, v] or [buf]

    def __post_init__(self) -> None:
        # weight (1×1, decayed) and bias (not decayed): the two parameter groups of make_optimizer
        self._stand_in = make_optimizer(torch.nn.Linear(1, 1), self.cfg)
        self._scheduler = make_scheduler(self._stand_in, self.cfg, self.total_steps)

    def hyper(self, decayed: bool) -> dict:
        """This step's lr, weight decay and betas/momentum for a decayed or undecayed parameter."""
        return self._stand_in.param_groups[0 if decayed else 1]

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Update every parameter in ``grads`` in place, then advance the schedule."""
        self.t += 1
        for name, g in grads.items():
            p = params[name]
            group = self.hyper(p.ndim > 1)
            if self.cfg.optimizer == "sgd":
                self._sgd(name, p, g.astype(p.dtype, copy=False), group)
            else:
                self._adamw(name, p, g.astype(p.dtype, copy=False), group)
        self._stand_in.step()  # no gradients: changes nothing, keeps the scheduler's order
        self._scheduler.step()

    def _adamw(self, name: str, p: np.ndarray, g: np.ndarray, group: dict) -> None:
        lr, wd, (beta1, beta2) = group["lr"], group["weight_decay"], group["betas"]
        m, v = self.slots.setdefault(name, [np.zeros_like(p), np.zeros_like(p)])
        if wd:
            p *= 1 - lr * wd
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        denom = np.sqrt(v) / np.sqrt(1 - beta2**self.t) + EPS
        p -= (lr / (1 - beta1**self.t)) * m / denom

    def _sgd(self, name: str, p: np.ndarray, g: np.ndarray, group: dict) -> None:
        lr, wd, mu = group["lr"], group["weight_decay"], group["momentum"]
        d = g + wd * p if wd else g.copy()
        if name not in self.slots:
            self.slots[name] = [d.copy()]
        else:
            buf = self.slots[name][0]
            buf *= mu
            buf += d
        d += mu * self.slots[name][0]
        p -= lr * d
