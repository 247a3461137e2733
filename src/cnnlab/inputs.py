"""Turn an INPUT argument into a 2-D float64 matrix.

An INPUT is a built-in sample name (``bidoof``, ``camera``, ...; see ``cnnlab samples``), an
image file (PNG or JPEG, made gray with Pillow's ``"L"`` luma, values 0–255), or a matrix file:
text with cells separated by ``,``, ``;``, tabs or spaces as spreadsheets save it (decimal
comma or point, BOM, UTF-16, Windows-1252: see :mod:`cnnlab.delimited`; lines starting with
``#`` are comments) or a ``.npy`` array (read with ``allow_pickle=False``). The format is
decided by the file's content, not its name. Every refusal says what is wrong, what was
expected and what was received.

>>> load_input("bidoof-worked").shape
(20, 19)
"""

from __future__ import annotations

import io
import math
import tokenize
from pathlib import Path

import numpy as np
from PIL import Image

from cnnlab import imageio
from cnnlab.delimited import Table, clip, decimal_mark, read_delimited, split_line, to_float
from cnnlab.errors import InputFileError, ShapeError
from cnnlab.fileio import atomic_write_bytes, atomic_write_text
from cnnlab.i18n import N_, _, tr, unknown_name
from cnnlab.imageio import MAX_PIXELS, read_image, sniff_format
from cnnlab.samples import get_sample as _get_sample
from cnnlab.samples import sample_names

_NPY_MAGIC = b"\x93NUMPY"
_OTHER_FORMATS = {
    b"GIF87a": N_("a GIF image"),
    b"GIF89a": N_("a GIF image"),
    b"BM": N_("a BMP image"),
    b"II*\x00": N_("a TIFF image"),
    b"MM\x00*": N_("a TIFF image"),
    b"RIFF": N_("a RIFF file (WebP?)"),
    b"%PDF": N_("a PDF document"),
    b"PK\x03\x04": N_("a ZIP archive (.npz?)"),
}
_NPY_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
    (3, 0): np.lib.format.read_array_header_2_0,  # 3.0 only allows UTF-8 field names
}
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def _expected() -> str:
    """What an INPUT may be, in the current language (the middle of many messages)."""
    return _("expected a sample name, a PNG/JPEG image, or a CSV/TSV/text/NPY matrix")


def load_input(
    spec: str, max_pixels: int | None = None, decimal: str | None = None
) -> np.ndarray:
    """Load ``spec`` (sample name or file path) as a 2-D float64 array of finite values.

    ``max_pixels`` bounds the number of cells of images and matrices alike (default:
    :data:`cnnlab.imageio.MAX_PIXELS`, read when called); ``decimal`` (``","`` or ``"."``) is
    a text matrix's decimal mark, found from its content when None.
    """
    path = Path(spec)
    if path.is_file():
        limit = imageio.MAX_PIXELS if max_pixels is None else max_pixels
        return load_matrix_file(path, limit, decimal)
    if path.exists():
        raise InputFileError(
            _(
                "{spec} is not a regular file; {expected}. Received: {spec}",
                spec=spec,
                expected=_expected(),
            )
        )
    if spec in sample_names():
        return _get_sample(spec)
    if "/" in spec or "\\" in spec or path.suffix:
        raise InputFileError(
            _(
                "file not found and not a sample name; {expected}. Received: {spec}",
                spec=spec,
                expected=_expected(),
            )
        )
    raise unknown_name(N_("sample"), spec, sample_names())


def load_matrix_file(
    path: Path, max_pixels: int = MAX_PIXELS, decimal: str | None = None
) -> np.ndarray:
    """Load an image or matrix file, deciding its format from its first bytes."""
    data = path.read_bytes()
    image = path.suffix.lower() in _IMAGE_SUFFIXES
    return load_matrix_bytes(data, str(path), max_pixels, image, decimal=decimal)


