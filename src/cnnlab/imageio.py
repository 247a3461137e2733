"""Safe image decoding: PNG and JPEG only, with a decompression-bomb limit.

Everything that reads a user's picture (convolution inputs, folder data sets, ``predict``) calls
:func:`read_image`. The format is checked from the file's first bytes, not its name; the pixel
count is checked from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from cnnlab.errors import InputFileError
from cnnlab.i18n import _

#: Largest image accepted, in pixels (width × height). 40 megapixels covers any photo a user
#: would convolve or classify; a decompression bomb declares far more.
MAX_PIXELS = 40_000_000

#: the most JPEG scans (progressive passes; photos have about 10) and PNG chunks (a 40-megapixel
#: PNG in 8 KiB chunks has about 12,000) a file may hold: each costs a decoding pass even when
#: empty, so a small file with a million of them would take minutes to refuse
MAX_JPEG_SCANS = 64
MAX_PNG_CHUNKS = 50_000

_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def sniff_format(head: bytes) -> str | None:
    """Return ``"PNG"`` or ``"JPEG"`` from a file's first bytes, else None."""
    for magic, name in _SIGNATURES.items():
        if head.startswith(magic):
            return name
    return None


def read_image(
    source: str | os.PathLike | bytes,
    mode: str = "L",
    max_pixels: int = MAX_PIXELS,
    label: str | None = None,
) -> np.ndarray:
    """Decode a PNG or JPEG into a uint8 array: (H, W) for ``mode="L"``, (H, W, 3) for ``"RGB"``;
    InputFileError for other formats, truncated or corrupt files and images over ``max_pixels``.
    """
    if mode not in ("L", "RGB"):
        raise InputFileError(_("image mode must be 'L' or 'RGB'. Received: mode={mode!r}",
                               mode=mode))  # fmt: skip
    data, label = _read_source(source, label)
    kind = sniff_format(data[:8])
    if kind is None:
        raise InputFileError(_("{label} is not a PNG or JPEG image; expected a file starting with "
                               "the PNG or JPEG signature. Received: first bytes {head!r}",
                               label=label, head=data[:8]))  # fmt: skip
    _check_structure(data, kind, label)
    try:
        with warnings.catch_warnings():  # Pillow's bomb warning: our own check below says it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=[kind])
        with img:
            _check_pixels(img.size, max_pixels, label)
            img.load()
            out = _as_mode(img, mode)
    except InputFileError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's guard, before ours on huge headers
        raise InputFileError(_("{label} is too large; expected at most {max_pixels:,} pixels (a "
                               "decompression-bomb guard). Received: {exc}",
                               label=label, max_pixels=max_pixels, exc=exc)) from None  # fmt: skip
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputFileError(_("{label} could not be decoded as {kind}; expected a complete, "
                               "valid image. Received: {error}: {exc}",
                               label=label, kind=kind, error=type(exc).__name__,
                               exc=exc)) from None  # fmt: skip
    return np.asarray(out, dtype=np.uint8).copy()


def _read_source(source: str | os.PathLike | bytes, label: str | None) -> tuple[bytes, str]:
    """``(bytes, label for messages)`` of a file path or bytes already in memory."""
    if isinstance(source, bytes):
        return source, label or "<bytes>"
    path = Path(source)
    if not path.is_file():
        raise InputFileError(
            _(
                "image file not found; expected a PNG or JPEG file. Received: {source}",
                source=source,
            )
        )
    return path.read_bytes(), str(source)


def _check_structure(data: bytes, kind: str, label: str) -> None:
    """Refuse a JPEG with more than MAX_JPEG_SCANS scans or a PNG with more than MAX_PNG_CHUNKS
    chunks, counted from the markers before Pillow spends a pass on each."""
    if kind == "JPEG":
        found = data.count(b"\xff\xda")  # start-of-scan; 0xFF in coded data is stuffed (FF 00)
        if found > MAX_JPEG_SCANS:
            raise InputFileError(
                _(
                    "{label} holds too many scans for a JPEG image; expected at most {limit:,}. "
                    "Received: {found:,} scans",
                    label=label,
                    limit=MAX_JPEG_SCANS,
                    found=found,
                )
            )
    elif (found := _png_chunks(data, MAX_PNG_CHUNKS + 1)) > MAX_PNG_CHUNKS:
        raise InputFileError(
            _(
                "{label} holds too many chunks for a PNG image; expected at most {limit:,}. "
                "Received: {found:,}+ chunks",
                label=label,
                limit=MAX_PNG_CHUNKS,
                found=found,
            )
        )


def _png_chunks(data: bytes, stop: int) -> int:
    """How many chunks a PNG holds (counting stops at ``stop``)."""
    offset, count = 8, 0
    while offset + 8 <= len(data) and count < stop:
        length = int.from_bytes(data[offset : offset + 4], "big")
        offset += 12 + length  # length, type, data, CRC
        count += 1
    return count


def _check_pixels(size: tuple[int, int], max_pixels: int, label: str) -> None:
    """Refuse a picture over ``max_pixels`` from its header, before any pixel is decoded."""
    width, height = size
    if width * height > max_pixels:
        raise InputFileError(
            _(
                "{label} is too large ({width}×{height} = {pixels:,} pixels); "
                "expected at most {max_pixels:,} pixels (a decompression-bomb guard). "
                "Received: {width}×{height} pixels",
                label=label,
                width=width,
                height=height,
                pixels=width * height,
                max_pixels=max_pixels,
            )
        )


def _as_mode(img: Image.Image, mode: str) -> Image.Image:
    """16-bit gray scaled to 8 bits (Pillow would clip), transparency laid on white paper."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L"):
        img = Image.fromarray(np.rint(np.asarray(img) / 257.0).astype(np.uint8))
    if img.mode in ("RGBA", "LA", "P", "PA") and mode == "L":
        img = img.convert("RGBA")
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img)
    return img.convert(mode)
