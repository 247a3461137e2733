"""``cnnlab data list | show | fetch`` in-process: output, files written, refusals (exit 2)."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from data_helpers import idx_gz_files, small_mnist
from typer.testing import CliRunner

from cnnlab.data import loader
from cnnlab.data.idxsets import FASHION_MNIST, MNIST
from cnnlab.imageio import read_image
from cnnlab.main import app

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


def test_fetch_puts_idx_files_in_data_dir_from_the_offline_package_and_the_cache(
    server, monkeypatch, tmp_path
):
    from cnnlab.data.idxsets import find_idx_files, read_idx_set

    arrays = small_mnist(n_train=20)
    offline = dataclasses.replace(_local(server, MNIST, arrays), carrier=lambda: arrays)
    server.routes.clear()  # every mirror answers 404: the set comes from the offline package
    monkeypatch.setitem(loader.IDX_SETS, "mnist", offline)
    first = tmp_path / "first"
    out = run("data", "fetch", "mnist", "--data-dir", str(first))
    assert f"wrote the four IDX files of mnist to {first}" in out and "mnist ready in" in out
    cached = tmp_path / "second"  # a second folder, filled from the cache this time
    out = run("data", "fetch", "mnist", "--data-dir", str(cached))
    assert "already cached" in out and f"to {cached}" in out
    for folder in (first, cached):
        files = find_idx_files(folder, "mnist")
        assert files is not None and sorted(p.name for p in folder.iterdir()) == sorted(
            f"{part}.gz" for part in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
        )  # fmt: skip
        back = read_idx_set(files)
        assert all((back[k] == arrays[k]).all() for k in arrays)
    again = run("data", "fetch", "mnist", "--data-dir", str(first))  # files there: left alone
    assert "wrote the four IDX files" not in again


def test_data_dir_help_means_the_same_everywhere():
    texts = []
    for command in (["train"], ["compare"], ["data", "fetch"], ["data", "show"]):
        out = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "400"}).output
        line = next(line for line in out.splitlines() if "--data-dir" in line)
        texts.append(" ".join(line.replace("│", " ").split()))
    assert len(set(texts)) == 1 and "data fetch` puts them in it" in texts[0]


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


def test_fetch_when_cached_does_nothing_unless_forced(server, monkeypatch):
    spec = _local(server, MNIST, small_mnist(n_train=20))
    monkeypatch.setitem(loader.IDX_SETS, "mnist", spec)
    run("data", "fetch", "mnist")
    server.hits.clear()
    assert "mnist is already cached" in run("data", "fetch", "mnist")
    assert server.hits == []
    run("data", "fetch", "mnist", "--force")
    assert len(server.hits) == 0  # the kept IDX files pass their MD5 check: no download
    spec.cache_file.unlink()
    (spec.cache_file.parent / "mnist-idx" / "t10k-labels-idx1-ubyte.gz").unlink()
    run("data", "fetch", "mnist", "--force")
    assert server.hits == ["/m/t10k-labels-idx1-ubyte.gz"]


def test_list_says_no_for_a_corrupt_cache_and_groups_in_spanish(private_cache):
    private_cache.mkdir()
    (private_cache / "mnist.npz").write_bytes(b"PK\x03\x04 not a zip")
    mnist_row = next(line for line in run("data", "list").splitlines() if "│ mnist " in line)
    assert mnist_row.rstrip(" │").endswith("no")
    spanish = run("data", "list", "--lang", "es")
    assert "60\u2009000" in spanish and "1\u2009438" in spanish


def _class_folder(root, rgb_values):
    from PIL import Image

    for name, value in rgb_values.items():
        (root / name).mkdir(parents=True)
        for i in range(5):
            Image.new("RGB", (12, 10), value).save(root / name / f"{i}.png")


def test_show_folder_rgb_at_a_chosen_size_with_one_line_warnings(tmp_path):
    root = tmp_path / "imgs"
    _class_folder(root, {"red": (255, 0, 0), "blue": (0, 0, 255)})
    (root / "red" / "notes.txt").write_text("not an image")
    target = tmp_path / "grid.png"
    result = runner.invoke(
        app,
        ["data", "show", f"folder:{root}", "--size", "6x9", "--color", "rgb", "--out", str(target)],
    )
    assert result.exit_code == 0, result.output
    warning_lines = [line for line in result.stderr.splitlines() if "notes.txt" in line]
    assert len(warning_lines) == 1 and warning_lines[0].startswith("warning: skipping")
    assert "UserWarning" not in result.stderr
    picture = read_image(target, mode="RGB").astype(int)
    reds = (picture[..., 0] > 200) & (picture[..., 1] < 50) & (picture[..., 2] < 50)
    blues = (picture[..., 2] > 200) & (picture[..., 0] < 50) & (picture[..., 1] < 50)
    assert reds.sum() > 100 and blues.sum() > 100  # drawn in colour, both classes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("data", "show", "folder:"), "folder: needs a path"),
        (("data", "show", "digits", "--size", "0x3"), "image size must be N or HxW"),
        (("data", "show", "digits", "--size", "abc"), "Received: --size abc"),
    ],
)
def test_show_refuses_bad_folder_and_size(args, message):
    out = run(*args, code=2)
    assert message in out and out.startswith("error:")
