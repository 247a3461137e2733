"""Downloads against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest
from data_helpers import idx_gz_files, small_mnist

from cnnlab.data.download import download, download_first, file_digest
from cnnlab.data.idxsets import MNIST, fetch_idx_set, load_idx_set
from cnnlab.errors import DataError

BODY = bytes(range(256)) * 1000  # 256 kB: several chunks


def test_good_file_with_sha256_and_progress(server, tmp_path):
    url = server.add("/ok.bin", BODY)
    seen = []
    dest = download(
        url,
        tmp_path / "ok.bin",
        sha256=hashlib.sha256(BODY).hexdigest(),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert dest.read_bytes() == BODY
    assert seen[-1] == (len(BODY), len(BODY)) and len(seen) > 1
    assert file_digest(dest, "md5") == hashlib.md5(BODY).hexdigest()


def test_good_file_with_md5(server, tmp_path):
    url = server.add("/ok.bin", BODY)
    download(url, tmp_path / "ok.bin", md5=hashlib.md5(BODY).hexdigest())
    assert (tmp_path / "ok.bin").read_bytes() == BODY


def test_wrong_hash_leaves_nothing(server, tmp_path):
    url = server.add("/ok.bin", BODY)
    with pytest.raises(DataError, match="wrong sha256"):
        download(url, tmp_path / "x.bin", sha256="0" * 64)
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_wrong_hash_keeps_previous_file(server, tmp_path):
    url = server.add("/ok.bin", BODY)
    (tmp_path / "x.bin").write_bytes(b"previous")
    with pytest.raises(DataError):
        download(url, tmp_path / "x.bin", md5="0" * 32)
    assert (tmp_path / "x.bin").read_bytes() == b"previous"


def test_truncated_transfer(server, tmp_path):
    url = server.add("/short.bin", BODY[:1000], declared=len(BODY))
    with pytest.raises(DataError, match=r"cut short|IncompleteRead"):
        download(url, tmp_path / "short.bin")
    assert list(tmp_path.iterdir()) == []


def test_404(server, tmp_path):
    with pytest.raises(DataError, match="HTTP 404"):
        download(server.url + "/missing.bin", tmp_path / "m.bin")
    assert list(tmp_path.iterdir()) == []


def test_unreachable_host_fails_fast(tmp_path):
    with pytest.raises(DataError, match="failed"):
        download("http://127.0.0.1:9/none", tmp_path / "n.bin", timeout=2)


def test_first_mirror_down_second_used(server, tmp_path):
    good = server.add("/b/f.bin", BODY)
    dest = download_first([server.url + "/a/f.bin", good], tmp_path / "f.bin")
    assert dest.read_bytes() == BODY
    assert server.hits == ["/a/f.bin", "/b/f.bin"]


def test_all_mirrors_down_lists_each(server, tmp_path):
    with pytest.raises(DataError, match=r"no mirror could be used: .*/a/f.*\| .*/b/f"):
        download_first([server.url + "/a/f", server.url + "/b/f"], tmp_path / "f")


def _local_mnist(server, arrays, carrier=None):
    """An MNIST spec whose mirrors are the local server, serving ``arrays`` as IDX .gz files."""
    files = idx_gz_files(arrays)
    md5 = {}
    for name, body in files.items():
        server.add(f"/mnist/{name}", body)
        md5[name.removesuffix(".gz")] = hashlib.md5(body).hexdigest()
    return dataclasses.replace(
        MNIST,
        mirrors=(server.url + "/down/", server.url + "/mnist/"),
        md5=md5,
        carrier=carrier,
        n_train=len(arrays["y_train"]),
        n_test=len(arrays["y_test"]),
    )


def test_fetch_from_mirror_then_load(server, private_cache):
    arrays = small_mnist()
    spec = _local_mnist(server, arrays)
    notes = []
    path = fetch_idx_set(spec, note=notes.append)
    assert path == private_cache / "mnist.npz"
    assert (private_cache / "mnist-idx" / "train-images-idx3-ubyte.gz").is_file()
    loaded = load_idx_set(spec)
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded[key], value)
    assert any("cached mnist" in n for n in notes)


def test_fetch_into_data_dir(server, tmp_path):
    arrays = small_mnist()
    spec = _local_mnist(server, arrays)
    fetch_idx_set(spec, data_dir=tmp_path / "idx")
    assert sorted(p.name for p in (tmp_path / "idx").iterdir())[0] == "t10k-images-idx3-ubyte.gz"
    np.testing.assert_array_equal(load_idx_set(spec, tmp_path / "idx")["y_test"], arrays["y_test"])


def test_corrupt_cache_is_deleted_and_refetched(server, private_cache):
    arrays = small_mnist()
    spec = _local_mnist(server, arrays)
    fetch_idx_set(spec)
    (private_cache / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip")
    server.hits.clear()
    loaded = load_idx_set(spec)  # detects, deletes, rebuilds from the kept IDX files
    np.testing.assert_array_equal(loaded["x_train"], arrays["x_train"])
    assert np.load(private_cache / "mnist.npz")["x_train"].shape == (20, 28, 28)


def test_wrong_shape_cache_is_refetched(server, private_cache):
    from cnnlab.data.cache import save_arrays

    spec = _local_mnist(server, small_mnist())
    save_arrays(private_cache / "mnist.npz", small_mnist(n_train=7))  # wrong count
    assert load_idx_set(spec)["x_train"].shape == (20, 28, 28)
    assert server.hits  # it had to download


def test_not_downloaded_explains_what_to_run(server):
    spec = _local_mnist(server, small_mnist())
    with pytest.raises(DataError, match="Run: cnnlab data fetch mnist"):
        load_idx_set(spec)
    assert server.hits == []  # loading never downloads on its own


def test_no_carrier_offline_says_where_to_put_files(server, private_cache):
    spec = dataclasses.replace(MNIST, name="fashion-mnist", mirrors=(server.url + "/x/",))
    spec = dataclasses.replace(spec, carrier=None)
    with pytest.raises(DataError, match=r"expected the four IDX files .* in .*fashion-mnist-idx"):
        fetch_idx_set(spec)
    assert not (private_cache / "fashion-mnist.npz").exists()


def test_damaged_kept_idx_file_is_downloaded_again(server, private_cache):
    arrays = small_mnist()
    spec = _local_mnist(server, arrays)
    fetch_idx_set(spec)
    kept = private_cache / "mnist-idx" / "train-labels-idx1-ubyte.gz"
    kept.write_bytes(kept.read_bytes()[:-8])  # damaged after the download
    (private_cache / "mnist.npz").unlink()
    server.hits.clear()
    notes = []
    fetch_idx_set(spec, note=notes.append)
    assert any("damaged (wrong MD5)" in n for n in notes)
    assert server.hits == ["/down/train-labels-idx1-ubyte.gz", "/mnist/train-labels-idx1-ubyte.gz"]
    np.testing.assert_array_equal(load_idx_set(spec)["y_train"], arrays["y_train"])
