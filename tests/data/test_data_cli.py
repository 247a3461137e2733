"""``cnnlab data list | show | fetch`` in-process: output, files written, refusals (exit 2)."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from data_helpers import idx_gz_files, small_mnist
from typer.testing import CliRunner

from cnnlab.cli import app
from cnnlab.data import loader
from cnnlab.data.idxsets import FASHION_MNIST, MNIST
from cnnlab.imageio import read_image

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"CNNLAB_LANG": "en", "COLUMNS": "120"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def _local(server, spec, arrays=None):
    """``spec`` with the local server as its only mirror (serving ``arrays`` if given)."""
    md5 = dict(spec.md5)
    if arrays is not None:
        for name, body in idx_gz_files(arrays).items():
            server.add(f"/m/{name}", body)
            md5[name.removesuffix(".gz")] = hashlib.md5(body).hexdigest()
    n = {} if arrays is None else {"n_train": len(arrays["y_train"]), "n_test": 10}
    return dataclasses.replace(spec, mirrors=(server.url + "/m/",), md5=md5, carrier=None, **n)


def test_list_shows_every_set_and_cache_state():
    out = run("data", "list")
    for name in ("digits", "mnist", "fashion-mnist", "mnist1d", "faces"):
        assert name in out
    assert "60,000" in out and "10,000" in out and "1,438" in out
    mnist_row = next(line for line in out.splitlines() if "│ mnist " in line)
    assert mnist_row.rstrip(" │").endswith("no")


def test_list_in_spanish():
    out = run("data", "list", "--lang", "es")
    assert "Conjuntos de datos" in out and "entrenamiento" in out and "incluido" in out


def test_fetch_from_local_mirror_then_list_says_cached(server, monkeypatch):
    spec = _local(server, MNIST, small_mnist(n_train=20))
    monkeypatch.setitem(loader.IDX_SETS, "mnist", spec)
    out = run("data", "fetch", "mnist")
    assert "mnist ready in" in out
    mnist_row = next(line for line in run("data", "list").splitlines() if "│ mnist " in line)
    assert mnist_row.rstrip(" │").endswith("yes")


def test_fetch_offline_fashion_mnist_explains(server, monkeypatch):
    monkeypatch.setitem(loader.IDX_SETS, "fashion-mnist", _local(server, FASHION_MNIST))
    out = run("data", "fetch", "fashion-mnist", code=2)
    assert "error: fashion-mnist could not be downloaded" in out
    assert "expected the four IDX files" in out and "HTTP 404" in out


def test_fetch_shipped_set(private_cache):
    out = run("data", "fetch", "digits")
    assert "ships with its Python package" in out
    assert not private_cache.exists()


def test_show_writes_a_png(tmp_path):
    target = tmp_path / "grid.png"
    out = run("data", "show", "digits", "--out", str(target), "--per-class", "3")
    assert str(target) in out
    image = read_image(target)
    assert image.shape[0] > 300 and image.shape[1] > 200
    assert [p.name for p in tmp_path.iterdir()] == ["grid.png"]


def test_show_bad_per_class(tmp_path):
    target = str(tmp_path / "g.png")
    out = run("data", "show", "digits", "--out", target, "--per-class", "0", code=2)
    assert "per_class must be in 1..64" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("data", "show", "mnsit"), "Did you mean 'mnist'"),
        (("data", "fetch", "fashion"), "Did you mean 'fashion-mnist'"),
        (("data", "show", "mnist"), "cnnlab data fetch mnist"),
    ],
)
def test_refusals_exit_2(args, message):
    out = run(*args, code=2)
    assert message in out and out.startswith("error:")


def test_show_empty_folder_exit_2(tmp_path):
    (tmp_path / "imgs").mkdir()
    out = run("data", "show", f"folder:{tmp_path / 'imgs'}", code=2)
    assert "has no class subfolders" in out
