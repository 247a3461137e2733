"""Turn an INPUT argument into a 2-D float64 matrix.

An INPUT is a built-in sample name (``bidoof``, ``camera``, ...; see ``cnnlab samples``), an
image file (PNG or JPEG, made gray with Pillow's ``"L"`` luma, values 0–255), or a matrix file:
CSV, TSV or whitespace-separated text (lines starting with ``#`` are comments) or a ``.npy``
array (read with ``allow_pickle=False``). The format is decided by the file's content, not its
name. Every refusal says what is wrong, what was expected and what was received.

>>> load_input("bidoof-worked").shape
(20, 19)
"""

from __future__ import annotations

import io
import math
import re
import tokenize
from pathlib import Path

import numpy as np
from PIL import Image

from cnnlab import imageio
from cnnlab.errors import InputFileError, ShapeError
from cnnlab.fileio import atomic_write_bytes, atomic_write_text
from cnnlab.i18n import N_, unknown_name
from cnnlab.imageio import MAX_PIXELS, read_image, sniff_format
from cnnlab.samples import get_sample as _get_sample
from cnnlab.samples import sample_names

_NPY_MAGIC = b"\x93NUMPY"
_OTHER_FORMATS = {
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"BM": "a BMP image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"RIFF": "a RIFF file (WebP?)",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (.npz?)",
}
_NPY_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
    (3, 0): np.lib.format.read_array_header_2_0,  # 3.0 only allows UTF-8 field names
}
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
_EXPECTED = "expected a sample name, a PNG/JPEG image, or a CSV/TSV/text/NPY matrix"


def load_input(spec: str, max_pixels: int | None = None) -> np.ndarray:
    """Load ``spec`` (sample name or file path) as a 2-D float64 array of finite values.

    ``max_pixels`` bounds the number of cells of images and matrices alike (default:
    :data:`cnnlab.imageio.MAX_PIXELS`, read when called).
    """
    path = Path(spec)
    if path.is_file():
        return load_matrix_file(path, imageio.MAX_PIXELS if max_pixels is None else max_pixels)
    if path.exists():
        raise InputFileError(f"{spec} is not a regular file; {_EXPECTED}. Received: {spec}")
    if spec in sample_names():
        return _get_sample(spec)
    if "/" in spec or "\\" in spec or path.suffix:
        raise InputFileError(f"file not found and not a sample name; {_EXPECTED}. Received: {spec}")
    raise unknown_name(N_("sample"), spec, sample_names())


