"""What a comparison measured: one :class:`Trial` per trained run, summaries per model.

Spread over seeds is the sample standard deviation (``ddof=1``); with one seed it is 0.
Example: accuracies 0.96 and 0.98 give mean 0.97 and std 0.01414.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ORIGINAL = "original"  # the data as it comes
PERMUTED = "permuted"  # every image's pixels reordered by one fixed permutation (train and test)


def fraction_variant(fraction: float) -> str:
    """Variant name of a training subset: ``fraction_variant(0.1) == "train-10%"``."""
    return f"train-{fraction * 100:g}%"


@dataclass(frozen=True)
class Stat:
    """Mean and sample standard deviation of per-seed values."""

    mean: float
    std: float
    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        """``Stat.of([0.96, 0.98])`` → mean 0.97, std 0.0141 (ddof=1)."""
        vals = tuple(float(v) for v in values)
        if not vals:
            return cls(math.nan, math.nan, ())
        mean = sum(vals) / len(vals)
        if len(vals) < 2:
            return cls(mean, 0.0, vals)
        var = sum((v - mean) ** 2 for v in vals) / (len(vals) - 1)
        return cls(mean, math.sqrt(var), vals)


@dataclass(frozen=True)
class Trial:
    """One trained run: a model, a data variant and a seed."""

    model: str  # as given (preset name or spec)
    variant: str  # ORIGINAL, PERMUTED or fraction_variant(f)
    seed: int
    test_acc: float  # on the variant's own test images (permuted ones for PERMUTED)
    train_seconds: float  # forward, backward and optimizer steps only (from metrics.jsonl)
    n_train: int  # training images used
    run: str  # run folder, relative to the comparison's folder
    shift_acc: tuple[float, ...] | None = None  # accuracy at shift 0, 1, ... (ORIGINAL only)
    reused: bool = False  # True when a finished run folder was read back instead of trained


@dataclass(frozen=True)
class GrowthPoint:
    """Parameters of a model built for a larger input (side ``size``); None if it cannot be."""

    size: int
    params: int | None


@dataclass(frozen=True)
class ModelSummary:
    """Everything measured for one model, over all seeds."""

    model: str
    spec: str  # expanded spec for this data set
    has_conv: bool
    params: int
    accuracy: Stat  # original test images
    train_seconds: Stat
    permuted: Stat | None  # trained and tested on permuted pixels
    shift: tuple[Stat, ...]  # accuracy at shift 0, 1, ..., max_shift pixels
    fractions: dict[str, Stat] = field(default_factory=dict)  # variant name -> accuracy
    growth: tuple[GrowthPoint, ...] = ()

    @property
    def permutation_change(self) -> float | None:
        """Permuted minus original mean accuracy (negative: permutation hurt)."""
        return None if self.permuted is None else self.permuted.mean - self.accuracy.mean


@dataclass(frozen=True)
class CompareResult:
    """A whole comparison: the settings, the data, every trial and per-model summaries."""

    settings: dict[str, Any]
    dataset: str
    kind: str  # "image" or "sequence"
    input_shape: tuple[int, ...]
    n_train: int
    n_test: int
    shifts: tuple[int, ...]  # 0 .. max_shift
    directions: tuple[tuple[int, int], ...]  # (dy, dx) unit moves averaged at each shift
    models: tuple[ModelSummary, ...]
    trials: tuple[Trial, ...]
    environment: dict[str, Any]  # versions, hardware, start time, total seconds

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CompareResult:
        """A result back from :meth:`to_dict`'s JSON (results.json)."""
        models = tuple(_summary_from(m) for m in d["models"])
        trials = tuple(
            Trial(
                **{**t, "shift_acc": None if t.get("shift_acc") is None else tuple(t["shift_acc"])}
            )
            for t in d["trials"]
        )
        return cls(
            settings=d["settings"], dataset=d["dataset"], kind=d["kind"],
            input_shape=tuple(d["input_shape"]), n_train=d["n_train"], n_test=d["n_test"],
            shifts=tuple(d["shifts"]), directions=tuple(tuple(v) for v in d["directions"]),
            models=models, trials=trials, environment=d.get("environment", {}),
        )  # fmt: skip

    def model(self, name: str) -> ModelSummary:
        """The summary of model ``name`` (KeyError if it was not compared)."""
        for m in self.models:
            if m.model == name:
                return m
        raise KeyError(name)


def _stat_from(d: dict[str, Any] | None) -> Stat | None:
    return None if d is None else Stat(d["mean"], d["std"], tuple(d["values"]))


def _summary_from(m: dict[str, Any]) -> ModelSummary:
    return dataclasses.replace(
        ModelSummary(**{**m, "growth": ()}),
        accuracy=_stat_from(m["accuracy"]),
        train_seconds=_stat_from(m["train_seconds"]),
        permuted=_stat_from(m["permuted"]),
        shift=tuple(_stat_from(s) for s in m["shift"]),
        fractions={k: _stat_from(v) for k, v in m.get("fractions", {}).items()},
        growth=tuple(GrowthPoint(**g) for g in m.get("growth", ())),
    )


def summarize_trials(trials: Sequence[Trial], model: str, variant: str) -> list[Trial]:
    """The trials of one model and variant, in seed order."""
    return sorted((t for t in trials if t.model == model and t.variant == variant), key=_seed)


def shift_stats(trials: Sequence[Trial]) -> tuple[Stat, ...]:
    """Per-shift accuracy statistics over the trials' ``shift_acc`` curves."""
    curves = [t.shift_acc for t in trials if t.shift_acc is not None]
    if not curves:
        return ()
    return tuple(Stat.of([c[s] for c in curves]) for s in range(len(curves[0])))


def _seed(trial: Trial) -> int:
    return trial.seed
