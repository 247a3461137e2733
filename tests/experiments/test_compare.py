"""cnnlab compare on 8×8 digits: structure, permutation, shifts, outputs, CLI errors, Spanish."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cnnlab.data import load
from cnnlab.data.transforms import permute_pixels, translate
from cnnlab.errors import CheckpointError, InvalidArgumentError
from cnnlab.experiments import (
    ORIGINAL,
    PERMUTED,
    CompareConfig,
    Stat,
    compare,
    markdown,
    permuted_dataset,
    shift_accuracy,
    subset_dataset,
    tables,
    write_outputs,
)
from cnnlab.experiments.measure import accuracy
from cnnlab.i18n import THIN_SPACE
from cnnlab.main import app
from cnnlab.models import summary
from cnnlab.train import evaluate, load_run

#: two small models that train on 8×8 in well under a second per epoch
MLP = "flatten dense(32) relu dense"
CNN = "conv(8,3,padding=same) batchnorm relu maxpool(2) flatten dense"
FAST = dict(dataset="digits", epochs=2, batch_size=128, device="cpu", threads=1)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    events: list[tuple[str, dict]] = []
    cfg = CompareConfig(models=(MLP, CNN), seeds=(0, 1), max_shift=2, fractions=(0.5,), **FAST)
    res = compare(cfg, out, callback=lambda e, i: events.append((e, i)))
    return res, out, events


def test_structure_has_every_model_variant_and_seed(result):
    res, _, events = result
    assert [m.model for m in res.models] == [MLP, CNN]
    assert len(res.trials) == 2 * 3 * 2  # models × (original, permuted, 50 %) × seeds
    assert {t.variant for t in res.trials} == {ORIGINAL, PERMUTED, "train-50%"}
    assert res.shifts == (0, 1, 2) and len(res.directions) == 4
    for m in res.models:
        assert m.params == summary(m.spec, (1, 8, 8), 10).total_params
        assert len(m.accuracy.values) == 2 and len(m.permuted.values) == 2
        assert 0.1 < m.accuracy.mean <= 1.0
        assert len(m.shift) == 3 and m.shift[0] == m.accuracy
        assert m.fractions["train-50%"].values
    assert not res.models[0].has_conv and res.models[1].has_conv
    assert sum(1 for e, _ in events if e == "trial") == 12
    assert sum(1 for e, _ in events if e == "epoch") == 12 * 2  # fit's own progress events
    half = [t for t in res.trials if t.variant == "train-50%"]
    assert all(t.n_train == round(res.n_train * 0.5) for t in half)


def test_every_trial_is_a_run_folder_scored_as_fit_scored_it(result):
    res, out, _ = result
    for t in res.trials:
        run = load_run(out / t.run)
        assert run.config["status"] == "complete"
        assert run.config["seed"] == t.seed
        # fit's own end-of-training test accuracy, on the same (variant's) test images
        assert t.test_acc == pytest.approx(run.metrics[-1]["test_acc"], abs=1.5 / 359)
        assert t.train_seconds == run.metrics[-1]["seconds"]


def test_permutation_is_the_same_for_train_and_test():
    ds = load("digits", val_fraction=0.1, seed=0)
    perm = permuted_dataset(ds, seed=3)
    for split in ("train", "val", "test"):
        x, px = getattr(ds, split).x, getattr(perm, split).x
        np.testing.assert_array_equal(px, permute_pixels(x, 3))
        np.testing.assert_array_equal(getattr(perm, split).y, getattr(ds, split).y)
    # one and the same reordering of positions: recover it from a train image, apply to test
    probe = np.arange(64, dtype=np.float32).reshape(1, 1, 8, 8)
    order = permute_pixels(probe, 3).ravel().astype(int)  # new position i holds old order[i]
    np.testing.assert_array_equal(
        perm.test.x.reshape(len(perm.test), -1), ds.test.x.reshape(len(ds.test), -1)[:, order]
    )
    assert not np.array_equal(perm.test.x, ds.test.x)
    assert perm.mean == ds.mean and perm.std == ds.std


def test_permutation_of_an_empty_split_is_empty():
    ds = load("digits", val_fraction=0.0, seed=0)
    assert len(ds.val) == 0
    assert permuted_dataset(ds, 0).val.x.shape == (0, 1, 8, 8)


def test_runs_use_the_permuted_data(result):
    res, out, _ = result
    trial = next(t for t in res.trials if t.variant == PERMUTED)
    run = load_run(out / trial.run)
    assert "permuted" in run.config["data_name"]
    ds = permuted_dataset(load("digits", val_fraction=0.0, seed=0), res.settings["perm_seed"])
    assert accuracy(run, ds.test.x, ds.test.y) == trial.test_acc


def test_shift_zero_is_plain_accuracy_and_shifts_are_averaged(result):
    res, out, _ = result
    trial = next(t for t in res.trials if t.variant == ORIGINAL and t.model == CNN)
    run = load_run(out / trial.run)
    ds = load("digits", val_fraction=0.0, seed=0)
    assert trial.shift_acc[0] == evaluate(run, ds).accuracy
    dirs = ((0, 1), (0, -1), (1, 0), (-1, 0))
    by_hand = np.mean(
        [accuracy(run, translate(ds.test.x, dx=2 * ux, dy=2 * uy), ds.test.y) for uy, ux in dirs]
    )
    assert trial.shift_acc[2] == pytest.approx(by_hand)
    curve = shift_accuracy(run, ds.test, 0, dirs)
    assert curve == (trial.shift_acc[0],)
    with pytest.raises(InvalidArgumentError, match="max shift"):
        shift_accuracy(run, ds.test, -1, dirs)


def test_subset_is_stratified_and_keeps_test():
    ds = load("digits", val_fraction=0.0, seed=0)
    small = subset_dataset(ds, 0.1)
    assert len(small.train) == round(len(ds.train) * 0.1)
    assert set(np.unique(small.train.y)) == set(range(10))
    np.testing.assert_array_equal(small.test.x, ds.test.x)
    with pytest.raises(InvalidArgumentError, match="fraction"):
        subset_dataset(ds, 1.0)


def test_stat_mean_and_sample_std():
    s = Stat.of([0.96, 0.98])
    assert s.mean == pytest.approx(0.97) and s.std == pytest.approx(0.0141421356)
    assert Stat.of([0.5]).std == 0.0


def test_outputs_json_markdown_figures(result, tmp_path):
    res, _, _ = result
    files = write_outputs(res, tmp_path, lang="en", command="cnnlab compare --dataset digits")
    names = {f.name for f in files}
    assert {"results.json", "summary.md", "overview.png", "shift.png"} <= names
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["command"] == "cnnlab compare --dataset digits"
    assert data["models"][1]["accuracy"]["mean"] == res.models[1].accuracy.mean
    assert len(data["trials"]) == 12
    md = (tmp_path / "summary.md").read_text()
    assert f"{res.models[1].params:,}" in md
    assert f"{res.models[0].accuracy.mean * 100:.2f}" in md
    for f in files:
        if f.suffix == ".png":
            assert f.read_bytes()[:4] == b"\x89PNG"


def test_tables_in_spanish(result):
    res, _, _ = result
    titles = [t.title for t in tables(res, "es")]
    assert any("permutados" in t for t in titles)
    assert any("Traslación" in t for t in titles)
    md = markdown(res, "es")
    assert "la conclusión de la presentación" in md
    m = res.models[1]
    assert f"{m.accuracy.mean * 100:.2f}".replace(".", ",") in md  # decimal comma
    assert f"{m.params:,}".replace(",", THIN_SPACE) in md  # thin-space thousands


def test_permutation_table_in_spanish_uses_decimal_commas(result, monkeypatch):
    for var in ("CNNLAB_LANG", "LC_ALL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # --lang es must win over an English shell
    res, _, _ = result
    perm = next(t for t in tables(res, "es") if t.key == "permutation")
    for row in perm.rows:
        assert all("." not in cell for cell in row[1:]), row
    note = next(t for t in tables(res, "es") if t.key == "models").note
    assert "lr máxima 0," in note and "label smoothing 0,1" in note


def test_finished_runs_are_read_back_not_retrained(result):
    res, out, _ = result
    cfg = CompareConfig(models=(MLP,), seeds=(0,), max_shift=1, permute=False, **FAST)
    again = compare(cfg, out)
    assert all(t.reused for t in again.trials)
    first = next(t for t in res.trials if t.model == MLP and t.variant == ORIGINAL and t.seed == 0)
    assert again.trials[0].test_acc == first.test_acc
    with pytest.raises(CheckpointError, match="other settings"):
        compare(CompareConfig(**{**FAST, "epochs": 1}, models=(MLP,), seeds=(0,)), out)


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"models": ()}, "one or more"),
        ({"models": ("mlp", "mlp")}, "twice"),
        ({"seeds": ()}, "seeds"),
        ({"max_shift": -1}, "max shift"),
        ({"fractions": (1.5,)}, "fractions"),
        ({"epochs": 0}, "epochs"),
    ],
)
def test_config_rejects_bad_settings(changes, match):
    with pytest.raises(InvalidArgumentError, match=match):
        CompareConfig(**{**FAST, **changes})


runner = CliRunner()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--models", "mlpx"], "mlpx"),
        (["--models", ","], "one or more"),
        (["--max-shift", "-2"], "max shift"),
        (["--dataset", "mnistt"], "mnistt"),
        (["--seeds", "0,a"], "--seeds"),
        (["--models", "cnn1d"], "model cnn1d does not fit digits (1×8×8)"),
        (["--models", "mlp,lenet5"], "model lenet5 does not fit"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, args, words):
    res = runner.invoke(app, ["compare", "--dataset", "digits", "--out", str(tmp_path), *args])
    assert res.exit_code == 2, res.output
    assert words in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "runs").exists()  # refused before any training


def test_cli_spanish_run(tmp_path):
    args = ["compare", "--dataset", "digits", "--models", f"{MLP},{CNN}", "--epochs", "1"]
    args += ["--seeds", "0", "--max-shift", "1", "--no-permute", "--threads", "1"]
    res = runner.invoke(app, [*args, "--out", str(tmp_path), "--lang", "es", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "exactitud en prueba" in res.output and "Traslación" in res.output
    assert "permutados" not in res.output  # --no-permute: no permutation table
    data = json.loads((tmp_path / "results.json").read_text())
    assert [m["model"] for m in data["models"]] == [MLP, CNN]
    assert data["models"][0]["permuted"] is None
    assert "Traslación" in (tmp_path / "summary.md").read_text()


def test_fit_with_data_in_memory_is_one_process_only(tmp_path):
    from cnnlab.train import TrainConfig, fit

    ds = load("digits", val_fraction=0.0, seed=0)
    with pytest.raises(InvalidArgumentError, match="one process"):
        fit(TrainConfig(model=MLP, dataset="digits", epochs=1), tmp_path / "r", nproc=2, data=ds)
    assert not (tmp_path / "r").exists()


def test_experiments_import_nothing_above_them():
    import subprocess
    import sys

    code = (
        "import sys, cnnlab.experiments\n"
        "up = [m for m in sys.modules if m.startswith(('cnnlab.cli', 'cnnlab.web'))]\n"
        "assert not up, up\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