def load_matrix_file(path: Path, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Load an image or matrix file, deciding its format from its first bytes."""
    data = path.read_bytes()
    return load_matrix_bytes(data, str(path), max_pixels, path.suffix.lower() in _IMAGE_SUFFIXES)


def load_matrix_bytes(
    data: bytes,
    label: str = "<bytes>",
    max_pixels: int = MAX_PIXELS,
    image: bool = False,
    max_side: int | None = None,
) -> np.ndarray:
    """Load an image or matrix held in memory (an upload), deciding its format from its first
    bytes; ``label`` names it in messages, ``image=True`` reads it as a picture whatever it
    starts with (so a damaged PNG gets the image decoder's message). ``max_side`` also bounds
    the rows and columns of a text matrix, checked before it is parsed."""
    if not data.strip():
        raise InputFileError(f"{label} is empty; {_EXPECTED}. Received: {len(data)} bytes")
    if sniff_format(data[:8]) or image:
        return read_image(data, "L", max_pixels, label).astype(np.float64)
    if data.startswith(_NPY_MAGIC):
        return _check_matrix(_load_npy(data, label, max_pixels), label, max_pixels)
    for magic, what in _OTHER_FORMATS.items():
        if data.startswith(magic):
            raise InputFileError(
                f"{label} is {what}, which cnnlab does not read; {_EXPECTED}. "
                f"Received: first bytes {data[:8]!r}"
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{label} is neither an image, an NPY array nor UTF-8 text; {_EXPECTED}. "
            f"Received: binary data starting {data[:8]!r}"
        ) from None
    _check_text_size(text, label, max_pixels, max_side)
    return _check_matrix(parse_matrix_text(text, label), label, max_pixels)


#: every character str.splitlines() breaks a line at ("\r\n" counts once)
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _check_text_size(text: str, label: str, max_pixels: int, max_side: int | None) -> None:
    """Refuse a text matrix whose lines × values in its first row pass ``max_pixels`` (or whose
    lines or values pass ``max_side``), counted before any number is parsed."""
    rows = sum(text.count(c) for c in _LINE_BREAKS) - text.count("\r\n") + 1
    first = next((ln for ln in io.StringIO(text) if ln.strip() and not ln.startswith("#")), "")
    sep = "," if "," in first else "\t" if "\t" in first else None
    cols = first.count(sep) + 1 if sep else len(first.split())
    if rows * cols > max_pixels or (max_side is not None and max(rows, cols) > max_side):
        limit = f"{max_pixels:,} values" + (f" and {max_side:,} per side" if max_side else "")
        raise InputFileError(
            f"{label} holds about {rows * cols:,} values; expected at most {limit}. "
            f"Received: {rows:,} lines of {cols:,} values"
        )


def _load_npy(data: bytes, path: str, max_pixels: int) -> np.ndarray:
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version not in _NPY_HEADER_READERS:
            raise InputFileError(
                f"{path} is an NPY file of format version {version[0]}.{version[1]}; expected "
                f"version 1.0, 2.0 or 3.0. Received: version {version}"
            )
        shape, _, dtype = _NPY_HEADER_READERS[version](stream)  # before any value is read
        if math.prod(shape) > max_pixels:
            raise InputFileError(
                f"{path} holds {math.prod(shape):,} values (shape {shape}); expected at most "
                f"{max_pixels:,}. Received: shape {shape}"
            )
        if math.prod(shape) * dtype.itemsize > len(data):
            raise InputFileError(
                f"{path} declares more values than it holds; expected a complete .npy file. "
                f"Received: shape {shape} of {dtype} in {len(data):,} bytes"
            )
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except InputFileError:
        raise
    except (ValueError, OSError, EOFError, SyntaxError, tokenize.TokenError) as exc:
        raise InputFileError(  # a mangled header fails in NumPy's parser (SyntaxError, TokenError)
            f"{path} could not be read as an NPY array; expected a complete .npy file of numbers "
            f"(object arrays are refused). Received: {type(exc).__name__}: {exc}"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise InputFileError(
            f"{path} holds {arr.dtype} values; expected numbers (int, float or bool). "
            f"Received: dtype {arr.dtype}"
        )
    return arr.astype(np.float64)


_SPLIT = {",": re.compile(r"\s*,\s*"), "\t": re.compile(r"\t"), " ": re.compile(r"\s+")}


def parse_matrix_text(text: str, label: str = "<text>") -> np.ndarray:
    """Parse CSV (``,``), TSV (tab) or whitespace-separated rows of numbers into a 2-D array.

    Blank lines and lines starting with ``#`` are skipped. ``"1,2\\n3,4"`` → ``[[1, 2], [3, 4]]``.
    """
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    if not lines:
        raise InputFileError(
            f"{label} has no rows of numbers; {_EXPECTED}. Received: an empty or comment-only file"
        )
    sep = "," if "," in lines[0][1] else "\t" if "\t" in lines[0][1] else " "
    rows = [(n, line, _SPLIT[sep].split(line)) for n, line in lines]
    width = len(rows[0][2])
    for n, line, cells in rows:
        if len(cells) != width:
            raise InputFileError(
                f"{label} has ragged rows: line {n} has {len(cells)} values; expected {width} "
                f"like the first row. Received: {line!r}"
            )
    values = np.empty((len(rows), width), dtype=np.float64)
    for i, (n, _, cells) in enumerate(rows):
        for j, cell in enumerate(cells):
            try:
                values[i, j] = float(cell)
            except ValueError:
                raise InputFileError(
                    f"{label} line {n}, column {j + 1} is not a number; expected numbers only "
                    f"(start header lines with #). Received: {cell!r}"
                ) from None
    return values


def _check_matrix(arr: np.ndarray, path: str, max_pixels: int) -> np.ndarray:
    if arr.ndim != 2 or 0 in arr.shape:
        raise ShapeError(
            f"{path} holds an array of shape {arr.shape}; expected a 2-D matrix (rows × columns) "
            f"with at least one value. Received: {arr.ndim}-D array of shape {arr.shape}"
        )
    if arr.size > max_pixels:
        raise InputFileError(
            f"{path} holds {arr.size:,} values; expected at most {max_pixels:,}. "
            f"Received: shape {arr.shape}"
        )
    if not np.isfinite(arr).all():
        r, c = (int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InputFileError(
            f"{path} has a non-finite value at row {r}, column {c}; expected finite numbers "
            f"(no NaN or infinity). Received: {arr[r, c]}"
        )
    return arr


def save_matrix(path: str | Path, arr: np.ndarray) -> str:
    """Write a 2-D matrix atomically by suffix and return the kind written.

    ``.csv`` and ``.npy`` keep the exact values (CSV with 17 significant digits, so
    :func:`load_input` reads back the same floats); ``.png`` is for looking at: the values are
    scaled so that the minimum becomes 0 and the maximum 255 (a constant matrix becomes 0).
    """
    target = Path(path)
    suffix = "." + save_kind(target)
    if suffix == ".csv":
        buf = io.StringIO()
        np.savetxt(buf, arr, fmt="%.17g", delimiter=",")
        atomic_write_text(target, buf.getvalue())
    elif suffix == ".npy":
        buf_b = io.BytesIO()
        np.save(buf_b, np.ascontiguousarray(arr, dtype=np.float64), allow_pickle=False)
        atomic_write_bytes(target, buf_b.getvalue())
    else:
        atomic_write_bytes(target, _png_bytes(arr))
    return suffix[1:]


def save_kind(path: str | Path) -> str:
    """``"png"``, ``"csv"`` or ``"npy"`` from ``path``'s suffix; other suffixes are refused."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".csv", ".npy"):
        raise InputFileError(
            f"cannot save a matrix as {suffix or 'a file without suffix'}; expected a name ending "
            f".png, .csv or .npy. Received: {path}"
        )
    return suffix[1:]


def _png_bytes(arr: np.ndarray) -> bytes:

    low, high = float(arr.min()), float(arr.max())
    scaled = (arr - low) * (255.0 / (high - low)) if high > low else np.zeros_like(arr)
    buf = io.BytesIO()
    Image.fromarray(np.rint(scaled).astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()
