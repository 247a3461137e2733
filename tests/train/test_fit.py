"""fit on digits: the run folder, determinism, resume, target accuracy, NaN."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from cnnlab.errors import CheckpointError, InvalidArgumentError, ShapeError, TrainingError
from cnnlab.train import evaluate, fit, load_run
from cnnlab.train.config import TrainConfig

TINY = "conv(8,3,padding=same) batchnorm relu maxpool(2) flatten dense"
METRIC_KEYS = {
    "epoch",
    "train_loss",
    "train_acc",
    "val_loss",
    "val_acc",
    "test_loss",
    "test_acc",
    "lr",
    "seconds",
    "images_per_s",
}


def test_run_folder_follows_the_contract(digits_run):
    folder = digits_run.path
    cfg = json.loads((folder / "config.json").read_text())
    assert cfg["status"] == "complete"
    assert cfg["input_shape"] == [1, 8, 8] and cfg["num_classes"] == 10
    assert cfg["classes"] == [str(i) for i in range(10)]
    assert len(cfg["mean"]) == 1 and len(cfg["std"]) == 1
    assert cfg["final"]["epochs_run"] == 8
    assert {"cnnlab", "torch", "numpy", "python"} <= set(cfg["versions"])
    rows = [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == list(range(1, 9))
    assert all(set(r) >= METRIC_KEYS for r in rows)
    assert rows[-1]["seconds"] >= rows[0]["seconds"] > 0
    assert (folder / "state" / "checkpoint.safetensors").is_file()
    assert set(load_file(folder / "model.safetensors")) == set(digits_run.model.state_dict())


def test_trains_well_above_chance_and_evaluates(digits_run):
    run = load_run(digits_run.path)
    assert run.metrics[-1]["test_acc"] > 0.85
    ev = evaluate(run)
    assert ev.accuracy == pytest.approx(run.metrics[-1]["test_acc"], abs=1e-6)
    assert ev.confusion.shape == (10, 10) and ev.confusion.dtype == np.int64
    assert ev.confusion.sum() == len(ev.y_true) == len(ev.x)
    assert np.trace(ev.confusion) == int((ev.y_pred == ev.y_true).sum())
    assert ev.probs.shape == (len(ev.y_true), 10)
    np.testing.assert_allclose(ev.probs.sum(axis=1), 1.0, rtol=1e-5)
    assert ev.precision.shape == ev.recall.shape == ev.f1.shape == (10,)


def test_predict_accepts_one_image_or_a_batch(digits_run):
    ds = digits_run.dataset()
    one = digits_run.predict(ds.test.x[0])
    many = digits_run.predict(ds.test.x[:5])
    assert one.shape == (1, 10) and many.shape == (5, 10)
    np.testing.assert_allclose(one[0], many[0], rtol=1e-5, atol=1e-6)
    with pytest.raises(ShapeError, match=r"expected \(N, 1, 8, 8\)"):
        digits_run.predict(np.zeros((2, 1, 28, 28), np.float32))


def test_evaluate_refuses_a_data_set_of_another_shape(digits_run):
    with pytest.raises(ShapeError, match="does not fit the model"):
        evaluate(digits_run, dataset="mnist1d")


def test_same_seed_gives_identical_weights(tmp_path, make_config):
    a = fit(make_config(augment_shift=1, label_smoothing=0.1), out=tmp_path / "a")
    b = fit(make_config(augment_shift=1, label_smoothing=0.1), out=tmp_path / "b")
    c = fit(make_config(augment_shift=1, label_smoothing=0.1, seed=1), out=tmp_path / "c")
    wa, wb, wc = (load_file(r.path / "model.safetensors") for r in (a, b, c))
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not all(torch.equal(wa[k], wc[k]) for k in wa)


class Stop(Exception):
    pass


@pytest.mark.parametrize(
    "changes",
    [
        {"optimizer": "adamw", "schedule": "onecycle", "augment_shift": 1},
        {"optimizer": "sgd", "schedule": "cosine", "lr": 0.05, "model": TINY + " dropout(0.2)"},
    ],
)
def test_resume_is_bit_identical(tmp_path, changes, make_config):
    cfg = make_config(epochs=4, **changes)
    full = fit(cfg, out=tmp_path / "full")

    def stop_after_two(event, info):
        if event == "epoch" and info["epoch"] == 2:
            raise Stop

    with pytest.raises(Stop):
        fit(cfg, out=tmp_path / "part", callback=stop_after_two)
    assert json.loads((tmp_path / "part" / "config.json").read_text())["status"] == "failed"
    resumed = fit(cfg, out=tmp_path / "part", resume=True)
    wf = load_file(full.path / "model.safetensors")
    wr = load_file(resumed.path / "model.safetensors")
    assert set(wf) == set(wr) and all(torch.equal(wf[k], wr[k]) for k in wf)
    assert [m["epoch"] for m in resumed.metrics] == [1, 2, 3, 4]
    assert resumed.metrics[-1]["test_acc"] == full.metrics[-1]["test_acc"]


def test_resume_refuses_changed_settings_and_new_run_refuses_existing(
    tmp_path, digits_run, make_config
):
    with pytest.raises(InvalidArgumentError, match="different settings"):
        fit(make_config(model="small-cnn", epochs=8, lr=0.5), out=digits_run.path, resume=True)
    with pytest.raises(CheckpointError, match="already holds a run"):
        fit(make_config(), out=digits_run.path)
    with pytest.raises(CheckpointError, match="not a cnnlab run folder"):
        fit(make_config(), out=tmp_path / "nothing", resume=True)


def test_target_accuracy_stops_early(tmp_path, make_config):
    run = fit(make_config(epochs=10, target_accuracy=0.5), out=tmp_path / "t")
    accs = [m["test_acc"] for m in run.metrics]
    assert accs[-1] >= 0.5 and all(a < 0.5 for a in accs[:-1])
    assert len(accs) < 10


def test_nan_loss_stops_with_training_error_and_keeps_last_checkpoint(
    tmp_path, make_config, monkeypatch
):
    import cnnlab.models as models

    built = []
    real_build = models.build

    def spy_build(*args, **kwargs):
        built.append(real_build(*args, **kwargs))
        return built[-1]

    def poison(event, info):  # after epoch 1 is saved, put a NaN into the live weights
        if event == "epoch" and info["epoch"] == 1:
            with torch.no_grad():
                next(built[0].parameters()).view(-1)[0] = float("nan")

    monkeypatch.setattr(models, "build", spy_build)
    out = tmp_path / "nan"
    with pytest.raises(TrainingError, match=r"loss became nan at step 1"):
        fit(make_config(epochs=3), out=out, callback=poison)
    monkeypatch.undo()
    run = load_run(out)
    assert run.config["status"] == "failed" and "TrainingError" in run.config["error"]
    assert [m["epoch"] for m in run.metrics] == [1]
    assert all(torch.isfinite(v).all() for v in run.model.state_dict().values())


def test_huge_learning_rate_raises_training_error(tmp_path, make_config):
    with pytest.raises(TrainingError, match="expected a finite loss"):
        fit(
            make_config(
                model="flatten dense", lr=1e30, schedule="constant", optimizer="sgd", epochs=2
            ),
            out=tmp_path / "big",
        )


def test_config_rejects_before_anything_is_written(tmp_path):
    with pytest.raises(InvalidArgumentError):
        fit(TrainConfig(lr=-1.0), out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_fit_restores_the_thread_count(make_config, tmp_path):
    """A run with threads=1 must not change later runs in the same process (their weights
    depend on the thread count)."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        fit(make_config(epochs=1, threads=1), out=tmp_path / "run")
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
