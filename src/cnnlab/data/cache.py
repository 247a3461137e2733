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
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from cnnlab.fileio import atomic_writer

log = logging.getLogger(__name__)

#: Expected arrays of a cache file: key -> (shape with -1 for "any", dtype kind letters).
Schema = Mapping[str, tuple[tuple[int, ...], str]]


def cache_dir() -> Path:
    """Return the cnnlab cache folder (not created)."""
    env = os.environ.get("CNNLAB_CACHE")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "cnnlab"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "cnnlab"


def save_arrays(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` as an uncompressed ``.npz``, atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with atomic_writer(path, "wb") as fh:
        fh.write(buffer.getbuffer())


def _matches(array: np.ndarray, shape: tuple[int, ...], kinds: str) -> bool:
    if array.dtype.kind not in kinds or array.ndim != len(shape):
        return False
    return all(want in (-1, got) for want, got in zip(shape, array.shape, strict=True))


def mismatches(arrays: Mapping[str, np.ndarray], schema: Schema) -> list[str]:
    """Describe each array of ``arrays`` that is missing or does not fit ``schema``."""
    bad = []
    for key, (shape, kinds) in schema.items():
        if key not in arrays:
            bad.append(f"{key} missing")
        elif not _matches(arrays[key], shape, kinds):
            bad.append(f"{key} {arrays[key].shape} {arrays[key].dtype} (expected {shape})")
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
