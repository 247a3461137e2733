"""The loader contract: shapes, dtypes, splits, statistics, names."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.data import Dataset, Split, dataset_names, load
from cnnlab.data.cache import load_arrays, save_arrays
from cnnlab.data.dataset import build_dataset, channel_stats, stratified_indices
from cnnlab.data.sources import MNIST1D_SCHEMA, SOURCES
from cnnlab.errors import DataError, InvalidArgumentError, UnknownNameError


@pytest.fixture(scope="module")
def digits() -> Dataset:
    return load("digits", val_fraction=0.1, seed=0)


def test_digits_contract(digits):
    assert digits.name == "digits" and digits.kind == "image"
    assert isinstance(digits.train, Split)
    assert digits.train.x.dtype == np.float32 and digits.train.y.dtype == np.int64
    assert digits.input_shape == (1, 8, 8) and digits.num_classes == 10
    assert digits.classes == [str(d) for d in range(10)]
    assert len(digits.train) + len(digits.val) == SOURCES["digits"].n_train
    assert len(digits.test) == SOURCES["digits"].n_test == 359
    for split in (digits.train, digits.val, digits.test):
        assert split.x.shape[1:] == (1, 8, 8) and len(split.x) == len(split.y)
        assert split.x.min() >= 0.0 and split.x.max() <= 1.0
    assert digits.train.x.max() == 1.0  # 16/16


def test_digits_stats_are_train_split_stats(digits):
    assert digits.mean[0] == pytest.approx(float(digits.train.x.mean()), rel=1e-6)
    assert digits.std[0] == pytest.approx(float(digits.train.x.astype(np.float64).std()), rel=1e-6)


def test_splits_are_disjoint_and_stratified(digits):
    rows = lambda s: {r.tobytes() for r in s.x}  # noqa: E731
    assert not rows(digits.val) & rows(digits.test)
    counts = np.bincount(digits.val.y, minlength=10)
    assert counts.min() >= 13 and counts.max() <= 15  # 10% of each class's ~144


def test_same_seed_same_split_other_seed_other_split(digits):
    again = load("digits", seed=0)
    other = load("digits", seed=1)
    np.testing.assert_array_equal(again.val.x, digits.val.x)
    assert not np.array_equal(other.val.x, digits.val.x)
    np.testing.assert_array_equal(other.test.x, digits.test.x)  # the test split never moves


def test_val_fraction_zero_gives_empty_val():
    ds = load("digits", val_fraction=0.0)
    assert ds.val.x.shape == (0, 1, 8, 8) and ds.val.y.shape == (0,)
    assert len(ds.train) == 1438


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 2.0])
def test_bad_val_fraction(fraction):
    with pytest.raises(InvalidArgumentError, match=r"split fraction must be in \[0, 1\)"):
        load("digits", val_fraction=fraction)


def test_stratified_indices_hand_example():
    keep, held = stratified_indices(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.25, seed=0)
    assert len(held) == 2 and sorted(np.array([0, 0, 0, 0, 1, 1, 1, 1])[held]) == [0, 1]
    assert sorted([*keep, *held]) == list(range(8))


def test_stratified_small_classes_still_give_the_total():
    y = np.repeat(np.arange(10), 3)  # 30 rows, 3 per class: 0.3 per class
    _, held = stratified_indices(y, 0.1, seed=0)
    assert len(held) == 3 and len(set(y[held])) == 3


def test_channel_stats_hand_example_and_chunks():
    x = np.array([0.0, 1.0, 0.0, 1.0], np.float32).reshape(4, 1, 1, 1)
    assert channel_stats(x) == ((0.5,), (0.5,))
    rng = np.random.default_rng(0)
    x = rng.random((50, 3, 4, 5)).astype(np.float32)
    mean, std = channel_stats(x, chunk=7)
    np.testing.assert_allclose(mean, x.mean(axis=(0, 2, 3)), rtol=1e-6)
    np.testing.assert_allclose(std, x.astype(np.float64).std(axis=(0, 2, 3)), rtol=1e-6)


def test_uint8_storage_is_scaled_after_the_split():
    x = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1) * 25
    y = np.arange(10) % 2
    ds = build_dataset("t", "image", (x, y), (x[:2], y[:2]), ["a", "b"], 0.2, 0, divide_by=255)
    assert ds.train.x.dtype == np.float32 and ds.val.x.dtype == np.float32
    assert sorted(np.concatenate([ds.train.x, ds.val.x]).ravel().tolist()) == pytest.approx(
        [k * 25 / 255 for k in range(10)]
    )


def test_faces_classes_in_order():
    ds = load("faces", val_fraction=0.0)
    assert ds.classes == ["non-face", "face"]
    assert ds.input_shape == (1, 25, 25)
    assert np.bincount(ds.test.y).tolist() == [20, 20]
    from skimage.data import lfw_subset

    first_face = lfw_subset()[0].astype(np.float32)  # skimage: the first 100 are faces
    match = [i for i, img in enumerate(ds.train.x) if np.array_equal(img[0], first_face)]
    match += [-1 - i for i, img in enumerate(ds.test.x) if np.array_equal(img[0], first_face)]
    (where,) = match
    label = ds.train.y[where] if where >= 0 else ds.test.y[-1 - where]
    assert ds.classes[label] == "face"


def test_mnist1d_is_generated_cached_and_regenerated(private_cache):
    state = np.random.get_state()[1].copy()
    ds = load("mnist1d", val_fraction=0.0)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # global RNG untouched
    assert ds.kind == "sequence" and ds.input_shape == (1, 40)
    assert ds.train.x.shape == (4000, 1, 40) and ds.test.x.shape == (1000, 1, 40)
    cached = private_cache / "mnist1d.npz"
    assert load_arrays(cached, MNIST1D_SCHEMA) is not None
    cached.write_bytes(b"garbage")
    again = load("mnist1d", val_fraction=0.0)
    np.testing.assert_array_equal(again.train.x, ds.train.x)
    assert load_arrays(cached, MNIST1D_SCHEMA) is not None


def test_cache_with_wrong_keys_is_deleted(private_cache):
    path = private_cache / "x.npz"
    save_arrays(path, {"other": np.zeros(3)})
    assert load_arrays(path, MNIST1D_SCHEMA) is None
    assert not path.exists()


def test_cache_write_leaves_no_temporary_files(private_cache):
    save_arrays(private_cache / "a.npz", {"x": np.arange(3)})
    assert [p.name for p in private_cache.iterdir()] == ["a.npz"]


def test_unknown_name_suggests_closest():
    with pytest.raises(UnknownNameError, match="Did you mean 'mnist'"):
        load("mnsit")


def test_names():
    assert dataset_names() == [
        *("digits", "mnist", "fashion-mnist", "mnist1d", "faces"),
        *("wine", "breast-cancer", "iris", "languages"),
    ]


@pytest.mark.parametrize(("name", "columns"), [("wine", 13), ("breast-cancer", 30), ("iris", 4)])
def test_tables_are_standardized_with_training_rows_only(name, columns):
    ds = load(name, val_fraction=0.0)
    assert ds.kind == "sequence" and ds.input_shape == (1, columns)
    train, test = ds.train.x[:, 0], ds.test.x[:, 0]  # (N, F)
    np.testing.assert_allclose(train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(train.std(axis=0), 1.0, atol=1e-4)
    assert np.abs(test.mean(axis=0)).max() > 1e-3  # test rows were not used for the scaling
    assert len(ds.train) + len(ds.test) == {13: 178, 30: 569, 4: 150}[columns]


def test_mnist_not_fetched_is_a_clear_error():
    with pytest.raises(DataError, match="cnnlab data fetch mnist"):
        load("mnist")


def test_mnist_from_data_dir_idx_files(tmp_path):
    from data_helpers import idx_gz_files, small_mnist

    arrays = small_mnist(n_train=30, n_test=10)
    for name, body in idx_gz_files(arrays).items():
        (tmp_path / name).write_bytes(body)
    ds = load("mnist", data_dir=tmp_path, val_fraction=0.1)
    assert ds.train.x.shape == (27, 1, 28, 28) and ds.val.x.shape == (3, 1, 28, 28)
    np.testing.assert_array_equal(ds.test.x[:, 0], arrays["x_test"] / np.float32(255))
    assert ds.test.x.max() <= 1.0


def test_build_dataset_refuses_mismatched_shapes():
    from cnnlab.errors import ShapeError

    x, y = np.zeros((4, 1, 2, 2), np.float32), np.zeros(3, np.int64)
    with pytest.raises(ShapeError, match=r"t train split has x \(4, 1, 2, 2\) and y \(3,\)"):
        build_dataset("t", "image", (x, y), (x, np.zeros(4)), ["a"])


def test_is_valid_reads_headers_only_and_spots_bad_files(private_cache):
    from cnnlab.data.cache import is_valid

    path = private_cache / "m.npz"
    arrays = {"x_train": np.zeros((4000, 40), np.float32), "y_train": np.zeros(4000, np.int64)}
    arrays |= {"x_test": np.zeros((1000, 40), np.float32), "y_test": np.zeros(1000, np.int64)}
    save_arrays(path, arrays)
    assert is_valid(path, MNIST1D_SCHEMA)
    assert not is_valid(private_cache / "missing.npz", MNIST1D_SCHEMA)
    save_arrays(path, {**arrays, "x_test": np.zeros((999, 40), np.float32)})  # wrong count
    assert not is_valid(path, MNIST1D_SCHEMA)
    save_arrays(path, {k: v for k, v in arrays.items() if k != "y_test"})  # missing key
    assert not is_valid(path, MNIST1D_SCHEMA)
    save_arrays(path, arrays)
    path.write_bytes(path.read_bytes()[:-100])  # truncated: the zip directory is gone
    assert not is_valid(path, MNIST1D_SCHEMA)


def test_sample_grid_is_one_row_per_class_named_by_class():
    from cnnlab.data.preview import sample_grid

    ds = load("faces", val_fraction=0.0)
    fig = sample_grid(ds, per_class=3, seed=1)
    axes = np.asarray(fig.axes).reshape(ds.num_classes, 3)
    assert [row[0].get_ylabel() for row in axes] == ds.classes
    for label, row in enumerate(axes):
        for ax in row:
            (image,) = ax.get_images()
            shown = np.asarray(image.get_array())
            matches = np.flatnonzero((ds.train.x[:, 0] == shown).all(axis=(1, 2)))
            assert matches.size and (ds.train.y[matches] == label).all()


def test_names_are_case_insensitive():
    from cnnlab.data import is_cached

    assert load(" Digits ", val_fraction=0.0).name == "digits"
    assert is_cached("MNIST") is False and is_cached("Faces") is None
