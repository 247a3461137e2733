"""The three studies behind the walk-through page, run (or read back) with one set of settings.

``quick`` keeps every study small (one seed, one epoch; about a minute of training on two
cores); the full version uses three seeds and more epochs. Each study writes its runs and a
``results.json`` under ``OUT/studies`` (``OUT/studies-quick`` for the quick version); a second
``cnnlab deck`` with the same settings reads them back instead of training again.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnlab import data
from cnnlab.errors import InvalidArgumentError
from cnnlab.experiments import CompareConfig, CompareResult, compare
from cnnlab.experiments.pooling import PoolingConfig, PoolingResult, pooling_study
from cnnlab.experiments.results import ModelSummary, Stat, fraction_variant
from cnnlab.experiments.tabular import TabularConfig, TabularResult, tabular_study
from cnnlab.fileio import atomic_write_json
from cnnlab.i18n import _
from cnnlab.models import summary
from cnnlab.models.summary import Summary

IMAGE_SETS = ("mnist", "fashion-mnist", "digits")  # digits: 8×8, small and fast, for a first try
Progress = Callable[[str, dict[str, Any]], None]  # (event, info) as the studies emit them


@dataclass(frozen=True)
class DeckConfig:
    """What ``cnnlab deck`` computes and where."""

    quick: bool = False
    dataset: str = "mnist"  # the images of every study (tests use the small "digits")
    lang: str | None = None
    out: str = "runs/deck"
    device: str = "auto"
    threads: int | None = None
    data_dir: str | None = None
    both_languages: bool = False  # also the page in the other language, from the same studies

    def __post_init__(self) -> None:
        if not isinstance(self.out, str) or not self.out.strip():
            raise InvalidArgumentError(
                _("the deck needs an output folder. Received: {out!r}", out=self.out)
            )
        if self.dataset not in IMAGE_SETS:
            raise InvalidArgumentError(
                _(
                    "the deck's studies need 28×28-style images; expected one of {known}. "
                    "Received: dataset={dataset!r}",
                    known=", ".join(IMAGE_SETS),
                    dataset=self.dataset,
                )
            )

    @property
    def studies_dir(self) -> Path:
        return Path(self.out) / ("studies-quick" if self.quick else "studies")

    def compare_config(self) -> CompareConfig:
        # quick: one seed, one epoch in batches of 512 (half the steps of the full recipe's 256)
        seeds, epochs, batch = ((0,), 1, 512) if self.quick else ((0, 1, 2), 2, 256)
        return CompareConfig(
            dataset=self.dataset, models=("mlp", "small-cnn"), epochs=epochs, seeds=seeds,
            fractions=(0.01, 0.1), same_steps=True, batch_size=batch, lr=0.02 * batch / 256,
            max_shift=2 if self.quick else 4,
            device=self.device, threads=self.threads, data_dir=self.data_dir,
        )  # fmt: skip

    def pooling_config(self) -> PoolingConfig:
        # quick: one seed, batches of 512, and 1 % and 10 % only (each share takes the same steps)
        seeds, epochs, batch = ((0,), 1, 512) if self.quick else ((0, 1, 2), 2, 128)
        shares = (0.01, 0.1) if self.quick else (0.01, 0.1, 1.0)
        return PoolingConfig(dataset=self.dataset, fractions=shares, seeds=seeds, epochs=epochs,
                             batch_size=batch,
                             lr=0.02 * batch / 128, device=self.device, threads=self.threads,
                             data_dir=self.data_dir)  # fmt: skip

    def tabular_config(self) -> TabularConfig:
        seeds = (0,) if self.quick else (0, 1, 2, 3, 4)
        return TabularConfig(seeds=seeds, device=self.device, threads=self.threads)


@dataclass(frozen=True)
class Studies:
    """The compare, pooling and tabular results, with the shortcuts the page and verdicts use."""

    compare: CompareResult
    pooling: PoolingResult
    tabular: TabularResult
    folder: Path
    data_dir: str | None = None

    @property
    def mlp(self) -> ModelSummary:
        return next(m for m in self.compare.models if not m.has_conv)

    @property
    def cnn(self) -> ModelSummary:
        return next(m for m in self.compare.models if m.has_conv)

    @property
    def mlp_info(self) -> Summary:
        return summary(self.mlp.spec, self.compare.input_shape, 10)

    @property
    def cnn_info(self) -> Summary:
        return summary(self.cnn.spec, self.compare.input_shape, 10)

    @property
    def mlp_first(self) -> int:
        """Weights of the MLP's first dense layer (every pixel to every neuron)."""
        return next(r.params for r in self.mlp_info.rows if r.kind == "dense")

    def data_size(self) -> list[tuple[float, Stat, Stat]]:
        """(share, MLP accuracy, CNN accuracy) from the smallest share to all the images."""
        shares = sorted(self.compare.settings["fractions"])
        names = [(f, fraction_variant(f)) for f in shares]
        rows = [(f, self.mlp.fractions[v], self.cnn.fractions[v]) for f, v in names]
        return [*rows, (1.0, self.mlp.accuracy, self.cnn.accuracy)]

    @functools.cached_property
    def example_image(self) -> np.ndarray:
        """The first test image (C, H, W) in [0, 1]: every figure of a network shows it."""
        ds = data.load(self.compare.settings["dataset"], data_dir=self.data_dir, val_fraction=0.0)
        return ds.test.x[0]

    def run_folder(self, study: str, relative: str) -> Path:
        return self.folder / study / relative


STUDIES = ("compare", "pooling", "tabular")


#: settings that change how fast a study runs, not what it finds
_SPEED_ONLY = ("threads",)


def _cached(path: Path, settings: dict[str, Any]) -> dict[str, Any] | None:
    """The results.json at ``path`` if it was made with ``settings`` (speed aside), else None."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    drop = lambda d: {k: v for k, v in d.items() if k not in _SPEED_ONLY}  # noqa: E731
    return found if drop(found.get("settings", {})) == drop(settings) else None


def _one(name: str, cfg: DeckConfig, progress: Progress) -> Any:
    folder = cfg.studies_dir / name
    conf = getattr(cfg, f"{name}_config")()
    settings = json.loads(json.dumps(dataclasses.asdict(conf)))
    if name == "compare":
        settings["models"] = list(conf.models)
    kind = {"compare": CompareResult, "pooling": PoolingResult, "tabular": TabularResult}[name]
    found = _cached(folder / "results.json", settings)
    if found is not None:
        return kind.from_dict(found)
    run = {"compare": compare, "pooling": pooling_study, "tabular": tabular_study}[name]
    result = run(conf, folder, callback=progress, command="cnnlab deck")
    atomic_write_json(folder / "results.json", result.to_dict())
    return result


def run_studies(cfg: DeckConfig, progress: Progress | None = None) -> Studies:
    """Run (or read back) the three studies for ``cfg``."""
    emit = progress or (lambda _e, _i: None)
    emit("study", {"name": "data"})
    data.load(cfg.dataset, data_dir=cfg.data_dir, val_fraction=0.0, download=True)  # fetch once
    results = {}
    for name in STUDIES:
        emit("study", {"name": name})
        results[name] = _one(name, cfg, emit)
    return Studies(**results, folder=cfg.studies_dir, data_dir=cfg.data_dir)
