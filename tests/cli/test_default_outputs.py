"""Commands that write pictures: by default under runs/ (or the run folder), never over an
existing file without --force, and they say where they wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnnlab.main import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], env={"CNNLAB_LANG": "en"})


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each command from an empty folder, as a newcomer would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def files_in(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "default"),
    [
        (["animate", "bidoof-worked", "--kernel", "deck", "--every", "60"],
         "runs/bidoof-worked-conv.gif"),
        (["data", "show", "digits", "--per-class", "1"], "runs/digits-grid.png"),
    ],
)  # fmt: skip
def test_default_output_is_under_runs_and_never_replaced_without_force(in_tmp, args, default):
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert default in first.output  # says where it wrote
    assert list(files_in(in_tmp)) == [default]  # nothing in the current folder itself
    before = files_in(in_tmp)
    again = invoke(*args)
    assert again.exit_code == 2
    assert again.output.strip().splitlines() == [
        f"error: {default} already exists; expected a new file (or --force to replace it). "
        f"Received: {default}"
    ]
    assert files_in(in_tmp) == before  # untouched
    spanish = invoke(*args, "--lang", "es")
    assert spanish.exit_code == 2 and "ya existe" in spanish.output and "--force" in spanish.output
    forced = invoke(*args, "--force")
    assert forced.exit_code == 0, forced.output
    assert files_in(in_tmp)[default] != before[default]  # written again


def test_transposed_animation_is_named_after_its_input(in_tmp, tmp_path_factory):
    small = tmp_path_factory.mktemp("inputs") / "small.csv"
    small.write_text("1,2,3\n4,5,6\n7,8,9\n")
    args = ["animate", small, "-k", "1,1;1,1", "--stride", "2", "--transposed"]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "runs/small-transposed.gif" in first.output
    assert list(files_in(in_tmp)) == ["runs/small-transposed.gif"]
    again = invoke(*args)
    assert again.exit_code == 2 and "small-transposed.gif already exists" in again.output


def test_convolve_out_is_not_replaced_without_force(in_tmp):
    args = ["convolve", "bidoof", "--out", "edges.csv"]
    assert invoke(*args).exit_code == 0
    again = invoke(*args)
    assert again.exit_code == 2 and "edges.csv already exists" in again.output
    assert invoke(*args, "--force").exit_code == 0


def test_visualize_writes_into_the_run_folder_by_default(in_tmp):
    from cnnlab.train import TrainConfig, fit

    run = fit(TrainConfig(model="conv(4,3,padding=same) relu maxpool(2) flatten dense",
                          dataset="digits", epochs=1, device="cpu", threads=1),
              out=in_tmp / "run")  # fmt: skip
    args = ["visualize", run.path, "--what", "kernels"]
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    target = run.path / "pictures" / "kernels_conv1.png"
    assert first.output.split() == [str(target)] and target.read_bytes()[:4] == b"\x89PNG"
    before = files_in(in_tmp)
    again = invoke(*args)
    assert again.exit_code == 2 and f"{target} already exists" in again.output
    assert files_in(in_tmp) == before
    assert invoke(*args, "--force").exit_code == 0
