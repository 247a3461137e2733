"""The named data sets: what each one is and how its raw arrays are produced.

Every source returns ``(x_train, y_train, x_test, y_test)`` with ``x`` in its final layout,
(N, C, H, W) for images and (N, C, L) for sequences; image values divided by the source's
``divide_by`` lie in [0, 1] (MNIST keeps uint8 pixels until after the split). Sets that ship
without a test split (digits, faces) get a fixed stratified 80/20 split with seed 0, so every
run, whatever its own seed, is scored on the same test images.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnlab.data import cache
from cnnlab.data.dataset import stratified_indices
from cnnlab.data.idxsets import FASHION_MNIST, MNIST, IdxSet, load_idx_set
from cnnlab.data.languages import LANGUAGES, load_languages
from cnnlab.data.textsets import LENGTH, encode
from cnnlab.i18n import N_

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

TEST_FRACTION = 0.2  # digits and faces: the share held out as the fixed test set
TEST_SEED = 0

DIGIT_CLASSES = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat")
FASHION_CLASSES += ("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


@dataclass(frozen=True)
class Source:
    """A named data set: its description and a function producing its arrays."""

    name: str
    kind: str  # "image", "sequence" or "text"
    input_shape: tuple[int, ...]
    n_train: int  # before the validation split
    n_test: int
    classes: tuple[str, ...]
    description: str  # English, marked N_: show it with cnnlab.i18n.translate
    produce: Callable[[Path | None, bool], Arrays]  # (data_dir, download) -> arrays
    divide_by: float = 1.0  # produce() gives x * divide_by (255 for uint8 pixels)


def fixed_test_split(x: np.ndarray, y: np.ndarray) -> Arrays:
    """Hold out a stratified 20% (seed 0) of (x, y) as the test split."""
    keep, held = stratified_indices(y, TEST_FRACTION, TEST_SEED)
    return x[keep], y[keep], x[held], y[held]


def _digits(_data_dir: Path | None, _download: bool) -> Arrays:
    from sklearn.datasets import load_digits  # heavy (1 s): only when this data set is asked for

    bunch = load_digits()
    x = (bunch.images / 16.0).astype(np.float32)[:, None]  # (1797, 1, 8, 8), 0..16 -> [0, 1]
    return fixed_test_split(x, bunch.target.astype(np.int64))


def _faces(_data_dir: Path | None, _download: bool) -> Arrays:
    from skimage.data import lfw_subset  # heavy: only when this data set is asked for

    images = lfw_subset()  # (200, 25, 25) in [0, 1]: the first 100 are faces, the rest not
    x = images.astype(np.float32)[:, None]  # (200, 1, 25, 25)
    y = np.zeros(len(images), dtype=np.int64)
    y[:100] = 1  # class 1 = "face", class 0 = "non-face"
    return fixed_test_split(x, y)


def _table(loader: str) -> Callable[[Path | None, bool], Arrays]:
    """A scikit-learn table as length-F sequences (N, 1, F), each column standardized.

    The fixed 80/20 split comes first; each column is then centred and scaled with the training
    rows' mean and standard deviation only, so nothing about the test rows leaks into training.
    """

    def produce(_data_dir: Path | None, _download: bool) -> Arrays:
        import sklearn.datasets  # heavy (1 s): only when a table is asked for

        bunch = getattr(sklearn.datasets, loader)()
        x = bunch.data.astype(np.float32)[:, None]  # (N, 1, F): the columns in their given order
        x_train, y_train, x_test, y_test = fixed_test_split(x, bunch.target.astype(np.int64))
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)  # (1, F)
        std[std == 0] = 1.0
        return (x_train - mean) / std, y_train, (x_test - mean) / std, y_test

    return produce


def _idx_source(spec: IdxSet) -> Callable[[Path | None, bool], Arrays]:
    def produce(data_dir: Path | None, download: bool) -> Arrays:
        arrays = load_idx_set(spec, data_dir, download)  # uint8 pixels, 0..255
        x_train = arrays["x_train"][:, None]  # (N, 1, 28, 28)
        x_test = arrays["x_test"][:, None]  # (N, 1, 28, 28)
        y_train, y_test = arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)
        return x_train, y_train, x_test, y_test

    return produce


def mnist1d_cache_file() -> Path:
    return cache.cache_dir() / "mnist1d.npz"


MNIST1D_SCHEMA: cache.Schema = {
    "x_train": ((4000, 40), "f"),
    "y_train": ((4000,), "i"),
    "x_test": ((1000, 40), "f"),
    "y_test": ((1000,), "i"),
}


def generate_mnist1d() -> dict[str, np.ndarray]:
    """Generate MNIST-1D with the ``mnist1d`` package's default settings (seed 42).

    ``make_dataset`` seeds Python's and NumPy's global generators; their states are restored.
    """
    from mnist1d.data import get_dataset_args, make_dataset  # heavy (1.4 s, pyplot): on use

    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        data = make_dataset(get_dataset_args())
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
    return {
        "x_train": data["x"].astype(np.float32),
        "y_train": data["y"].astype(np.int64),
        "x_test": data["x_test"].astype(np.float32),
        "y_test": data["y_test"].astype(np.int64),
    }


def ensure_mnist1d() -> dict[str, np.ndarray]:
    """MNIST-1D from the cache, generated (and cached) if missing or corrupt."""
    arrays = cache.load_arrays(mnist1d_cache_file(), MNIST1D_SCHEMA)
    if arrays is None:
        arrays = generate_mnist1d()
        cache.save_arrays(mnist1d_cache_file(), arrays)
    return arrays


def _mnist1d(_data_dir: Path | None, _download: bool) -> Arrays:
    arrays = ensure_mnist1d()
    x_train = arrays["x_train"][:, None]  # (4000, 1, 40)
    x_test = arrays["x_test"][:, None]  # (1000, 1, 40)
    return x_train, arrays["y_train"], x_test, arrays["y_test"]


def _languages(data_dir: Path | None, download: bool) -> Arrays:
    arrays = load_languages(data_dir, download)
    x = encode(list(arrays["texts"]))  # (18000, 1, 160) character ids
    return fixed_test_split(x, arrays["labels"].astype(np.int64))


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("digits", "image", (1, 8, 8), 1438, 359, DIGIT_CLASSES,
               N_("UCI handwritten digits, 8×8 (scikit-learn)"), _digits),
        Source("mnist", "image", (1, 28, 28), 60000, 10000, DIGIT_CLASSES,
               N_("MNIST handwritten digits, 28×28"), _idx_source(MNIST), divide_by=255.0),
        Source("fashion-mnist", "image", (1, 28, 28), 60000, 10000, FASHION_CLASSES,
               N_("Zalando Fashion-MNIST clothes, 28×28"), _idx_source(FASHION_MNIST),
               divide_by=255.0),
        Source("mnist1d", "sequence", (1, 40), 4000, 1000, DIGIT_CLASSES,
               N_("MNIST-1D digits as length-40 signals (generated)"), _mnist1d),
        Source("faces", "image", (1, 25, 25), 160, 40, ("non-face", "face"),
               N_("LFW faces vs non-faces, 25×25 (scikit-image)"), _faces),
        Source("wine", "sequence", (1, 13), 142, 36, ("class 0", "class 1", "class 2"),
               N_("UCI wine: 13 chemical measurements, 3 cultivars (table; scikit-learn)"),
               _table("load_wine")),
        Source("breast-cancer", "sequence", (1, 30), 455, 114, ("malignant", "benign"),
               N_("Wisconsin breast cancer: 30 cell-nucleus measurements (table; scikit-learn)"),
               _table("load_breast_cancer")),
        Source("iris", "sequence", (1, 4), 120, 30, ("setosa", "versicolor", "virginica"),
               N_("Fisher's iris: 4 flower measurements, 3 species (table; scikit-learn)"),
               _table("load_iris")),
        Source("languages", "text", (1, LENGTH), 14400, 3600, LANGUAGES,
               N_("Sentences in es, pt, it, fr, de, en (Debian fortunes and manual pages)"),
               _languages),
    )
}  # fmt: skip
