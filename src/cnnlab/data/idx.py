"""A strict reader (and a small writer) for IDX files, the format MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number ``00 00 TT DD`` (``TT`` the element type, ``DD`` the
number of dimensions), then ``DD`` big-endian uint32 sizes, then the elements, big-endian,
row-major. ``train-images-idx3-ubyte`` starts ``00 00 08 03 | 60000 | 28 | 28``: 60,000 × 28 × 28
unsigned bytes follow, so the file is 16 + 47,040,000 bytes long.

Every size is checked against the file length (or, for ``.gz``, against what decompresses)
*before* the elements are allocated, so a truncated or lying file is refused with a clear
message and never triggers a large allocation.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from cnnlab.errors import DataError
from cnnlab.i18n import _

#: IDX type byte -> NumPy dtype (big-endian).
IDX_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

#: Largest element block accepted, in bytes (MNIST's largest file holds 47 MB).
MAX_BYTES = 1 << 30

_CHUNK = 1 << 20


def parse_header(head: bytes, label: str = "<idx>") -> tuple[np.dtype, tuple[int, ...], int]:
    """Return (dtype, dims, header length) from the first bytes of an IDX file.

    >>> parse_header(bytes([0, 0, 8, 1, 0, 0, 0, 5]))
    (dtype('uint8'), (5,), 8)
    """
    if len(head) < 4 or head[0:2] != b"\x00\x00":
        raise DataError(_("{label} is not an IDX file; expected a magic number starting 00 00. "
                          "Received: first bytes {head!r}",
                          label=label, head=head[:4]))  # fmt: skip
    type_byte, ndim = head[2], head[3]
    if type_byte not in IDX_TYPES:
        known = ", ".join(f"0x{t:02X}" for t in IDX_TYPES)
        raise DataError(_("{label} has an unknown IDX element type; expected one of {known}. "
                          "Received: 0x{type_byte:02X}",
                          label=label, known=known, type_byte=type_byte))  # fmt: skip
    if not 1 <= ndim <= 8:
        raise DataError(_("{label}: IDX dimension count must be 1..8. Received: {ndim}",
                          label=label, ndim=ndim))  # fmt: skip
    header_len = 4 + 4 * ndim
    if len(head) < header_len:
        raise DataError(_("{label} is truncated inside its header; expected {header_len} header "
                          "bytes. Received: {n_head}",
                          label=label, header_len=header_len, n_head=len(head)))  # fmt: skip
    dims = struct.unpack(f">{ndim}I", head[4:header_len])
    return IDX_TYPES[type_byte], dims, header_len


def _declared_bytes(dims: tuple[int, ...], itemsize: int, label: str, max_bytes: int) -> int:
    size = math.prod(dims) * itemsize
    if size > max_bytes:
        raise DataError(
            _(
                "{label} declares {dims} elements ({size:,} bytes); expected at "
                "most {max_bytes:,} bytes. Received: a corrupt or hostile header",
                label=label,
                dims="×".join(map(str, dims)),
                size=size,
                max_bytes=max_bytes,
            )
        )
    return size


def _read_gz_body(path: Path, head_len: int, size: int, label: str) -> tuple[bytes, bytes]:
    """Decompress header + body, refusing to read more than the declared size."""
    try:
        with gzip.open(path, "rb") as fh:
            head = fh.read(head_len)
            chunks, got = [], 0
            while got < size:  # in chunks: a lying size never becomes one big allocation
                chunk = fh.read(min(_CHUNK, size - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
            body = b"".join(chunks)
            extra = fh.read(1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(
            _(
                "{label} is not a valid gzip file; expected a complete .gz download. "
                "Received: {error}: {exc}",
                label=label,
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None
    if extra:
        raise DataError(
            _(
                "{label} holds more data than its IDX header declares ({size:,} bytes)",
                label=label,
                size=size,
            )
        )
    return head, body


def read_idx(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> np.ndarray:
    """Read an IDX file (raw or ``.gz``) into a native-endian array of its declared shape."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise DataError(_("IDX file not found; expected a file at {label}",
                          label=label))  # fmt: skip
    with open(path, "rb") as fh:
        is_gz = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if is_gz else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4 + 4 * 8)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(_("{label} could not be read: {error}: {exc}",
                          label=label, error=type(exc).__name__, exc=exc)) from None  # fmt: skip
    dtype, dims, head_len = parse_header(head, label)
    size = _declared_bytes(dims, dtype.itemsize, label, max_bytes)
    if is_gz:
        _head, body = _read_gz_body(path, head_len, size, label)
    else:
        actual = path.stat().st_size - head_len
        if actual != size:
            raise DataError(_("{label} has {actual:,} data bytes; expected {size:,} from its "
                              "header {dims}. Received: a truncated or corrupt file",
                              label=label, actual=actual, size=size,
                              dims="×".join(map(str, dims))))  # fmt: skip
        with open(path, "rb") as fh:
            fh.seek(head_len)
            body = fh.read(size)
    if len(body) != size:
        raise DataError(_("{label} decompresses to {n_body:,} data bytes; expected {size:,} from "
                          "its header {dims}. Received: a truncated or corrupt file",
                          label=label, n_body=len(body), size=size,
                          dims="×".join(map(str, dims))))  # fmt: skip
    array = np.frombuffer(body, dtype=dtype).reshape(dims)  # declared shape
    return array.astype(dtype.newbyteorder("="), copy=True)


def idx_bytes(array: np.ndarray) -> bytes:
    """A uint8 array as an IDX file: ``idx_bytes(np.zeros((2, 3), np.uint8))[:12]`` is
    ``00 00 08 02 | 2 | 3`` (magic, then the sizes as big-endian uint32), then the 6 bytes."""
    a = np.ascontiguousarray(array, dtype=np.uint8)
    return bytes([0, 0, 0x08, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()
