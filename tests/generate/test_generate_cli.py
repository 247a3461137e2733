"""cnnlab generate in-process: grids, arrays, morphs, refusals, Spanish."""

from __future__ import annotations

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from cnnlab.main import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_grid_npy_and_morph(gen_run, tmp_path):
    grid = tmp_path / "grid.png"
    result = invoke("generate", gen_run.path, "--count", 30, "--seed", 2, "--out", grid)
    assert result.exit_code == 0, result.output
    assert "30 digits (a grid, one row per label)" in result.output and str(grid) in result.output
    with Image.open(grid) as picture:
        assert picture.format == "PNG"
    npy = tmp_path / "sevens.npy"
    result = invoke("generate", gen_run.path, "--label", 7, "--count", 5, "--out", npy)
    assert result.exit_code == 0, result.output
    assert np.load(npy).shape == (5, 1, 8, 8)
    gif = tmp_path / "morph.gif"
    result = invoke("generate", gen_run.path, "--interpolate", "3,8", "--steps", 6, "--out", gif,
                    "--lang", "es")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "una transformación de 3 a 8 en 6 pasos" in result.output
    with Image.open(gif) as picture:
        assert picture.n_frames == 6
    plain = tmp_path / "plain.npy"
    result = invoke("generate", gen_run.path, "--label", 7, "--count", 5, "--temperature", 1,
                    "--out", plain)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not np.allclose(np.load(plain), np.load(npy))  # codes scaled by 1, not 0.8


def test_refusals_are_one_line_and_exit_2(gen_run, judge_run, tmp_path):
    out = tmp_path / "g.png"
    assert invoke("generate", gen_run.path, "--out", out).exit_code == 0
    again = invoke("generate", gen_run.path, "--out", out)
    assert again.exit_code == 2 and "already exists" in again.output and "--force" in again.output
    assert invoke("generate", gen_run.path, "--out", out, "--force").exit_code == 0
    cases = [
        (("--interpolate", "3"), "takes two labels"),
        (("--label", "12"), "labels 0..9"),
        (("--out", tmp_path / "g.bmp"), ".png or .npy"),
        (("--count", "0"), "count must be"),
        (("--temperature", "0"), "temperature must be a number in (0, 2]"),
    ]
    for extra, words in cases:
        result = invoke("generate", gen_run.path, *extra)
        assert result.exit_code == 2 and words in result.output, result.output
    result = invoke("generate", judge_run.path, "--out", tmp_path / "x.png")
    assert result.exit_code == 2 and "holds a classifier" in result.output


def test_default_output_goes_under_runs(gen_run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("generate", gen_run.path, "--count", 10)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / f"{gen_run.path.name}-samples.png").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["runs"]


def test_evaluate_and_predict_refuse_a_generative_run(gen_run):
    result = invoke("evaluate", gen_run.path)
    assert result.exit_code == 2 and "holds a generative model" in result.output
