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


def test_an_existing_run_is_refused_before_any_worker_starts(tmp_path, make_config, monkeypatch):
    from cnnlab.errors import CheckpointError
    from cnnlab.train import distributed

    out = tmp_path / "run"
    fit(make_config(epochs=1), out=out)

    def no_workers(*args, **kwargs):
        raise AssertionError("workers were started for a folder that is refused")

    monkeypatch.setattr(distributed, "launch", no_workers)
    with pytest.raises(CheckpointError, match="already holds a run"):
        fit(make_config(epochs=1), out=out, nproc=2)


def test_under_torchrun_the_error_line_goes_to_its_error_file(tmp_path, monkeypatch):
    """torchrun's failure summary prints the error file's message as the root cause."""
    from typer.testing import CliRunner

    from cnnlab.main import app

    error_file = tmp_path / "error.json"
    monkeypatch.setenv("TORCHELASTIC_ERROR_FILE", str(error_file))
    result = CliRunner().invoke(app, ["train", "--model", "small-cnn", "--dataset", "digits",
                                      "--lr", "0", "--out", str(tmp_path / "r")])  # fmt: skip
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.startswith("error: lr must be > 0") and len(line.splitlines()) == 1
    saved = json.loads(error_file.read_text())
    assert saved["message"] == line and isinstance(saved["timestamp"], int)