def load_matrix_bytes(
    data: bytes,
    label: str = "<bytes>",
    max_pixels: int = MAX_PIXELS,
    image: bool = False,
    max_side: int | None = None,
    decimal: str | None = None,
) -> np.ndarray:
    """Load an image or matrix held in memory (an upload), deciding its format from its first
    bytes; ``label`` names it in messages, ``image=True`` reads it as a picture whatever it
    starts with (so a damaged PNG gets the image decoder's message). ``max_side`` also bounds
    the rows and columns of a text matrix, checked before it is parsed. ``decimal`` (``","``
    or ``"."``) says a text matrix's decimal mark; None finds it from the content."""
    if not data.strip():
        raise InputFileError(_("{label} is empty; {expected}. Received: {n} bytes",
                               label=label, expected=_expected(), n=len(data)))  # fmt: skip
    if sniff_format(data[:8]) or image:
        return read_image(data, "L", max_pixels, label).astype(np.float64)
    if data.startswith(_NPY_MAGIC):
        return _check_matrix(_load_npy(data, label, max_pixels), label, max_pixels)
    for magic in _OTHER_FORMATS:
        if data.startswith(magic):
            raise InputFileError(_("{label} is {what}, which cnnlab does not read; {expected}. "
                                   "Received: first bytes {head!r}",
                                   label=label, what=tr(_OTHER_FORMATS, magic),
                                   expected=_expected(), head=data[:8]))  # fmt: skip
    table = read_delimited(data, label, _expected(), comments=True,
                           decimal_comma=decimal == ",",
                           check=lambda rows, cols: _check_text_size(rows, cols, label, max_pixels,
                                                                     max_side))  # fmt: skip
    return _check_matrix(table_matrix(table, label, decimal), label, max_pixels)


def _check_text_size(
    rows: int, cols: int, label: str, max_pixels: int, max_side: int | None
) -> None:
    """Refuse a text matrix whose lines × values in its first row pass ``max_pixels`` (or whose
    lines or values pass ``max_side``), counted before any number is parsed."""
    if rows * cols > max_pixels or (max_side is not None and max(rows, cols) > max_side):
        if max_side:
            limit = _("{max_pixels:,} values and {max_side:,} per side", max_pixels=max_pixels,
                      max_side=max_side)  # fmt: skip
        else:
            limit = _("{max_pixels:,} values", max_pixels=max_pixels)
        raise InputFileError(
            _(
                "{label} holds about {n:,} values; expected at most {limit}. "
                "Received: {rows:,} lines of {cols:,} values",
                label=label,
                n=rows * cols,
                limit=limit,
                rows=rows,
                cols=cols,
            )
        )


def _load_npy(data: bytes, path: str, max_pixels: int) -> np.ndarray:
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version not in _NPY_HEADER_READERS:
            raise InputFileError(_("{path} is an NPY file of format version {major}.{minor}; "
                                   "expected version 1.0, 2.0 or 3.0. Received: version {version}",
                                   path=path, major=str(version[0]), minor=str(version[1]),
                                   version=version))  # fmt: skip
        shape, _fortran, dtype = _NPY_HEADER_READERS[version](stream)  # before any value is read
        if math.prod(shape) > max_pixels:
            raise InputFileError(_("{path} holds {n:,} values (shape {shape}); expected at most "
                                   "{max_pixels:,}. Received: shape {shape}",
                                   path=path, n=math.prod(shape), shape=shape,
                                   max_pixels=max_pixels))  # fmt: skip
        if math.prod(shape) * dtype.itemsize > len(data):
            raise InputFileError(_("{path} declares more values than it holds; expected a "
                                   "complete .npy file. Received: shape {shape} of {dtype} in "
                                   "{n:,} bytes",
                                   path=path, shape=shape, dtype=dtype, n=len(data)))  # fmt: skip
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except InputFileError:
        raise
    except (ValueError, OSError, EOFError, SyntaxError, tokenize.TokenError) as exc:
        raise InputFileError(_("{path} could not be read as an NPY array; expected a complete "
                               ".npy file of numbers (object arrays are refused). Received: "
                               "{error}: {exc}",
                               path=path, error=type(exc).__name__,
                               exc=clip(exc))) from None  # fmt: skip
    if arr.dtype.kind not in "biuf":
        raise InputFileError(_("{path} holds {dtype} values; expected numbers (int, float or "
                               "bool). Received: dtype {dtype}",
                               path=path, dtype=arr.dtype))  # fmt: skip
    return arr.astype(np.float64)


def parse_matrix_text(text: str, label: str = "<text>", decimal: str | None = None) -> np.ndarray:
    """Parse rows of numbers separated by ``,``, ``;``, tabs or spaces into a 2-D array.

    Blank lines and lines starting with ``#`` are skipped; the separator and decimal mark are
    found as :mod:`cnnlab.delimited` says. ``"1,2\\n3,4"`` → ``[[1, 2], [3, 4]]``,
    ``"0,5;1\\n2;3"`` → ``[[0.5, 1], [2, 3]]``.
    """
    table = read_delimited(text.encode("utf-8"), label, _expected(), comments=True,
                           decimal_comma=decimal == ",")  # fmt: skip
    return table_matrix(table, label, decimal)


