"""The machinery the deck's smaller studies share: train a grid of runs, read back finished ones,
score each on its own training and test images.

A :class:`Job` is one run to make (a model, a data variant, a seed and its ``TrainConfig``);
:func:`run_jobs` trains them in order under ``out/runs/...`` and returns one :class:`Scored` per
job, with the accuracy on the images it learned from and on the test images, so that the gap
between the two (overfitting) can be read off.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cnnlab.data import Dataset
from cnnlab.experiments import measure as M
from cnnlab.experiments.compare import Callback, train_or_reuse
from cnnlab.experiments.results import Stat
from cnnlab.train import TrainConfig
from cnnlab.train.distributed import resolve_device
from cnnlab.train.record import hardware, versions


@dataclass(frozen=True)
class Job:
    """One run of a study: which model, on which variant of the data, with which seed."""

    model: str  # the study's name for it, e.g. "maxpool"
    variant: str  # e.g. "train-10%" or "shuffled"
    seed: int
    data: Dataset
    config: TrainConfig
    folder: Path
    n_train: int  # distinct training images (a repeated share counts each image once)


@dataclass(frozen=True)
class Scored:
    """A trained job: accuracies on its training and test images and its training seconds."""

    model: str
    variant: str
    seed: int
    train_acc: float
    test_acc: float
    seconds: float  # forward, backward and optimizer steps (metrics.jsonl)
    n_train: int
    epochs: int
    run: str  # folder relative to the study's output
    reused: bool = False

    @property
    def gap(self) -> float:
        """Training minus test accuracy: how much better the model does on what it has seen."""
        return self.train_acc - self.test_acc


def run_jobs(
    jobs: Sequence[Job], out: str | Path, callback: Callback | None, command: str | None
) -> list[Scored]:
    """Train (or read back) every job in order; ``callback`` gets "trial" and "trial_done"."""
    emit = callback or (lambda _e, _i: None)
    scored = []
    for index, job in enumerate(jobs, 1):
        info = {"index": index, "total": len(jobs), "model": job.model, "variant": job.variant}
        emit("trial", {**info, "seed": job.seed, "data": job.data.name})
        run, reused = train_or_reuse(job.config, job.data, job.folder, emit, command)
        one = Scored(
            model=job.model,
            variant=job.variant,
            seed=job.seed,
            train_acc=M.accuracy(
                run, job.data.train.x[: job.n_train], job.data.train.y[: job.n_train]
            ),
            test_acc=M.accuracy(run, job.data.test.x, job.data.test.y),
            seconds=float(run.metrics[-1]["seconds"]) if run.metrics else 0.0,
            n_train=job.n_train,
            epochs=job.config.epochs,
            run=str(job.folder.relative_to(Path(out))),
            reused=reused,
        )
        emit("trial_done", {**info, "seed": job.seed, "reused": reused, "test_acc": one.test_acc})
        scored.append(one)
    return scored


def stat(trials: Sequence[Scored], value: Callable[[Scored], float], **match: Any) -> Stat:
    """Mean and spread over seeds of ``value(trial)`` for the trials matching every ``match``."""
    chosen = [t for t in trials if all(getattr(t, k) == v for k, v in match.items())]
    return Stat.of([value(t) for t in chosen])


def environment(device: str, seconds: float) -> dict[str, Any]:
    """Versions, hardware and timing recorded beside a study's results."""
    return {
        "versions": versions(),
        "hardware": hardware(resolve_device(device)),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
    }


def scored_from(rows: Sequence[dict]) -> tuple[Scored, ...]:
    """Scored trials back from their JSON form."""
    names = {f.name for f in dataclasses.fields(Scored)}
    return tuple(Scored(**{k: v for k, v in row.items() if k in names}) for row in rows)
