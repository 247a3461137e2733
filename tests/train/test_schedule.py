"""Learning-rate schedules work for any number of optimizer steps, including very few."""

from __future__ import annotations

import json
import math

import pytest
import torch

from cnnlab.train import TrainConfig, fit
from cnnlab.train.loop import make_scheduler, schedule_plan


def _lrs(schedule: str, steps: int, warmup: float = 0.25) -> list[float]:
    """The learning rate used at each of ``steps`` optimizer steps."""
    param = torch.nn.Parameter(torch.zeros(2))
    opt = torch.optim.AdamW([param], lr=0.1)
    sched = make_scheduler(opt, TrainConfig(lr=0.1, schedule=schedule, warmup=warmup), steps)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


@pytest.mark.parametrize("steps", range(1, 9))
@pytest.mark.parametrize("schedule", ["onecycle", "cosine"])
@pytest.mark.parametrize("warmup", [0.0, 0.1, 0.25, 0.5, 0.9])
def test_any_small_number_of_steps_works(schedule, steps, warmup):
    lrs = _lrs(schedule, steps, warmup)
    assert len(lrs) == steps
    assert all(math.isfinite(lr) and 0 < lr <= 0.1 + 1e-12 for lr in lrs)
    if schedule == "cosine" or steps < 3:
        assert lrs[0] == pytest.approx(0.1)  # cosine starts at the peak


@pytest.mark.parametrize("steps", [3, 4, 5, 7])
def test_short_one_cycle_still_rises_then_falls(steps):
    lrs = _lrs("onecycle", steps)
    peak = lrs.index(max(lrs))
    assert peak >= 1 and lrs[peak] == pytest.approx(0.1)
    assert lrs[0] < lrs[peak] and lrs[-1] < lrs[peak]


@pytest.mark.parametrize(
    ("steps", "plan"),
    [(1, ("cosine", 0.0)), (2, ("cosine", 0.0)), (4, ("onecycle", 0.5)), (8, ("onecycle", 0.25))],
)
def test_plan_stretches_or_replaces_a_too_short_warm_up(steps, plan):
    assert schedule_plan(TrainConfig(schedule="onecycle", warmup=0.25), steps) == plan


def test_long_runs_keep_the_requested_warm_up():
    assert schedule_plan(TrainConfig(warmup=0.3), 1000) == ("onecycle", 0.3)
    assert schedule_plan(TrainConfig(schedule="constant"), 2) == ("constant", 0.0)


@pytest.mark.parametrize(("epochs", "steps"), [(1, 1), (2, 2), (4, 4)])
def test_fit_with_a_batch_as_big_as_the_data_records_the_plan(make_config, tmp_path, epochs, steps):
    run = fit(make_config(epochs=epochs, batch_size=4096), out=tmp_path / "run")
    used = json.loads((run.path / "config.json").read_text())["schedule_used"]
    assert used["steps"] == steps
    assert used["schedule"] == ("cosine" if steps < 3 else "onecycle")
    assert len(run.metrics) == epochs
