"""The study behind docs/experiments.md's generator table: a convolutional and a dense
conditional VAE of about the same size, trained with one recipe over several seeds, judged by a
separately trained classifier.

Steps: train the judge (``small-cnn`` on MNIST with 10,000 training digits held out); measure
the real-vs-real Fréchet distance (those 10,000 held-out digits against the 10,000 test digits);
train each generator with each seed (the default ``cnnlab train`` settings); make 1,000 digits of
each label; record label agreement, Fréchet distance to the test digits, training time and
digits per second. Finished runs in the study folder are reused, so a stopped study continues.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.fileio import atomic_write_json
from cnnlab.generate.quality import frechet_distance, hidden_features, measure
from cnnlab.generate.sampling import TEMPERATURE, check_temperature
from cnnlab.i18n import _
from cnnlab.models import summary
from cnnlab.train import Run, TrainConfig, fit, load_run

HELD_OUT = 10_000 / 60_000  # the judge's validation share: 10,000 of MNIST's 60,000 digits


@dataclass(frozen=True)
class StudyConfig:
    """What the generator study trains and measures (``cnnlab generate-study`` reads these)."""

    models: tuple[str, ...] = ("conv-vae", "mlp-vae")  # about 110 k parameters each
    seeds: tuple[int, ...] = (0, 1, 2)  # one training run per model and seed
    epochs: int | None = None  # None: the default `cnnlab train` recipe (10 for the generators)
    judge: str = "small-cnn"  # the classifier that labels and embeds the digits
    judge_epochs: int = 3  # its training passes (about 99 % test accuracy)
    per_label: int = 1000  # digits made per label: 10,000 in all, as many as the test digits
    dataset: str = "mnist"
    temperature: float = TEMPERATURE  # codes' scale for the main figures; 1 is measured too

    def __post_init__(self) -> None:
        check_temperature(self.temperature)
        if not self.models or not self.seeds:
            raise InvalidArgumentError(
                _(
                    "the study needs at least one model and one seed; expected e.g. seeds "
                    "(0, 1, 2). Received: models={models!r}, seeds={seeds!r}",
                    models=self.models,
                    seeds=self.seeds,
                )
            )


@dataclass
class StudyResult:
    """Every run's figures plus the judge's and the real-vs-real baseline."""

    rows: list[dict[str, Any]]  # one per (model, seed)
    judge: dict[str, Any]  # its spec, test accuracy, parameters
    real_frechet: float  # held-out training digits vs test digits
    summary: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # model → mean, sd


def _trained(config: TrainConfig, folder: Path, say: Callable[[str], None]) -> Run:
    """The run in ``folder`` if it finished with these settings, else trained there now."""
    try:
        run = load_run(folder)
        if run.config.get("status") == "complete":
            return run
    except CnnlabError:
        pass
    say(_("training {model} (seed {seed}, {epochs} epochs) in {folder}", model=config.model,
          seed=config.seed, epochs=config.epochs, folder=folder))  # fmt: skip
    return fit(config, out=folder, resume=(folder / "state").exists(), command="study")


def _row(model: str, seed: int, gen: Run, judge: Run, real, config: StudyConfig,
         ) -> dict[str, Any]:  # fmt: skip
    """One generator's figures at the study's temperature, plus agreement and distance at 1."""
    q = measure(gen, judge, real=real, per_label=config.per_label, seed=seed,
                temperature=config.temperature)  # fmt: skip
    plain = measure(gen, judge, real=real, per_label=config.per_label, seed=seed, temperature=1.0)
    last = gen.metrics[-1]
    return {
        "model": model, "seed": seed, "params": summary(gen.model).total_params,
        "epochs": last["epoch"], "train_seconds": last["seconds"], "test_loss": last["test_loss"],
        "agreement": q.agreement, "per_label": q.per_label, "frechet": q.frechet,
        "samples_per_s": q.samples_per_s,
        "agreement_t1": plain.agreement, "per_label_t1": plain.per_label,
        "frechet_t1": plain.frechet,
    }  # fmt: skip


def _spread(rows: list[dict], models: tuple[str, ...]) -> dict[str, dict[str, list[float]]]:
    """model → figure → [mean, sample standard deviation (0 for one seed)]."""
    out: dict[str, dict[str, list[float]]] = {}
    for model in models:
        mine = [r for r in rows if r["model"] == model]
        out[model] = {}
        keys = ("agreement", "frechet", "agreement_t1", "frechet_t1", "train_seconds",
                "samples_per_s", "test_loss")  # fmt: skip
        for key in keys:
            values = [float(r[key]) for r in mine]
            sd = statistics.stdev(values) if len(values) > 1 else 0.0
            out[model][key] = [statistics.fmean(values), sd]
    return out


def run_study(config: StudyConfig, out: str | Path = "runs/generate-study",
              progress: Callable[[str], None] | None = None) -> StudyResult:  # fmt: skip
    """Run (or continue) the study in ``out``; write ``out/results.json``; return the figures."""
    say, folder = progress or (lambda _line: None), Path(out)
    judge_cfg = TrainConfig(model=config.judge, dataset=config.dataset,
                            epochs=config.judge_epochs, val_fraction=HELD_OUT)  # fmt: skip
    judge = _trained(judge_cfg, folder / "judge", say)
    ds = judge.dataset()
    say(_("measuring the real-vs-real baseline ({held:,} held-out vs {test:,} test digits)",
          held=len(ds.val.y), test=len(ds.test.y)))  # fmt: skip
    test_features = hidden_features(judge, ds.test.x)
    baseline = frechet_distance(hidden_features(judge, ds.val.x), test_features)
    rows = []
    for model in config.models:
        for seed in config.seeds:
            cfg = TrainConfig(model=model, dataset=config.dataset, epochs=config.epochs, seed=seed)
            gen = _trained(cfg, folder / f"{model}-seed{seed}", say)
            say(_("judging {model} seed {seed}: {count:,} digits", model=model, seed=seed,
                  count=10 * config.per_label))  # fmt: skip
            rows.append(_row(model, seed, gen, judge, ds.test.x, config))
    judge_info = {"model": config.judge, "test_acc": judge.metrics[-1]["test_acc"]}
    judge_info |= {"params": summary(judge.model).total_params, "held_out": len(ds.val.y)}
    result = StudyResult(rows, judge_info, baseline, _spread(rows, config.models))
    atomic_write_json(folder / "results.json", {"config": asdict(config), **asdict(result)})
    return result
