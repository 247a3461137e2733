"""load_input: sample names, images and matrix files, and every refusal."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnlab.errors import InputFileError, ShapeError, UnknownNameError
from cnnlab.i18n import speaking
from cnnlab.inputs import load_input, parse_matrix_text


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares ``width × height`` but that carries no pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"") + _chunk(b"IEND")


def _chunk(kind: bytes, body: bytes = b"") -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return struct.pack(">I", len(body)) + kind + body + crc


def write_png(path: Path, array: np.ndarray) -> Path:
    Image.fromarray(array.astype(np.uint8)).save(path, format="PNG")
    return path


def test_sample_name_gives_the_sample() -> None:
    out = load_input("bidoof-worked")
    assert out.shape == (20, 19) and out.dtype == np.float64 and out[0, 2] == 255


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("m.csv", "# header\n1,2,3\n4, 5 ,6\n\n"),
        ("m.tsv", "1\t2\t3\n4\t5\t6\n"),
        ("m.txt", "1 2   3\n4 5 6\n"),
        ("m.data", "\ufeff1,2,3\r\n4,5,6\r\n"),
    ],
)
def test_text_matrices(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert load_input(str(path)).tolist() == [[1, 2, 3], [4, 5, 6]]


def test_npy_and_png_by_content_not_name(tmp_path: Path) -> None:
    arr = np.arange(12, dtype=np.int32).reshape(3, 4)
    np.save(tmp_path / "a.npy", arr)
    (tmp_path / "a.npy").rename(tmp_path / "a.csv")  # content wins over the name
    np.testing.assert_array_equal(load_input(str(tmp_path / "a.csv")), arr)
    pixels = np.array([[0, 128], [255, 7]])
    png = write_png(tmp_path / "p.png", pixels).rename(tmp_path / "p.dat")
    out = load_input(str(png))
    assert out.dtype == np.float64 and out.tolist() == pixels.tolist()


def test_16_bit_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    deep = np.array([[0, 257, 257 * 100], [257 * 200, 65535, 1000]], dtype=np.uint16)
    Image.fromarray(deep).save(tmp_path / "deep.png")
    assert Image.open(tmp_path / "deep.png").mode.startswith("I")
    assert load_input(str(tmp_path / "deep.png")).tolist() == [[0, 1, 100], [200, 255, 4]]


def test_rgb_png_becomes_gray(tmp_path: Path) -> None:
    rgb = np.zeros((2, 2, 3), dtype=np.uint8)
    rgb[0, 0] = (255, 0, 0)
    path = tmp_path / "c.png"
    Image.fromarray(rgb).save(path)
    assert load_input(str(path))[0, 0] == 76  # Pillow's L: 0.299·255 rounded


def _write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "error", "message"),
    [
        ("r.csv", "1,2,3\n4,5\n", InputFileError, "ragged rows: line 2 has 2 values; expected 3"),
        ("n.csv", "1,2\n3,x\n", InputFileError, "line 2, column 2 is not a number"),
        ("e.csv", "1,,3\n", InputFileError, "line 1, column 2 is not a number"),
        ("nan.csv", "1,2\nnan,4\n", InputFileError, "non-finite value at row 1, column 0"),
        ("inf.txt", "1 inf\n", InputFileError, "non-finite value at row 0, column 1"),
        ("empty.csv", "", InputFileError, "is empty"),
        ("comments.csv", "# only\n", InputFileError, "has no rows of numbers"),
        ("g.png", b"GIF89a" + b"\0" * 20, InputFileError, "is not a PNG or JPEG image"),
        ("g.gif", b"GIF89a" + b"\0" * 20, InputFileError, "is a GIF image"),
        ("t.png", "1,2\n3,4\n", InputFileError, "is not a PNG or JPEG image"),
        (
            "b.bin",
            b"\xff\xfe\x00\x81" * 4,
            InputFileError,
            "is not text (UTF-8, UTF-16 or Windows-1252)",
        ),
        ("z.npz", b"PK\x03\x04" + b"\0" * 20, InputFileError, "is a ZIP archive"),
        ("bad.npy", b"\x93NUMPY\x01\x00garbage", InputFileError, "could not be read as an NPY"),
    ],
)
def test_file_errors(tmp_path: Path, name: str, data, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        load_input(_write(tmp_path, name, data))


def test_npy_refusals(tmp_path: Path) -> None:
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(InputFileError, match="object arrays are refused"):
        load_input(str(tmp_path / "o.npy"))
    np.save(tmp_path / "3d.npy", np.zeros((2, 2, 2)))
    with pytest.raises(ShapeError, match=re.escape("expected a 2-D matrix")):
        load_input(str(tmp_path / "3d.npy"))
    np.save(tmp_path / "s.npy", np.array(["a"]))
    with pytest.raises(InputFileError, match="expected numbers"):
        load_input(str(tmp_path / "s.npy"))
    np.save(tmp_path / "big.npy", np.zeros((5, 5)))
    with pytest.raises(InputFileError, match=re.escape("holds 25 values (shape (5, 5))")):
        load_input(str(tmp_path / "big.npy"), max_pixels=10)


def test_truncated_png(tmp_path: Path) -> None:
    full = write_png(tmp_path / "full.png", np.arange(64 * 64).reshape(64, 64) % 256).read_bytes()
    path = _write(tmp_path, "cut.png", full[: len(full) // 2])
    with pytest.raises(InputFileError, match="could not be decoded as PNG"):
        load_input(path)


def test_images_over_the_pixel_limit(tmp_path: Path) -> None:
    big = _write(tmp_path, "big.png", png_header_only(10_000, 5_000))
    with pytest.raises(
        InputFileError, match=re.escape("big.png is too large (10000×5000 = 50,000")
    ):
        load_input(big)
    bomb = _write(tmp_path, "bomb.png", png_header_only(100_000, 100_000))
    with pytest.raises(InputFileError, match=r"bomb\.png .*decompression bomb"):
        load_input(bomb)
    small = write_png(tmp_path / "s.png", np.zeros((4, 5)))
    with pytest.raises(InputFileError, match="expected at most 10 pixels"):
        load_input(str(small), max_pixels=10)


def test_unknown_sample_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'camera'"):
        load_input("camra")
    with pytest.raises(InputFileError, match="file not found and not a sample name"):
        load_input(str(tmp_path / "nope.csv"))
    with pytest.raises(InputFileError, match="not a regular file"):
        load_input(str(tmp_path))


def test_parse_matrix_text_doc_example() -> None:
    assert parse_matrix_text("1,2\n3,4").tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize(
    "header",
    [
        b"{'descr': '<f8', 'fortran_order': False, 'shape': (2, ",  # unclosed bracket
        b"{'descr': '<f8', 'fortran_order': False, 'shape': (2,)) ",  # one bracket too many
        b"{'descr': '<f8', 'fortran_order': Fal se, 'shape': (2,)} ",  # not Python at all
    ],
)
def test_mangled_npy_headers_are_clear_errors(tmp_path, header):
    """A corrupted header must end as one InputFileError, never NumPy's parser's own error."""
    padded = header + b" " * (64 - 10 - len(header) - 1) + b"\n"
    path = tmp_path / "bad.npy"
    path.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(padded)) + padded + bytes(64))
    with pytest.raises(InputFileError, match="could not be read as an NPY array"):
        load_input(str(path))


def test_refusals_are_spanish_with_spanish_numbers(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("1,2\n3\n")
    with speaking("es"), pytest.raises(InputFileError, match="tiene filas desiguales") as e:
        load_input(str(ragged))
    assert "Recibido: '3'" in str(e.value)
    big = tmp_path / "big.txt"
    big.write_text("1 2 3\n" * 1000)
    with speaking("es"), pytest.raises(InputFileError, match="contiene unos 3\u2009000 valores"):
        load_input(str(big), max_pixels=100)
