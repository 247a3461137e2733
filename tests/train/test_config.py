"""TrainConfig validates on creation with clear cnnlab errors."""

from __future__ import annotations

import json

import pytest

from cnnlab.errors import InvalidArgumentError, UnknownNameError
from cnnlab.train import TrainConfig


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"lr": 0}, "lr must be > 0"),
        ({"lr": -0.1}, "lr must be > 0"),
        ({"lr": float("nan")}, "lr must be > 0"),
        ({"batch_size": 0}, "batch size must be at least 1"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"target_accuracy": 0.0}, r"target accuracy must be in \(0, 1\]"),
        ({"target_accuracy": 1.5}, r"target accuracy must be in \(0, 1\]"),
        ({"label_smoothing": 1.0}, "label_smoothing"),
        ({"weight_decay": -1.0}, "weight_decay"),
        ({"augment_shift": -1}, "augment_shift"),
        ({"val_fraction": 1.0}, "val_fraction"),
    ],
)
def test_bad_values_are_refused(changes, match):
    with pytest.raises(InvalidArgumentError, match=match):
        TrainConfig(**changes)


@pytest.mark.parametrize(
    ("field", "value", "close"),
    [("optimizer", "adamww", "adamw"), ("schedule", "cosin", "cosine"), ("device", "gpu", None)],
)
def test_unknown_names_suggest(field, value, close):
    with pytest.raises(UnknownNameError) as info:
        TrainConfig(**{field: value})
    assert f"Received: {value!r}" in str(info.value)
    if close:
        assert repr(close) in str(info.value)


def test_round_trip_through_dict():
    cfg = TrainConfig(model="lenet5", dataset="mnist", target_accuracy=0.99, lr=0.5)
    again = TrainConfig.from_dict({**cfg.to_dict(), "spec": "ignored", "status": "complete"})
    assert again == cfg
    assert cfg.replace(epochs=7).epochs == 7
    with pytest.raises(InvalidArgumentError):
        cfg.replace(batch_size=0)


def test_one_epoch_runs_take_smaller_steps_and_lighter_smoothing():
    one, several = TrainConfig(epochs=1), TrainConfig(epochs=2)
    assert (one.batch_size, one.label_smoothing) == (128, 0.05)
    assert (several.batch_size, several.label_smoothing) == (256, 0.1)
    given = TrainConfig(epochs=1, batch_size=256, label_smoothing=0.1)  # what is given stays
    assert (given.batch_size, given.label_smoothing) == (256, 0.1)
    assert TrainConfig.from_dict(one.to_dict()) == one  # a saved run reads back the same


def test_cli_one_epoch_run_records_the_one_epoch_recipe(tmp_path):
    from typer.testing import CliRunner

    from cnnlab.main import app

    out = tmp_path / "run"
    args = ["train", "--model", "logistic", "--dataset", "digits", "--epochs", "1", "--out",
            str(out), "--no-report", "--threads", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    saved = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert (saved["batch_size"], saved["label_smoothing"], saved["epochs"]) == (128, 0.05, 1)


def test_cli_gives_generators_ten_epochs_unless_told(monkeypatch):
    from typer.testing import CliRunner

    from cnnlab.cli import train_cmds
    from cnnlab.main import app

    seen = []
    monkeypatch.setattr(train_cmds, "fit", lambda cfg, *a, **k: seen.append(cfg))
    for extra, epochs in (([], 10), (["--epochs", "3"], 3)):
        args = ["train", "--model", "conv-vae", "--dataset", "mnist", *extra]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert seen[-1].epochs == epochs and seen[-1].batch_size == 256
