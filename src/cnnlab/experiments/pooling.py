"""The deck's pooling slide, measured: "reduce la dimensionalidad; en consecuencia reduce el
costo computacional y el overfitting".

One small CNN in three forms that differ only in how the picture gets smaller: max-pooling after
each convolution (``maxpool``), convolutions with stride 2 instead (``stride-2``), and neither
(``none``: stride 1, no pooling, so the dense head sees full-size maps). Each is trained on 1 %,
10 % and 100 % of the training images; a smaller share is repeated ``1 / share`` times, so every
run takes about the same number of optimizer steps. Measured per run: output sizes, parameters,
mult-adds, training seconds, and training and test accuracy, whose difference is the
overfitting gap.

>>> cfg = PoolingConfig(dataset="digits", seeds=(0,))
>>> result = pooling_study(cfg, "runs/pool")  # doctest: +SKIP
>>> result.gap("none", 0.01).mean > result.gap("maxpool", 0.01).mean  # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cnnlab import data
from cnnlab.errors import InvalidArgumentError
from cnnlab.experiments import measure as M
from cnnlab.experiments import study as S
from cnnlab.experiments.compare import Callback
from cnnlab.experiments.results import Stat, fraction_variant
from cnnlab.i18n import _
from cnnlab.models import summary
from cnnlab.models.layers import fmt_shape
from cnnlab.train import TrainConfig

#: the three forms of one CNN (8 then 16 channels of 3×3 kernels, padded), by how they shrink
ARMS = {
    "maxpool": "conv(8,3,padding=1) relu maxpool(2) conv(16,3,padding=1) relu maxpool(2) "
    "flatten dense",
    "stride-2": "conv(8,3,stride=2,padding=1) relu conv(16,3,stride=2,padding=1) relu "
    "flatten dense",
    "none": "conv(8,3,padding=1) relu conv(16,3,padding=1) relu flatten dense",
}


@dataclass(frozen=True)
class PoolingConfig:
    """The pooling study: data, shares of it, seeds and the one recipe every run shares."""

    dataset: str = "mnist"
    fractions: tuple[float, ...] = (0.01, 0.1, 1.0)  # shares of the training images
    seeds: tuple[int, ...] = (0, 1, 2)
    epochs: int = 2  # passes over all images (a share s is repeated 1 / s times)
    batch_size: int = 128
    lr: float = TrainConfig.lr
    device: str = "auto"
    threads: int | None = None
    data_dir: str | None = None

    def __post_init__(self) -> None:
        bad = [f for f in self.fractions if not 0.0 < f <= 1.0]
        if not self.fractions or bad:
            raise InvalidArgumentError(
                _(
                    "pooling fractions must be shares in (0, 1]; expected e.g. 0.01,0.1,1. "
                    "Received: {fractions}",
                    fractions=list(self.fractions),
                )
            )
        if not self.seeds or len(set(self.seeds)) != len(self.seeds):
            raise InvalidArgumentError(
                _(
                    "seeds must be distinct integers; expected e.g. 0,1,2. Received: {seeds}",
                    seeds=self.seeds,
                )
            )

    def train_config(self, spec: str, seed: int) -> TrainConfig:
        return TrainConfig(
            model=spec, dataset=self.dataset, epochs=self.epochs,
            batch_size=self.batch_size, lr=self.lr, seed=seed, device=self.device,
            threads=self.threads, data_dir=self.data_dir, val_fraction=0.0,
        )  # fmt: skip


@dataclass(frozen=True)
class Arm:
    """One form of the CNN: its spec and what its shapes cost."""

    name: str
    spec: str
    params: int
    mult_adds: int  # per image
    sizes: tuple[str, ...]  # output of each convolution or pooling layer, e.g. "8×14×14"
    head_inputs: int  # numbers the dense layer reads after flatten


@dataclass(frozen=True)
class PoolingResult:
    settings: dict[str, Any]
    dataset: str
    arms: tuple[Arm, ...]
    trials: tuple[S.Scored, ...]
    environment: dict[str, Any] = field(default_factory=dict)

    def arm(self, name: str) -> Arm:
        return next(a for a in self.arms if a.name == name)

    def gap(self, name: str, fraction: float) -> Stat:
        """Training minus test accuracy over seeds for one arm and share."""
        return self._stat(name, fraction, "gap")

    def test(self, name: str, fraction: float) -> Stat:
        return self._stat(name, fraction, "test_acc")

    def seconds(self, name: str, fraction: float | None = None) -> Stat:
        """Training seconds; by default on the largest share (every share takes about as many
        steps, so each costs about the same)."""
        share = max(self.settings["fractions"]) if fraction is None else fraction
        return self._stat(name, share, "seconds")

    def _stat(self, name: str, fraction: float, what: str) -> Stat:
        variant = fraction_variant(fraction)
        return S.stat(self.trials, lambda t: getattr(t, what), model=name, variant=variant)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PoolingResult:
        arms = tuple(Arm(**{**a, "sizes": tuple(a["sizes"])}) for a in d["arms"])
        trials = S.scored_from(d["trials"])
        return cls(d["settings"], d["dataset"], arms, trials, d.get("environment", {}))


def describe_arm(name: str, spec: str, input_shape: tuple[int, ...], k: int) -> Arm:
    """Parameters, mult-adds and the sizes after each convolution and pooling of one arm."""
    info = summary(spec, input_shape, k)
    shrinking = [r for r in info.rows if r.kind.startswith(("conv", "max"))]
    sizes = tuple(fmt_shape(r.output_shape) for r in shrinking)
    flat = next(r for r in info.rows if r.kind == "flatten").output_shape[0]
    return Arm(name, spec, info.total_params, info.total_mult_adds, sizes, flat)


def pooling_study(
    cfg: PoolingConfig,
    out: str | Path,
    callback: Callback | None = None,
    command: str | None = None,
) -> PoolingResult:
    """Train every arm × share × seed under ``out/runs`` (finished runs are read back)."""
    t0 = time.perf_counter()
    ds = data.load(cfg.dataset, data_dir=cfg.data_dir, val_fraction=0.0, seed=0)
    shares = {f: (ds if f >= 1.0 else M.subset_dataset(ds, f, repeat=True)) for f in cfg.fractions}
    arms = tuple(describe_arm(n, s, ds.input_shape, ds.num_classes) for n, s in ARMS.items())
    jobs = [
        S.Job(a.name, fraction_variant(f), seed, part, cfg.train_config(a.spec, seed),
              Path(out) / "runs" / a.name / fraction_variant(f) / f"seed-{seed}",
              len(part.train) // round(1 / f))
        for a in arms for f, part in shares.items() for seed in cfg.seeds
    ]  # fmt: skip
    trials = S.run_jobs(jobs, out, callback, command)
    settings = json.loads(json.dumps(asdict(cfg)))
    env = S.environment(cfg.device, time.perf_counter() - t0)
    return PoolingResult(settings, ds.name, arms, tuple(trials), env)
