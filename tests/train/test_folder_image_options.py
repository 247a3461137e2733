"""``cnnlab train --size/--color`` for folder: data sets, recorded in config.json and reused."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cnnlab.errors import InvalidArgumentError
from cnnlab.main import app
from cnnlab.train import TrainConfig, evaluate, fit, load_run


def _folder(root: Path) -> Path:
    rng = np.random.default_rng(0)
    for k, name in enumerate(("dark", "light")):
        (root / name).mkdir(parents=True)
        for i in range(6):
            pixels = rng.integers(0, 100, (20, 16, 3)) + 150 * k
            Image.fromarray(pixels.astype(np.uint8), "RGB").save(root / name / f"{i}.png")
    return root


def test_train_cli_size_color_recorded_and_reused(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "pics")
    out = tmp_path / "run"
    args = ["train", "--model", "small-cnn", "--dataset", f"folder:{folder}", "--epochs", "1",
            "--size", "12x10", "--color", "rgb", "--no-report", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    assert config["image_size"] == [12, 10] and config["color"] == "rgb"
    assert config["input_shape"] == [3, 12, 10]
    run = load_run(out)
    assert run.dataset().test.x.shape[1:] == (3, 12, 10)  # (N, 3, 12, 10)
    assert evaluate(run).confusion.sum() == run.dataset().test.x.shape[0]


def test_train_cli_bad_color_is_one_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "pics")
    args = ["train", "--model", "small-cnn", "--dataset", f"folder:{folder}", "--color", "rbg",
            "--out", str(tmp_path / "run")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "rgb" in result.output
    assert "Traceback" not in result.output


def test_image_size_from_json_list_and_resume(tmp_path: Path) -> None:
    cfg = TrainConfig(dataset=f"folder:{_folder(tmp_path / 'pics')}", epochs=1, image_size=(8, 8))
    assert TrainConfig.from_dict(cfg.to_dict() | {"image_size": [8, 8]}) == cfg
    with pytest.raises(InvalidArgumentError):
        TrainConfig(image_size=(8, 0))
    fit(cfg, tmp_path / "run")
    run = fit(cfg, tmp_path / "run", resume=True)  # image_size read back as a list: no "changes"
    assert run is not None and len(run.metrics) == 1


def test_report_equivalent_command_keeps_folder_image_options() -> None:
    from cnnlab.viz.report import equivalent_command

    cfg = {"model": "small-cnn", "dataset": "folder:pics", "image_size": [32, 24], "color": "rgb"}
    assert equivalent_command(cfg).endswith("--size 32x24 --color rgb")
    assert "--size" not in equivalent_command({"dataset": "digits", "image_size": [28, 28]})


def test_run_predict_takes_image_paths(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "pics")
    cfg = TrainConfig(dataset=f"folder:{folder}", epochs=1, image_size=(8, 8), color="rgb")
    run = fit(cfg, tmp_path / "run")
    big = tmp_path / "big.png"
    Image.open(folder / "light" / "0.png").resize((200, 160)).save(big)
    from cnnlab.train.images import load_image

    expected = run.predict(load_image(big, (3, 8, 8), "resize")[None])  # (1, K)
    np.testing.assert_allclose(run.predict(str(big)), expected, rtol=1e-6)
    assert run.predict([big, big]).shape == (2, 2)


def test_batch_larger_than_training_split_warns(tmp_path: Path) -> None:
    cfg = TrainConfig(dataset=f"folder:{_folder(tmp_path / 'pics')}", epochs=1, image_size=(8, 8))
    with pytest.warns(UserWarning, match=r"batch size 128 is larger than the \d+ training images"):
        run = fit(cfg, tmp_path / "run")
    assert run is not None and run.config["batch_size"] == 128  # one epoch's default, recorded
    small = TrainConfig.from_dict(cfg.to_dict() | {"batch_size": 4})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        fit(small, tmp_path / "run4")


def test_train_cli_big_batch_warning_is_one_line_once(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "pics")
    args = ["train", "--model", "small-cnn", "--dataset", f"folder:{folder}", "--epochs", "2",
            "--size", "8", "--no-report", "--out", str(tmp_path / "run")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "batch size" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: batch size 256 is larger than")
    assert "--batch-size" in lines[0] and "UserWarning" not in result.stderr
