"""The deck's conclusion, measured: the same models trained the same way, compared.

For each model and seed, :func:`compare` trains on the data as it comes and on the same data with
its pixels permuted (one fixed permutation for train and test), optionally on smaller training
sets, then measures test accuracy, training time, parameters, accuracy on shifted test images
and how the parameter count grows with the input size.

>>> cfg = CompareConfig(dataset="digits", models=("mlp", "small-cnn"), epochs=2, seeds=(0,))
>>> result = compare(cfg, "runs/compare")  # doctest: +SKIP
>>> result.model("mlp").permutation_change  # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cnnlab import data
from cnnlab.data import Dataset
from cnnlab.errors import CheckpointError, InvalidArgumentError, ShapeError
from cnnlab.experiments import measure as M
from cnnlab.experiments.results import (
    ORIGINAL,
    PERMUTED,
    CompareResult,
    GrowthPoint,
    ModelSummary,
    Stat,
    Trial,
    fraction_variant,
    shift_stats,
    summarize_trials,
)
from cnnlab.i18n import _
from cnnlab.models import plan, summary
from cnnlab.train import TrainConfig, fit, load_run
from cnnlab.train.config import BATCH_SIZE
from cnnlab.train.distributed import resolve_device
from cnnlab.train.record import hardware, versions

#: ``callback(event, info)``: "trial" before each run ({index, total, model, variant, seed,
#: data}), fit's own events ("start", "step", "epoch", "end") while it trains, then
#: "trial_done" ({..., reused, test_acc}).
Callback = Callable[[str, dict[str, Any]], None]

DEFAULT_MODELS = {"image": ("mlp", "small-cnn"), "sequence": ("mlp1d", "cnn1d")}
#: run settings that must match for a finished run folder to be read back instead of retrained
_REUSE_KEYS = ("model", "dataset", "epochs", "seed", "batch_size", "lr", "device_requested")


@dataclass(frozen=True)
class CompareConfig:
    """One comparison: data, models, seeds and the one training recipe they all share."""

    dataset: str = "mnist"  # a cnnlab.data name
    models: tuple[str, ...] | None = None  # None: mlp and small-cnn (images), mlp1d and cnn1d
    epochs: int = 3  # passes over the training images, every model
    seeds: tuple[int, ...] = (0, 1, 2)  # one run per seed: weights and batch order
    max_shift: int = 4  # test images shifted by 0..max_shift pixels
    permute: bool = True  # also train and test on pixel-permuted data
    perm_seed: int = 0  # the one permutation used for train and test
    fractions: tuple[float, ...] = ()  # extra runs on these shares of the training images
    same_steps: bool = False  # repeat a smaller share 1/share times: as many steps as all images
    batch_size: int = BATCH_SIZE  # images per step (as cnnlab train)
    lr: float = TrainConfig.lr  # peak one-cycle learning rate (as cnnlab train)
    device: str = "auto"
    threads: int | None = None
    data_dir: str | None = None

    def __post_init__(self) -> None:
        if self.models is not None:
            _check_names(self.models)
        if not self.seeds or len(set(self.seeds)) != len(self.seeds):
            raise InvalidArgumentError(
                _(
                    "seeds must be one or more distinct integers; expected e.g. 0,1,2. "
                    "Received: seeds={seeds}",
                    seeds=list(self.seeds),
                )
            )
        if isinstance(self.max_shift, bool) or not isinstance(self.max_shift, int):
            raise InvalidArgumentError(
                _("max shift must be an int. Received: {value!r}", value=self.max_shift)
            )
        if self.max_shift < 0:
            raise InvalidArgumentError(
                _(
                    "max shift must be >= 0 pixels; expected e.g. 4. Received: {value}",
                    value=self.max_shift,
                )
            )
        for f in self.fractions:
            if not 0.0 < f < 1.0:
                raise InvalidArgumentError(
                    _(
                        "training fractions must be in (0, 1); expected e.g. 0.1. "
                        "Received: {value!r}",
                        value=f,
                    )
                )
        self.train_config("mlp", self.seeds[0])  # the shared recipe is valid

    def train_config(self, model: str, seed: int) -> TrainConfig:
        """The recipe every run shares (``cnnlab train``'s defaults, all training images)."""
        return TrainConfig(
            model=model,
            dataset=self.dataset,
            epochs=self.epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            seed=seed,
            device=self.device,
            threads=self.threads,
            data_dir=self.data_dir,
            val_fraction=0.0,  # nothing is tuned on held-out data: train on every image
        )

    def repeats(self, variant: str) -> int:
        """How many times each training image of ``variant`` is stacked (see ``same_steps``)."""
        shares = [f for f in self.fractions if fraction_variant(f) == variant]
        return round(1 / shares[0]) if shares and self.same_steps else 1

    def variants(self) -> tuple[str, ...]:
        extra = tuple(fraction_variant(f) for f in self.fractions)
        return (ORIGINAL, *((PERMUTED,) if self.permute else ()), *extra)


def _check_names(models: tuple[str, ...]) -> None:
    if not models or any(not isinstance(m, str) or not m.strip() for m in models):
        raise InvalidArgumentError(
            _(
                "models must be one or more preset names or specs; expected e.g. "
                "mlp,small-cnn. Received: {models}",
                models=list(models),
            )
        )
    if len(set(models)) != len(models):
        raise InvalidArgumentError(
            _("models are listed twice. Received: {models}", models=list(models))
        )


def load_data(cfg: CompareConfig) -> Dataset:
    """The comparison's data set: every training image, the standard test split."""

    return data.load(cfg.dataset, data_dir=cfg.data_dir, val_fraction=0.0, seed=0)


def resolve_models(cfg: CompareConfig, ds: Dataset) -> dict[str, str]:
    """Model name → expanded spec for ``ds``; raises before any training if one does not fit."""
    names = cfg.models if cfg.models is not None else DEFAULT_MODELS[ds.kind]
    return {m: _plan_for(m, ds) for m in names}


def _plan_for(model: str, ds: Dataset) -> str:
    """The expanded spec of ``model`` on ``ds``; a misfit names the model and the data set."""

    try:
        return plan(model, ds.input_shape, ds.num_classes)[0]
    except ShapeError as exc:
        where = _(
            "model {model} does not fit {data} ({shape})",
            model=model,
            data=ds.name,
            shape=M.input_text(ds.input_shape),
        )
        error = ShapeError(f"{where}: {exc}")
        error.one_line = f"{where}: {exc.one_line or exc}"
        raise error from None


def variant_data(cfg: CompareConfig, ds: Dataset) -> dict[str, Dataset]:
    """Each variant's data set (built once, shared by every model and seed)."""
    out = {ORIGINAL: ds}
    if cfg.permute:
        out[PERMUTED] = M.permuted_dataset(ds, cfg.perm_seed)
    for f in cfg.fractions:
        out[fraction_variant(f)] = M.subset_dataset(ds, f, repeat=cfg.same_steps)
    return out


def compare(
    cfg: CompareConfig,
    out: str | Path,
    callback: Callback | None = None,
    command: str | None = None,
) -> CompareResult:
    """Train every model × variant × seed under ``out/runs`` and measure them (see module doc).

    A finished run folder with the same settings is read back instead of trained again, so a
    comparison interrupted half-way continues where it stopped.
    """
    t0 = time.perf_counter()
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    ds = load_data(cfg)
    specs = resolve_models(cfg, ds)
    datasets = variant_data(cfg, ds)
    emit = callback or (lambda _e, _i: None)
    jobs = [(m, v, s) for m in specs for v in datasets for s in cfg.seeds]
    trials = []
    for index, (model, variant, seed) in enumerate(jobs, 1):
        info = {"index": index, "total": len(jobs), "model": model, "variant": variant}
        emit("trial", {**info, "seed": seed, "data": datasets[variant].name})
        folder = Path(out) / "runs" / _slug(model) / variant / f"seed-{seed}"
        tc = cfg.train_config(model, seed)
        run, reused = train_or_reuse(tc, datasets[variant], folder, emit, command)
        trial = _measure(cfg, ds.kind, (model, variant, seed), run, datasets[variant], out, reused)
        emit("trial_done", {**info, "seed": seed, "reused": reused, "test_acc": trial.test_acc})
        trials.append(trial)
    summaries = tuple(_summary(cfg, ds, m, spec, trials) for m, spec in specs.items())
    return _result(cfg, ds, summaries, trials, started, time.perf_counter() - t0)


def train_or_reuse(
    tc: TrainConfig, ds: Dataset, folder: Path, emit: Callback, command: str | None
) -> tuple[Any, bool]:
    """Train ``tc`` on ``ds`` into ``folder``, or read back the finished run already there.

    A folder holding another run (other settings, or one stopped half-way) is refused with the
    settings that differ, never overwritten.
    """
    if (folder / "config.json").is_file():
        run = load_run(folder)
        want = {**tc.to_dict(), "device_requested": tc.device, "data_name": ds.name}
        keys = (*_REUSE_KEYS, "data_name")
        differ = [_("{key} {value!r} (wanted {wanted!r})", key=k, value=run.config.get(k),
                    wanted=want[k]) for k in keys if run.config.get(k) != want[k]]  # fmt: skip
        status = run.config.get("status")
        if status == "complete" and not differ:
            return run, True
        what = ", ".join(differ) or _("status {status!r} (an unfinished run)", status=status)
        raise CheckpointError(
            _(
                "{folder} holds a run with other settings or an unfinished one; expected a new "
                "--out folder or one written by the same study. Received: {what}",
                folder=folder,
                what=what,
            )
        )
    return fit(tc, folder, callback=emit, command=command, data=ds), False


def _measure(
    cfg: CompareConfig,
    kind: str,
    job: tuple[str, str, int],
    run: Any,
    ds: Dataset,
    out: str | Path,
    reused: bool,
) -> Trial:
    model, variant, seed = job
    if variant == ORIGINAL:
        curve = M.shift_accuracy(run, ds.test, cfg.max_shift, M.directions_for(kind))
        acc = curve[0]
    else:
        curve, acc = None, M.accuracy(run, ds.test.x, ds.test.y)
    return Trial(
        model=model,
        variant=variant,
        seed=seed,
        test_acc=acc,
        train_seconds=float(run.metrics[-1]["seconds"]) if run.metrics else 0.0,
        n_train=len(ds.train) // cfg.repeats(variant),
        run=str(Path(run.path).relative_to(Path(out))),
        shift_acc=curve,
        reused=reused,
    )


def _summary(cfg: CompareConfig, ds: Dataset, model: str, spec: str, trials: list) -> ModelSummary:

    orig = summarize_trials(trials, model, ORIGINAL)
    perm = summarize_trials(trials, model, PERMUTED)
    info = summary(spec, ds.input_shape, ds.num_classes)
    channels, side = ds.input_shape[0], ds.input_shape[-1]
    growth = tuple(
        GrowthPoint(size, M.params_at(spec, ds.kind, channels, size, ds.num_classes))
        for size in M.growth_sizes(ds.kind, side)
    )
    fractions = {
        fraction_variant(f): Stat.of(
            [t.test_acc for t in summarize_trials(trials, model, fraction_variant(f))]
        )
        for f in cfg.fractions
    }
    return ModelSummary(
        model=model,
        spec=spec,
        has_conv=info.has_conv,
        params=info.total_params,
        accuracy=Stat.of([t.test_acc for t in orig]),
        train_seconds=Stat.of([t.train_seconds for t in orig]),
        permuted=Stat.of([t.test_acc for t in perm]) if perm else None,
        shift=shift_stats(orig),
        fractions=fractions,
        growth=growth,
    )


def _result(cfg, ds, summaries, trials, started: str, seconds: float) -> CompareResult:

    settings = json.loads(json.dumps(asdict(cfg)))
    settings["models"] = [s.model for s in summaries]
    return CompareResult(
        settings=settings,
        dataset=ds.name,
        kind=ds.kind,
        input_shape=tuple(ds.input_shape),
        n_train=len(ds.train),
        n_test=len(ds.test),
        shifts=tuple(range(cfg.max_shift + 1)),
        directions=M.directions_for(ds.kind),
        models=summaries,
        trials=tuple(trials),
        environment={
            "versions": versions(),
            "hardware": hardware(resolve_device(cfg.device)),
            "started": started,
            "seconds": seconds,
        },
    )


def _slug(model: str) -> str:
    """A folder name for a model: ``"small-cnn"`` stays, a spec becomes ``conv-8-3-relu...``."""
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    return slug[:48] or "model"
