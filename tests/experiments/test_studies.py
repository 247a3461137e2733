"""The deck's smaller studies: pooling's three forms, tables in two column orders, the shared
runner (reuse, refusal naming what differs) and results that survive a JSON round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnlab import data
from cnnlab.errors import CheckpointError, InvalidArgumentError
from cnnlab.experiments import measure as M
from cnnlab.experiments.compare import train_or_reuse
from cnnlab.experiments.pooling import (
    ARMS,
    PoolingConfig,
    PoolingResult,
    describe_arm,
    pooling_study,
)
from cnnlab.experiments.results import CompareResult
from cnnlab.experiments.tabular import TabularConfig, TabularResult, tabular_study
from cnnlab.train import TrainConfig


def test_pooling_arms_shrink_as_their_names_say():
    arms = {n: describe_arm(n, s, (1, 28, 28), 10) for n, s in ARMS.items()}
    assert arms["maxpool"].sizes == ("8×28×28", "8×14×14", "16×14×14", "16×7×7")
    assert arms["stride-2"].sizes == ("8×14×14", "16×7×7")
    assert arms["none"].sizes == ("8×28×28", "16×28×28")
    assert arms["maxpool"].head_inputs == arms["stride-2"].head_inputs == 16 * 7 * 7
    assert arms["none"].head_inputs == 16 * 28 * 28
    same_convs = 8 * 9 + 8 + 16 * 8 * 9 + 16
    assert arms["maxpool"].params == same_convs + 784 * 10 + 10
    assert arms["none"].params == same_convs + 12544 * 10 + 10
    assert arms["stride-2"].mult_adds < arms["maxpool"].mult_adds < arms["none"].mult_adds


def test_repeated_share_keeps_the_first_copy_first():
    ds = data.load("digits", val_fraction=0.0)
    part = M.subset_dataset(ds, 0.1, repeat=True)
    alone = M.subset_dataset(ds, 0.1)
    assert len(part.train) == 10 * len(alone.train)
    np.testing.assert_array_equal(part.train.x[: len(alone.train)], alone.train.x)
    np.testing.assert_array_equal(part.train.y[-len(alone.train) :], alone.train.y)
    assert part.test is ds.test


def test_pooling_study_scores_gaps_and_reads_runs_back(tmp_path):
    cfg = PoolingConfig(dataset="digits", fractions=(0.1, 1.0), seeds=(0,), epochs=1, threads=1)
    first = pooling_study(cfg, tmp_path)
    assert len(first.trials) == 6 and not any(t.reused for t in first.trials)
    small = next(t for t in first.trials if t.model == "none" and t.variant == "train-10%")
    assert small.n_train == 144 and small.gap == pytest.approx(small.train_acc - small.test_acc)
    assert first.gap("none", 0.1).mean == pytest.approx(small.gap)
    again = pooling_study(cfg, tmp_path)
    assert all(t.reused for t in again.trials)
    assert [t.test_acc for t in again.trials] == [t.test_acc for t in first.trials]
    back = PoolingResult.from_dict(json.loads(json.dumps(first.to_dict())))
    assert back == first


def test_tabular_study_shuffles_columns_for_both_models(tmp_path):
    cfg = TabularConfig(datasets=("iris",), seeds=(0,), epochs=1, repeat=2, threads=1)
    result = tabular_study(cfg, tmp_path)
    assert {(t.model, t.variant) for t in result.trials} == {
        ("iris/mlp", "given"), ("iris/mlp", "shuffled"),
        ("iris/cnn1d", "given"), ("iris/cnn1d", "shuffled"),
    }  # fmt: skip
    info = result.tables[0]
    assert (info.columns, info.classes, info.rows_train + info.rows_test) == (4, 3, 150)
    assert all(t.n_train == 120 for t in result.trials)  # repeated rows counted once
    assert TabularResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_bad_study_settings_are_refused():
    with pytest.raises(InvalidArgumentError, match="fractions must be shares in"):
        PoolingConfig(fractions=(0.0, 1.0))
    with pytest.raises(InvalidArgumentError, match="Received: \\['mnist'\\]"):
        TabularConfig(datasets=("mnist",))


def test_a_folder_with_other_settings_is_refused_naming_them(tmp_path):
    ds = data.load("digits", val_fraction=0.0)
    tc = TrainConfig(model="logistic", dataset="digits", epochs=1, val_fraction=0.0, threads=1)
    emit = lambda _e, _i: None  # noqa: E731
    _, reused = train_or_reuse(tc, ds, tmp_path / "r", emit, None)
    assert not reused and train_or_reuse(tc, ds, tmp_path / "r", emit, None)[1]
    other = TrainConfig(model="logistic", dataset="digits", epochs=2, val_fraction=0.0)
    with pytest.raises(CheckpointError, match="epochs 1 \\(wanted 2\\)"):
        train_or_reuse(other, ds, tmp_path / "r", emit, None)


def test_compare_result_survives_json(tmp_path):
    from cnnlab.experiments import CompareConfig, compare

    cfg = CompareConfig(dataset="digits", models=("logistic",), epochs=1, seeds=(0,),
                        max_shift=1, fractions=(0.5,), same_steps=True, threads=1)  # fmt: skip
    result = compare(cfg, tmp_path)
    assert result.trials[-1].n_train == len(data.load("digits", val_fraction=0.0).train) // 2
    assert CompareResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
