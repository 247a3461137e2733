"""The cache folder and validated ``.npz`` files in it.

The cache lives in ``$CNNLAB_CACHE`` if set, else ``$XDG_CACHE_HOME/cnnlab``, else
``~/.cache/cnnlab`` (``%LOCALAPPDATA%\\cnnlab`` on Windows). Arrays are stored with
``np.savez`` (uncompressed: MNIST's 55 MB of uint8 loads in a few hundredths of a second) and read
with ``allow_pickle=False``. A file that does not load, lacks a key or has the wrong shape is
deleted, so the caller can rebuild it.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cnnlab.fileio import atomic_writer, cache_dir
from cnnlab.i18n import _

log = logging.getLogger(__name__)

#: Expected arrays of a cache file: key -> (shape with -1 for "any", dtype kind letters).
Schema = Mapping[str, tuple[tuple[int, ...], str]]


LAB_VERSION = "v1"  # bump when the lab's default recipes change, so cached runs train again


def lab_dir(cache: str | os.PathLike | None = None) -> Path:
    """Where the default runs trained on first use live (the lab's CNN, MLP and generator)."""
    return (Path(cache) if cache else cache_dir()) / "lab" / LAB_VERSION


def save_arrays(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` as an uncompressed ``.npz``, atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with atomic_writer(path, "wb") as fh:
        fh.write(buffer.getbuffer())


def _matches(array: np.ndarray, shape: tuple[int, ...], kinds: str) -> bool:
    return _fits(array.shape, array.dtype, shape, kinds)


def _fits(got: tuple[int, ...], dtype: np.dtype, shape: tuple[int, ...], kinds: str) -> bool:
    if dtype.kind not in kinds or len(got) != len(shape):
        return False
    return all(want in (-1, size) for want, size in zip(shape, got, strict=True))


def _npy_header(zf: zipfile.ZipFile, key: str) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype of ``key.npy`` inside an ``.npz``, read from its header only."""
    with zf.open(f"{key}.npy") as fh:
        version = np.lib.format.read_magic(fh)
        read = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, _fortran, dtype = read(fh)
    return shape, dtype


def is_valid(path: str | os.PathLike, schema: Schema) -> bool:
    """True if ``path`` is an ``.npz`` holding arrays that fit ``schema``, judged from headers.

    Cheap (nothing is decompressed or loaded): for ``cnnlab data list``. A file whose headers
    look right but whose data is damaged is still caught by :func:`load_arrays`.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            headers = {key: _npy_header(zf, key) for key in schema}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return False
    return all(_fits(*headers[key], *schema[key]) for key in schema)


def mismatches(arrays: Mapping[str, np.ndarray], schema: Schema) -> list[str]:
    """Describe each array of ``arrays`` that is missing or does not fit ``schema``."""
    bad = []
    for key, (shape, kinds) in schema.items():
        if key not in arrays:
            bad.append(_("{key} missing", key=key))
        elif not _matches(arrays[key], shape, kinds):
            found = arrays[key]
            bad.append(_("{key} {shape} {dtype} (expected {expected})", key=key,
                         shape=found.shape, dtype=found.dtype, expected=shape))  # fmt: skip
    return bad


def load_arrays(path: str | os.PathLike, schema: Schema) -> dict[str, np.ndarray] | None:
    """Load a cache file checked against ``schema``; None if missing, delete it if corrupt."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in schema}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    else:
        bad = mismatches(arrays, schema)
        if not bad:
            return arrays
        problem = "unexpected " + ", ".join(bad)
    log.warning("deleting corrupt cache file %s (%s)", path, problem)
    path.unlink(missing_ok=True)
    return None
