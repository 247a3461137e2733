"""Safe image decoding: formats by content, truncation, and the decompression-bomb guard."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cnnlab.errors import InputFileError
from cnnlab.imageio import read_image


def _png_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def _png_header_declaring(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares width×height pixels but carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    ihdr_chunk = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + zlib.compress(b"\x00" * 16)
    idat_chunk = struct.pack(">I", 16) + idat[:4] + idat[4:20].ljust(16, b"\0")
    return b"\x89PNG\r\n\x1a\n" + ihdr_chunk + idat_chunk


def test_round_trip_gray_and_rgb():
    gray = (np.arange(12, dtype=np.uint8) * 20).reshape(3, 4)
    out = read_image(_png_bytes(gray))
    np.testing.assert_array_equal(out, gray)
    rgb = np.zeros((2, 3, 3), dtype=np.uint8)
    rgb[..., 0] = 255
    assert read_image(_png_bytes(rgb), mode="RGB").shape == (2, 3, 3)


def test_rejects_other_formats(tmp_path):
    gif = tmp_path / "x.png"
    Image.new("L", (4, 4)).save(gif, format="GIF")
    with pytest.raises(InputFileError, match="is not a PNG or JPEG image"):
        read_image(gif)


def test_rejects_truncated_png():
    data = _png_bytes(np.random.default_rng(0).integers(0, 255, (64, 64), dtype=np.uint8))
    with pytest.raises(InputFileError, match="could not be decoded as PNG"):
        read_image(data[: len(data) // 2])


@pytest.mark.parametrize("side", [10_000, 200_000])
def test_decompression_bomb_is_refused_before_decoding(side):
    # 10,000² = 1e8 pixels passes Pillow's own limit but not ours; 200,000² trips Pillow's first.
    with pytest.raises(InputFileError, match="too large"):
        read_image(_png_header_declaring(side, side))


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="image file not found"):
        read_image(tmp_path / "nope.png")
