"""`cnnlab summary` and `cnnlab models`, run in-process."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.models import PRESETS, parameter_growth, summary

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "120"})


def test_summary_table_has_every_layer_totals_and_mlp_line():
    result = run("summary", "lenet5", "--lang", "en")
    assert result.exit_code == 0, result.output
    for name in ("conv1", "pool2", "flatten1", "dense3", "16×5×5", "117,600", "61,706"):
        assert name in result.output
    assert "An MLP (hidden 256-256) on the same 784 inputs needs 269,322 parameters" in (
        " ".join(result.output.split())
    )
    assert "241.0 KiB" in result.output  # 61,706 × 4 bytes


def test_summary_in_spanish_uses_spanish_labels_and_grouping():
    result = run("summary", "lenet5", "--lang", "es")
    assert result.exit_code == 0
    assert "parámetros" in result.output and "61\u2009706" in result.output


def test_summary_of_a_spec_with_input_and_classes():
    result = run("summary", "conv(8,3) relu maxpool(2)", "--input", "3x10x10", "--classes", "4")
    assert result.exit_code == 0, result.output
    expected = summary("conv(8,3) relu maxpool(2)", (3, 10, 10), 4)
    assert f"{expected.total_params:,}" in result.output
    assert "flatten dense(4)" in result.output  # the appended head is shown in the spec line


def test_summary_takes_shape_and_classes_from_a_data_set():
    result = run("summary", "small-cnn", "--dataset", "digits", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1×8×8" in result.output and "32×2×2" in result.output
    faces = run("summary", "logistic", "--dataset", "faces")
    assert faces.exit_code == 0 and f"{625 * 2 + 2:,}" in faces.output  # 2 classes


def test_growth_table():
    result = run("summary", "--sizes", "28,64,1024", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = parameter_growth((28, 64, 1024))
    for row in rows:
        assert f"{row.mlp_params:,}" in result.output
        assert f"{row.cnn_params:,}" in result.output
    assert "1×1024×1024" in result.output and "23,552" in result.output  # conv weights


def test_models_lists_every_preset_with_its_description():
    for command in (["models"], ["summary", "--list"]):
        result = run(*command, "--lang", "es")
        assert result.exit_code == 0
        text = " ".join(result.output.split())
        for name in PRESETS:
            assert name in text
        # Spanish thousands: thin spaces (whitespace to split()), never a point
        assert "1 199 882" in text and "Perceptrón" in text
        assert "1.199.882" not in text and "1,199,882" not in text


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["summary", "lenett"], "Did you mean 'lenet5'?"),
        (["summary", "conv(16,3) rellu"], "at position 11: conv(16,3) »rellu"),
        (["summary", "conv(16,3"], "expected ',' or ')'"),
        (["summary", "lenet5", "--input", "1x8x8"], "layer 4 conv(16,5): input 6×4×4"),
        (["summary", "lenet5", "--input", "0x8"], "input shape must be"),
        (["summary", "lenet5", "--dataset", "digitz"], "Did you mean 'digits'?"),
        (["summary", "lenet5", "--dataset", "digits", "--input", "1x8x8"], "one of them"),
        (["summary", "--sizes", "28,-1"], "sizes must be whole numbers"),
        (["summary"], "summary needs a model"),
        (["summary", "flatten dense(5)", "--classes", "10"], "gives 5 scores"),
        (["summary", "lenet5", "--sizes", "28,8"], "lenet5 does not fit the input 1×8×8: layer 4"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, fragment):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.output


def test_summary_of_a_run_folder_uses_its_spec_shape_and_classes(tmp_path):
    config = {
        "spec": "conv(4,3) relu flatten dense(3)",
        "input_shape": [1, 8, 8],
        "num_classes": 3,
        "mean": [0.0],
        "std": [1.0],
        "dataset": "digits",
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    result = run("summary", str(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.output
    expected = (4 * 9 + 4) + (4 * 6 * 6 * 3 + 3)
    assert f"{expected:,}" in result.output and "4×6×6" in result.output
    bad = runner.invoke(app, ["summary", str(tmp_path / "..")])
    assert bad.exit_code == 2 and "not a cnnlab run folder" in bad.stderr


def test_summary_allocates_no_weights(monkeypatch):
    """A 805-million-parameter MLP is summarized from shapes alone (no 3 GiB of weights)."""
    import importlib

    build_module = importlib.import_module("cnnlab.models.build")  # the name is also a function

    def refuse(_planned):
        raise AssertionError("summary must not build modules")

    monkeypatch.setattr(build_module, "make_module", refuse)
    result = run("summary", "mlp", "--input", "3x1024x1024", "--lang", "en")
    assert result.exit_code == 0, result.output
    n = 3 * 1024 * 1024 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    assert f"{n:,}" in result.output and "3.0 GiB" in result.output


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (246_824, "241.0 KiB"),
        (5 << 20, "5.0 MiB"),
        (3 << 30, "3.0 GiB"),
    ],
)
def test_human_bytes(n, text):
    from cnnlab.i18n import human_bytes

    assert human_bytes(n) == text


def test_human_bytes_uses_a_decimal_comma_in_spanish():
    from cnnlab.i18n import human_bytes

    assert human_bytes(246_824, "es") == "241,0 KiB"  # "241.0" reads as 2410 in Spanish


def test_summary_folder_dataset_takes_size_and_color(tmp_path):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for name in ("cats", "dogs"):
        (tmp_path / name).mkdir()
        for i in range(3):
            pixels = rng.integers(0, 256, (12, 12, 3)).astype(np.uint8)
            Image.fromarray(pixels, "RGB").save(tmp_path / name / f"{i}.png")
    dataset = f"folder:{tmp_path}"
    result = run("summary", "small-cnn", "--dataset", dataset, "--size", "12", "--color", "rgb")
    assert result.exit_code == 0, result.output
    expected = summary("small-cnn", (3, 12, 12), 2)
    assert "3×12×12" in result.output and "1×28×28" not in result.output
    assert expected.rows[-1].output_shape == (2,)
    assert f"{expected.total_params:,}" in result.output
    default = run("summary", "small-cnn", "--dataset", dataset)
    assert default.exit_code == 0 and "1×28×28" in default.output
    bad = run("summary", "small-cnn", "--dataset", dataset, "--size", "0")
    assert bad.exit_code == 2 and "--size 0" in bad.output
