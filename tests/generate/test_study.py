"""The generator study on the 8×8 digits with tiny models: every figure recorded, runs reused."""

from __future__ import annotations

import json

from cnnlab.generate import StudyConfig, run_study

GEN = "flatten label dense(32) relu latent(2) dense(32) relu dense(64) sigmoid reshape(1,8,8)"


def test_study_records_every_run_and_reuses_them(tmp_path):
    judge = "flatten dense(32) relu dense"
    cfg = StudyConfig(models=(GEN,), seeds=(0, 1), epochs=1, judge=judge, judge_epochs=2,
                      per_label=10, dataset="digits")  # fmt: skip
    lines: list[str] = []
    result = run_study(cfg, tmp_path, progress=lines.append)
    assert [(r["model"], r["seed"]) for r in result.rows] == [(GEN, 0), (GEN, 1)]
    assert all(0 <= r["agreement"] <= 1 and r["frechet"] > 0 for r in result.rows)
    assert all(0 <= r["agreement_t1"] <= 1 and r["frechet_t1"] > 0 for r in result.rows)
    assert all(r["frechet_t1"] != r["frechet"] for r in result.rows)  # two temperatures
    assert all(r["epochs"] == 1 for r in result.rows)
    assert result.real_frechet < min(r["frechet"] for r in result.rows)
    mean, sd = result.summary[GEN]["agreement"]
    values = [r["agreement"] for r in result.rows]
    assert min(values) <= mean <= max(values) and sd >= 0
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["judge"]["held_out"] == result.judge["held_out"] > 0
    assert sum("training" in line for line in lines) == 3  # the judge and two generators
    again: list[str] = []
    run_study(cfg, tmp_path, progress=again.append)
    assert not any("training" in line for line in again)  # finished runs are read back
