"""The IDX reader: round trips, and refusals before any large allocation."""

from __future__ import annotations

import gzip
import struct
import tracemalloc

import numpy as np
import pytest
from data_helpers import idx_bytes

from cnnlab.data.idx import parse_header, read_idx
from cnnlab.errors import DataError
from cnnlab.i18n import speaking


@pytest.mark.parametrize("compress", [False, True])
def test_round_trip_raw_and_gz(tmp_path, compress):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    data = idx_bytes(array)
    path = tmp_path / ("a.gz" if compress else "a")
    path.write_bytes(gzip.compress(data) if compress else data)
    out = read_idx(path)
    assert out.shape == (2, 3, 4) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, array)
    out[0, 0, 0] = 99  # a writable copy, not a view on the file's bytes


def test_big_endian_int32_elements(tmp_path):
    values = np.array([1, -2, 70000], dtype=">i4")
    path = tmp_path / "ints"
    path.write_bytes(bytes([0, 0, 0x0C, 1]) + struct.pack(">I", 3) + values.tobytes())
    out = read_idx(path)
    assert out.tolist() == [1, -2, 70000]
    assert out.dtype.isnative


def test_header_parse_hand_example():
    dtype, dims, length = parse_header(bytes([0, 0, 8, 3]) + struct.pack(">3I", 60000, 28, 28))
    assert (dtype, dims, length) == (np.dtype("uint8"), (60000, 28, 28), 16)


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"\x01\x00\x08\x01" + struct.pack(">I", 1), "not an IDX file"),
        (b"\x00\x00\x07\x01" + struct.pack(">I", 1), "unknown IDX element type"),
        (b"\x00\x00\x08\x00", "dimension count"),
        (b"\x00\x00\x08\x03" + struct.pack(">I", 1), "truncated inside its header"),
        (b"PK\x03\x04", "not an IDX file"),
    ],
)
def test_bad_headers_are_refused(tmp_path, head, message):
    path = tmp_path / "bad"
    path.write_bytes(head)
    with pytest.raises(DataError, match=message):
        read_idx(path)


def test_truncated_body_is_refused(tmp_path):
    data = idx_bytes(np.zeros((10, 28, 28), np.uint8))
    path = tmp_path / "short"
    path.write_bytes(data[:-5])
    with pytest.raises(DataError, match="7,835 data bytes; expected 7,840"):
        read_idx(path)


def test_extra_bytes_are_refused(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(idx_bytes(np.zeros((4,), np.uint8)) + b"\x00")
    with pytest.raises(DataError, match="expected 4 from its header"):
        read_idx(path)


def _peak_bytes_of_refusal(path, message: str) -> int:
    """Peak Python memory while ``read_idx(path)`` refuses the file with ``message``."""
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=message):
            read_idx(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("compress", [False, True])
def test_lying_header_allocates_nothing_large(tmp_path, compress):
    """A header declaring 10^12 elements is refused from the header alone."""
    head = bytes([0, 0, 8, 2]) + struct.pack(">2I", 1_000_000, 1_000_000)
    data = head + b"\x00" * 100
    path = tmp_path / "liar"
    path.write_bytes(gzip.compress(data) if compress else data)
    assert _peak_bytes_of_refusal(path, "declares 1000000×1000000 elements") < 5_000_000


def test_gz_lying_under_the_cap_reads_only_what_is_there(tmp_path):
    """Declares 100 MB (under the cap) but holds 100 bytes: refused as truncated."""
    head = bytes([0, 0, 8, 1]) + struct.pack(">I", 100_000_000)
    path = tmp_path / "liar.gz"
    path.write_bytes(gzip.compress(head + b"\x01" * 100))
    assert _peak_bytes_of_refusal(path, "decompresses to 100 data bytes") < 20_000_000


def test_gz_with_more_data_than_declared(tmp_path):
    path = tmp_path / "more.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(4, np.uint8)) + b"\x00\x00"))
    with pytest.raises(DataError, match="more data than its IDX header declares"):
        read_idx(path)


def test_corrupt_gz_stream(tmp_path):
    good = gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8)))
    path = tmp_path / "broken.gz"
    path.write_bytes(good[:12] + b"\xff" * 20 + good[32:])
    with pytest.raises(DataError):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="IDX file not found"):
        read_idx(tmp_path / "nope")


def test_refusals_are_spanish_with_thin_space_thousands(tmp_path):
    path = tmp_path / "short-idx1-ubyte"
    path.write_bytes(idx_bytes(np.arange(2000, dtype=np.uint8).reshape(2, 1000))[:-1])
    with speaking("es"), pytest.raises(DataError) as caught:
        read_idx(path)
    text = str(caught.value)
    assert "tiene 1\u2009999 bytes de datos; se esperaban 2\u2009000" in text
    assert "Recibido: un archivo truncado o corrupto" in text and "1,999" not in text
