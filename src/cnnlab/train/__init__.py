"""Training: ``fit`` writes a run folder; ``load_run``, ``evaluate`` and ``Run.predict`` read it.

>>> from cnnlab.train import TrainConfig, fit, load_run, evaluate  # doctest: +SKIP
>>> run = fit(TrainConfig(model="small-cnn", dataset="digits", epochs=3), out="runs/x")
>>> evaluate(load_run("runs/x")).accuracy
"""

from __future__ import annotations

from cnnlab.train.config import TrainConfig
from cnnlab.train.evaluate import EvalResult, evaluate
from cnnlab.train.fit import finished_run, fit
from cnnlab.train.run import Run, load_run

__all__ = ["EvalResult", "Run", "TrainConfig", "evaluate", "finished_run", "fit", "load_run"]