def table_matrix(table: Table, label: str, decimal: str | None = None) -> np.ndarray:
    """The numbers of a split text as a (rows, columns) array; ragged rows, cells that are not
    numbers and a text writing both decimal marks are refused, saying how it was read."""
    rows = table.rows
    if not rows:
        raise InputFileError(_("{label} has no rows of numbers; {expected}. Received: an empty or "
                               "comment-only file",
                               label=label, expected=_expected()))  # fmt: skip
    mark = decimal or decimal_mark(rows, table.dialect.delimiter)
    if isinstance(mark, tuple):
        raise InputFileError(_("{label} writes a decimal point and a decimal comma (read as "
                               "{read}); expected one decimal mark: say which with "
                               "--decimal-comma or --decimal-point. Received: {point!r} and "
                               "{comma!r}", label=label, read=table.dialect.describe(),
                               point=clip(mark[0]), comma=clip(mark[1])))  # fmt: skip
    width = len(rows[0][2])
    for n, line, cells in rows:
        if len(cells) != width:
            _refuse_if_spaced(table, label, decimal, n, line)
            raise InputFileError(_("{label} has ragged rows: line {n} has {count} values; "
                                   "expected {width} like the first row ({read}). "
                                   "Received: {line!r}",
                                   label=label, n=n, count=len(cells), width=width,
                                   read=table.dialect.describe(mark),
                                   line=clip(line.strip())))  # fmt: skip
    values = np.empty((len(rows), width), dtype=np.float64)  # (rows, columns)
    for i, (n, line, cells) in enumerate(rows):
        for j, cell in enumerate(cells):
            try:
                values[i, j] = to_float(cell, mark)
            except ValueError:
                _refuse_if_spaced(table, label, decimal, n, line)
                raise InputFileError(_("{label} line {n}, column {col} is not a number (read as "
                                       "{read}); expected numbers only (start header lines "
                                       "with #). Received: {cell!r}", label=label, n=n,
                                       col=j + 1, read=table.dialect.describe(mark),
                                       cell=clip(cell))) from None  # fmt: skip
    return values


def _refuse_if_spaced(table: Table, label: str, decimal: str | None, n: int, line: str) -> None:
    """A comma-separated text that fails at line ``n`` but whose lines are all rows of two or
    more numbers with decimal commas between spaces is ambiguous: refused, saying how to read
    it the other way."""
    if decimal is not None or table.dialect.delimiter != ",":
        return
    spaced = [split_line(text, " ") for _n, text, _cells in table.rows]
    widths = {len(cells) for cells in spaced}
    if widths != {1} and len(widths) == 1 and all(_is_number(c) for cs in spaced for c in cs):
        raise InputFileError(_("{label} was read as {read}, and line {n} is not numbers that "
                               "way; expected numbers: if its commas are decimal marks between "
                               "spaces, say so with --decimal-comma. Received: {line!r}",
                               label=label, read=table.dialect.describe("."), n=n,
                               line=clip(line.strip())))  # fmt: skip


def _is_number(cell: str) -> bool:
    try:
        to_float(cell, ",")
    except ValueError:
        return False
    return True


def _check_matrix(arr: np.ndarray, path: str, max_pixels: int) -> np.ndarray:
    if arr.ndim != 2 or 0 in arr.shape:
        raise ShapeError(
            _(
                "{path} holds an array of shape {shape}; expected a 2-D matrix (rows × columns) "
                "with at least one value. Received: {ndim}-D array of shape {shape}",
                path=path,
                shape=arr.shape,
                ndim=arr.ndim,
            )
        )
    if arr.size > max_pixels:
        raise InputFileError(
            _(
                "{path} holds {n:,} values; expected at most {max_pixels:,}. "
                "Received: shape {shape}",
                path=path,
                n=arr.size,
                max_pixels=max_pixels,
                shape=arr.shape,
            )
        )
    if not np.isfinite(arr).all():
        r, c = (int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InputFileError(
            _(
                "{path} has a non-finite value at row {r}, column {c}; expected finite numbers "
                "(no NaN or infinity). Received: {value}",
                path=path,
                r=r,
                c=c,
                value=float(arr[r, c]),
            )
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
            _(
                "cannot save a matrix as {suffix}; expected a name ending "
                ".png, .csv or .npy. Received: {path}",
                suffix=suffix or _("a file without suffix"),
                path=path,
            )
        )
    return suffix[1:]


def _png_bytes(arr: np.ndarray) -> bytes:

    low, high = float(arr.min()), float(arr.max())
    scaled = (arr - low) * (255.0 / (high - low)) if high > low else np.zeros_like(arr)
    buf = io.BytesIO()
    Image.fromarray(np.rint(scaled).astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()
