"""The deck's "MLPs: más utilizadas con datos tabulados", measured.

An MLP and a 1-D CNN of about the same size learn scikit-learn's tables (wine, breast cancer,
iris; shipped with scikit-learn, no download), once with the columns in their given order and
once with the columns shuffled by one fixed permutation (train and test alike). A convolution
assumes that neighbouring inputs belong together; a table's column order is arbitrary, so the
CNN should gain nothing over the MLP and lose nothing when the columns are shuffled, apart from
seed-to-seed noise.

>>> result = tabular_study(TabularConfig(seeds=(0,)), "runs/tables")  # doctest: +SKIP
>>> result.test("wine", "cnn1d", "shuffled")  # doctest: +SKIP
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
from cnnlab.experiments.results import Stat
from cnnlab.i18n import _
from cnnlab.models import summary
from cnnlab.train import TrainConfig

TABLES = ("wine", "breast-cancer", "iris")
#: the two models, about the same number of parameters (1,603 and 1,475 on wine)
MODELS = {
    "mlp": "flatten dense(32) relu dense(32) relu dense",
    "cnn1d": "conv1d(16,3,padding=1) relu conv1d(16,3,padding=1) relu flatten dense",
}
GIVEN, SHUFFLED = "given", "shuffled"


@dataclass(frozen=True)
class TabularConfig:
    """The tables, seeds and the one small-data recipe both models share."""

    datasets: tuple[str, ...] = TABLES
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    epochs: int = 3  # passes over the repeated rows: 60 passes over each row
    repeat: int = 20  # each training row stacked this many times (fewer, larger epochs)
    batch_size: int = 32
    lr: float = 0.01
    perm_seed: int = 0  # the one column order used for the shuffled variant
    device: str = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        unknown = [d for d in self.datasets if d not in TABLES]
        if not self.datasets or unknown:
            raise InvalidArgumentError(
                _(
                    "tabular data sets must be among {known}. Received: {datasets}",
                    known=", ".join(TABLES),
                    datasets=list(self.datasets),
                )
            )
        if not self.seeds or len(set(self.seeds)) != len(self.seeds):
            raise InvalidArgumentError(
                _(
                    "seeds must be distinct integers; expected e.g. 0,1,2. Received: {seeds}",
                    seeds=self.seeds,
                )
            )

    def train_config(self, dataset: str, spec: str, seed: int) -> TrainConfig:
        return TrainConfig(
            model=spec, dataset=dataset, epochs=self.epochs, batch_size=self.batch_size,
            lr=self.lr, seed=seed, device=self.device, threads=self.threads, val_fraction=0.0,
            label_smoothing=0.0,
        )  # fmt: skip


@dataclass(frozen=True)
class TableInfo:
    name: str
    rows_train: int
    rows_test: int
    columns: int
    classes: int
    params: dict[str, int]  # model → parameters on this table


@dataclass(frozen=True)
class TabularResult:
    settings: dict[str, Any]
    tables: tuple[TableInfo, ...]
    trials: tuple[S.Scored, ...]  # model = "table/model", variant = given or shuffled
    environment: dict[str, Any] = field(default_factory=dict)

    def test(self, table: str, model: str, variant: str = GIVEN) -> Stat:
        """Test accuracy over seeds of ``model`` on ``table`` with columns ``variant``."""
        return S.stat(self.trials, lambda t: t.test_acc, model=f"{table}/{model}", variant=variant)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TabularResult:
        tables = tuple(TableInfo(**t) for t in d["tables"])
        return cls(d["settings"], tables, S.scored_from(d["trials"]), d.get("environment", {}))


def _jobs(cfg: TabularConfig, name: str, out: Path) -> tuple[TableInfo, list[S.Job]]:
    ds = data.load(name, val_fraction=0.0, seed=0)
    given = M.repeated(ds, cfg.repeat)
    variants = {
        GIVEN: given,
        SHUFFLED: M.repeated(M.permuted_dataset(ds, cfg.perm_seed), cfg.repeat),
    }
    params = {m: summary(s, ds.input_shape, ds.num_classes).total_params for m, s in MODELS.items()}
    info = TableInfo(name, len(ds.train), len(ds.test), ds.input_shape[-1], ds.num_classes, params)
    jobs = [
        S.Job(f"{name}/{m}", v, seed, part, cfg.train_config(name, spec, seed),
              out / "runs" / name / m / v / f"seed-{seed}", len(ds.train))
        for m, spec in MODELS.items() for v, part in variants.items() for seed in cfg.seeds
    ]  # fmt: skip
    return info, jobs


def tabular_study(
    cfg: TabularConfig,
    out: str | Path,
    callback: Callback | None = None,
    command: str | None = None,
) -> TabularResult:
    """Train both models on every table, in both column orders, over the seeds."""
    t0 = time.perf_counter()
    infos, jobs = [], []
    for name in cfg.datasets:
        info, more = _jobs(cfg, name, Path(out))
        infos.append(info)
        jobs += more
    trials = S.run_jobs(jobs, out, callback, command)
    settings = json.loads(json.dumps(asdict(cfg)))
    env = S.environment(cfg.device, time.perf_counter() - t0)
    return TabularResult(settings, tuple(infos), tuple(trials), env)
