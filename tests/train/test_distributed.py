"""Data-parallel training with 2 CPU processes (gloo) on digits."""

from __future__ import annotations

import json

import pytest

from cnnlab.errors import InvalidArgumentError
from cnnlab.train import fit


def test_two_processes_converge_and_write_one_checkpoint(tmp_path, make_config):
    out = tmp_path / "ddp"
    run = fit(make_config(epochs=4, batch_size=64, lr=0.02), out=out, nproc=2)
    assert run is not None
    assert run.metrics[-1]["test_acc"] > 0.6  # chance is 0.1
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["world_size"] == 2 and cfg["status"] == "complete"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        "config.json",
        "metrics.jsonl",
        "model.safetensors",
        "state/checkpoint.safetensors",
    ]


def test_a_batch_smaller_than_the_processes_is_refused(make_config, tmp_path):
    with pytest.raises(InvalidArgumentError, match="batch size is smaller than the number"):
        fit(make_config(batch_size=1), out=tmp_path / "run", nproc=2)
    assert not (tmp_path / "run").exists()
