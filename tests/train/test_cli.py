"""cnnlab train / evaluate / predict in-process with CliRunner: output, exit codes, no debris."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cnnlab.main import app

runner = CliRunner()
TINY = "conv(8,3,padding=same) batchnorm relu maxpool(2) flatten dense"


def test_train_writes_a_complete_run_and_resume_finishes_it(tmp_path):
    out = tmp_path / "run"
    args = [
        "train",
        "--model",
        TINY,
        "--dataset",
        "digits",
        "--epochs",
        "2",
        "--batch-size",
        "128",
        "--lr",
        "0.02",
        "--device",
        "cpu",
        "--threads",
        "1",
        "--out",
        str(out),
        "--no-report",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "run saved in" in result.output and "epoch 2" in result.output
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["status"] == "complete" and cfg["command"].startswith("cnnlab ")
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 2
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*")
              if p.is_file()}  # fmt: skip
    again = runner.invoke(app, ["train", "--resume", "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert again.output.strip().splitlines() == [
        f"the run in {out} is already complete (2 epochs); nothing to resume, the folder is "
        "left as it is"
    ]
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*")
             if p.is_file()}  # fmt: skip
    assert after == before and "report.html" not in after  # nothing rewritten, no report added
    es = runner.invoke(app, ["train", "--resume", "--out", str(out), "--lang", "es"])
    assert es.exit_code == 0 and "ya está completa (2 épocas)" in es.output


class Stop(Exception):
    pass


def test_resuming_an_unfinished_run_keeps_the_command_that_started_it(tmp_path):
    from cnnlab.train import TrainConfig, fit

    out = tmp_path / "run"
    cfg = TrainConfig(model=TINY, dataset="digits", epochs=2, batch_size=128, lr=0.02,
                      device="cpu", threads=1)  # fmt: skip

    def stop_after_one(event, info):
        if event == "epoch" and info["epoch"] == 1:
            raise Stop

    original = f"cnnlab train --model '{TINY}' --dataset digits --epochs 2 --out {out}"
    with pytest.raises(Stop):
        fit(cfg, out, callback=stop_after_one, command=original)
    result = runner.invoke(app, ["train", "--resume", "--out", str(out), "--no-report"])
    assert result.exit_code == 0, result.output
    saved = json.loads((out / "config.json").read_text())
    assert saved["status"] == "complete" and saved["final"]["epochs_run"] == 2
    assert saved["command"] == original  # not the `--resume` command line


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--lr", "0"], "lr must be > 0"),
        (["--lr", "-1"], "lr must be > 0"),
        (["--batch-size", "0"], "batch size must be at least 1"),
        (["--target-accuracy", "1.5"], "target accuracy must be in (0, 1]"),
        (["--target-accuracy", "0"], "target accuracy must be in (0, 1]"),
        (["--epochs", "0"], "epochs must be at least 1"),
        (["--optimizer", "adam"], "unknown optimizer"),
    ],
)
def test_train_refuses_bad_settings(tmp_path, extra, message):
    out = tmp_path / "bad"
    result = runner.invoke(
        app, ["train", "--model", TINY, "--dataset", "digits", "--out", str(out), *extra]
    )
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_train_refuses_model_data_shape_mismatch(tmp_path):
    out = tmp_path / "mismatch"
    result = runner.invoke(
        app,
        ["train", "--model", "conv(4,3) flatten dense", "--dataset", "mnist1d", "--out", str(out)],
    )
    assert result.exit_code == 2 and result.output.startswith("error:")
    assert not out.exists()


def test_evaluate_prints_metrics_and_confusion(digits_run):
    result = runner.invoke(app, ["evaluate", str(digits_run.path)])
    assert result.exit_code == 0, result.output
    acc = digits_run.metrics[-1]["test_acc"]
    assert f"{acc:.2%}" in result.output
    assert "precision" in result.output and "confusion matrix" in result.output
    es = runner.invoke(app, ["evaluate", str(digits_run.path), "--lang", "es"])
    assert "matriz de confusión" in es.output
    spanish_acc = f"{100 * acc:.2f}".replace(".", ",") + "\u00a0%"  # decimal comma, spaced %
    assert f"digits [prueba]: exactitud {spanish_acc}" in es.output
    assert f"{acc:.2%}" not in es.output


def test_evaluate_and_predict_refuse_a_folder_that_is_not_a_run(tmp_path):
    for args in (["evaluate", str(tmp_path)], ["predict", str(tmp_path), "x.png"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "not a cnnlab run folder" in result.output


def test_evaluate_refuses_truncated_weights(digits_run, tmp_path):
    import shutil

    folder = tmp_path / "run"
    shutil.copytree(digits_run.path, folder)
    data = (folder / "model.safetensors").read_bytes()
    (folder / "model.safetensors").write_bytes(data[: len(data) // 3])
    result = runner.invoke(app, ["evaluate", str(folder)])
    assert result.exit_code == 2 and "truncated or tampered" in result.output


def test_predict_json_and_table(digits_run, tmp_path):
    x = digits_run.dataset().test.x[0, 0]
    path = tmp_path / "d.png"
    Image.fromarray((255 - np.kron(x, np.ones((6, 6))) * 255).astype(np.uint8)).save(path)
    result = runner.invoke(app, ["predict", str(digits_run.path), str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 1 and len(data[0]["top"]) == 3
    assert sum(t["prob"] for t in data[0]["top"]) <= 1.0 + 1e-6
    table = runner.invoke(
        app, ["predict", str(digits_run.path), str(path), "--top", "2", "--engine", "torch"]
    )
    assert table.exit_code == 0 and "d.png" in table.output and "#2" in table.output


def test_predict_shows_each_path_as_given(digits_run, tmp_path, monkeypatch):
    x = digits_run.dataset().test.x[:2, 0]
    for folder, img in zip(("a", "b"), x, strict=True):
        (tmp_path / folder).mkdir()
        picture = (255 - np.kron(img, np.ones((6, 6))) * 255).astype(np.uint8)
        Image.fromarray(picture).save(tmp_path / folder / "1.png")
    monkeypatch.chdir(tmp_path)
    given = ["a/1.png", "./b/1.png"]
    table = runner.invoke(app, ["predict", str(digits_run.path), *given, "--top", "1"])
    assert table.exit_code == 0, table.output
    rows = [line for line in table.output.splitlines() if "1.png" in line]
    assert len(rows) == 2 and "a/1.png" in rows[0] and "./b/1.png" in rows[1]
    as_json = runner.invoke(app, ["predict", str(digits_run.path), *given, "--json"])
    assert [r["image"] for r in json.loads(as_json.output)] == given


def test_predict_refuses_non_images(digits_run, tmp_path):
    bad = tmp_path / "x.png"
    bad.write_bytes(b"GIF89a....")
    result = runner.invoke(app, ["predict", str(digits_run.path), str(bad)])
    assert result.exit_code == 2 and "not a PNG or JPEG" in result.output


def test_a_folder_data_sets_warning_is_printed_once_per_train(tmp_path):
    """Training, its report and the report's figures load the data set again: one warning."""
    root = tmp_path / "shapes"
    for name, value in (("dark", 0), ("light", 255)):
        (root / name).mkdir(parents=True)
        for i in range(12):
            Image.new("L", (8, 8), value if i % 2 else 128).save(root / name / f"{i}.png")
    (root / "dark" / "notes.txt").write_text("not an image")
    out = tmp_path / "run"
    args = ["train", "--model", "conv(4,3) relu flatten dense", "--dataset", f"folder:{root}",
            "--size", "8", "--epochs", "1", "--batch-size", "8", "--device", "cpu",
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file()  # the report loaded the data set too
    lines = [line for line in result.output.splitlines() if "notes.txt" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: skipping")
