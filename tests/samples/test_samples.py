"""Built-in samples and kernels: the deck's tables, the named kernels, the kernel parser."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnlab.errors import InvalidArgumentError, UnknownNameError
from cnnlab.samples import (
    DECK_PRINTED_OUTPUT,
    get_kernel,
    get_named_kernel,
    get_sample,
    kernel_from_spec,
    kernel_names,
    parse_kernel,
    sample_names,
)


def test_bidoof_tables_have_the_decks_shape_and_cells() -> None:
    first, worked = get_sample("bidoof"), get_sample("bidoof-worked")
    assert first.shape == (20, 20) and first.dtype == np.float64
    assert worked.shape == (20, 19)
    # cells read off the deck by eye: row 0 starts 150 150 255 255, row 13 col 17 is 255
    assert first[0, :4].tolist() == [150, 150, 255, 255]
    assert first[13, 17] == 255 and first[12, 19] == 117 and first[19, 19] == 149
    assert worked[12, 18] == 117 and worked[1, 14:18].tolist() == [255] * 4
    assert set(np.unique(first)) <= {0, 65, 73, 110, 116, 117, 147, 149, 150, 162, 228, 255}


def test_first_window_of_the_worked_table_gives_750() -> None:
    window = get_sample("bidoof-worked")[:3, :3]
    assert float((window * get_kernel("deck")).sum()) == 750 == DECK_PRINTED_OUTPUT[0][0]


def _deck_rows(deck_text: str, start_marker: str) -> list[list[float]]:
    lines = deck_text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("0\t150\t150\t255")]
    block = lines[starts[0 if start_marker == "bidoof" else 1] :][:20]
    return [[float(c) for c in line.split("\t")[1:]] for line in block]


@pytest.mark.parametrize("name", ["bidoof", "bidoof-worked"])
def test_shipped_csv_matches_the_deck_text(name: str, deck_text: str) -> None:
    rows = _deck_rows(deck_text, name)
    assert get_sample(name).tolist() == rows


def test_photos_are_gray_floats_on_the_0_255_scale() -> None:
    camera = get_sample("camera")
    assert camera.shape == (512, 512) and camera.dtype == np.float64
    assert camera.min() >= 0 and camera.max() <= 255
    color = get_sample("astronaut", gray=False)
    gray = get_sample("astronaut")
    assert color.shape == (512, 512, 3) and gray.shape == (512, 512)
    np.testing.assert_allclose(gray[10, 20], color[10, 20] @ [0.299, 0.587, 0.114])
    horse = get_sample("horse")
    assert set(np.unique(horse)) == {0.0, 255.0}


def test_samples_are_copies() -> None:
    a = get_sample("bidoof")
    a[0, 0] = -1
    assert get_sample("bidoof")[0, 0] == 150


def test_every_sample_and_kernel_has_both_languages() -> None:
    from cnnlab.samples import SAMPLES

    for name in sample_names():
        s = SAMPLES[name]
        assert s.description("en") == s.en != s.description("es")
    for name in kernel_names():
        k = get_named_kernel(name)
        assert k.description("es") != k.description("en")
        assert get_kernel(name).dtype == np.float64


def test_kernels_print_as_whole_numbers_over_a_divisor() -> None:
    divisors = {name: get_named_kernel(name).as_fraction()[0] for name in kernel_names()}
    assert divisors["box-blur"] == 9 and divisors["gaussian-5x5"] == 256
    assert divisors["sobel-x"] == divisors["deck"] == 1
    for name in kernel_names():
        d, whole = get_named_kernel(name).as_fraction()
        assert whole.dtype == np.int64
        np.testing.assert_array_equal(whole / d, get_kernel(name))


def test_named_kernel_values() -> None:
    assert get_kernel("deck").tolist() == [[1, 0, -1], [1, 0, 1], [1, 1, 1]]
    assert get_kernel("gaussian-5x5").shape == (5, 5)
    for name in ("box-blur", "gaussian-3x3", "gaussian-5x5", "identity"):
        assert get_kernel(name).sum() == pytest.approx(1.0)
    for name in ("laplacian", "outline", "sobel-x", "sobel-y", "prewitt-x", "prewitt-y"):
        assert get_kernel(name).sum() == 0
    np.testing.assert_array_equal(get_kernel("sobel-y"), get_kernel("sobel-x").T)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,0,-1;1,0,1;1,1,1", [[1, 0, -1], [1, 0, 1], [1, 1, 1]]),
        ("1 2 ; 3 4", [[1, 2], [3, 4]]),
        ("[[0.5, -1e-1], [2, 3]]".replace("], [", ";"), [[0.5, -0.1], [2, 3]]),
        ("7", [[7]]),
    ],
)
def test_parse_kernel(text: str, expected: list[list[float]]) -> None:
    assert parse_kernel(text).tolist() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2;3", "kernel rows have different lengths [2, 1]"),
        ("1,a;3,4", "row 0, column 1 is not a finite number"),
        ("1,nan;3,4", "row 0, column 1 is not a finite number"),
        ("", "kernel has an empty row"),
        ("1,2;;3,4", "kernel has an empty row"),
    ],
)
def test_parse_kernel_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=re.escape(message)):
        parse_kernel(text)


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'sobel-x'"):
        kernel_from_spec("sobel_x")
    with pytest.raises(UnknownNameError, match=r"unknown sample 'bidof'.*Did you mean 'bidoof'"):
        get_sample("bidof")
    assert kernel_from_spec("-1 1").tolist() == [[-1, 1]]
    for spec in ("nan,1", "inf;1", "x,1"):  # numbers-like text is refused for its value
        with pytest.raises(InvalidArgumentError, match="row 0, column 0 is not a finite number"):
            kernel_from_spec(spec)


def test_deck_mismatches_finds_a_changed_value() -> None:
    from cnnlab.ops.conv import correlate2d
    from cnnlab.samples import deck_mismatches

    out = correlate2d(get_sample("bidoof-worked"), get_kernel("deck"))
    assert deck_mismatches(out) == (24, [])
    out[1, 3] += 1
    assert deck_mismatches(out) == (24, [(1, 3, 438.0, 439.0)])
    checked, bad = deck_mismatches(out[:1, :5])  # too small: the rest counts as missing
    assert checked == 24 and len(bad) == 24 - 5
