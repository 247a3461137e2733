"""TrainConfig validates on creation with clear cnnlab errors."""

from __future__ import annotations

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
