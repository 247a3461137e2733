"""Explanation records: the deck's first output value, positions, padding, pooling winners."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from cnnlab.errors import CnnlabError
from cnnlab.ops import conv2d, convolve2d, correlate2d, max_pool2d
from cnnlab.ops._args import resolve_padding
from cnnlab.ops.explain import convolve_image, explain_conv, explain_pool, size_formula

IMAGE = np.loadtxt(Path(__file__).parent / "bidoof_worked.csv", delimiter=",")  # (20, 19)
KERNEL = np.array([[1, 0, -1], [1, 0, 1], [1, 1, 1]])


def test_deck_first_value_written_out():
    step = explain_conv(IMAGE, KERNEL, 0, 0)
    assert step.total == 750
    assert step.output_shape == (18, 17)
    assert step.formula(max_terms=3) == "150·1 + 150·0 + 255·(−1) + … = 750"
    assert step.formula().endswith("150·1 = 750")
    assert len(step.terms()) == 9
    np.testing.assert_array_equal(step.products, step.window * KERNEL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.total = 0  # type: ignore[misc]


@pytest.mark.parametrize("mode", ["correlate", "convolve"])
@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 0, 1), (2, 1, 1), (1, 2, 2)])
def test_every_step_total_equals_the_op(mode, stride, padding, dilation):
    image = np.arange(42.0).reshape(6, 7) % 5
    op = correlate2d if mode == "correlate" else convolve2d
    if dilation == 1:
        out = op(image, KERNEL, stride=stride, padding=padding)
    else:
        k = KERNEL if mode == "correlate" else KERNEL[::-1, ::-1]
        out = conv2d(image[None, None], k[None, None], padding=padding, dilation=dilation)[0, 0]
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            step = explain_conv(image, KERNEL, r, c, stride, padding, dilation, mode, bias=0.5)
            assert step.total == pytest.approx(out[r, c] + 0.5)
            assert step.output_shape == out.shape


@pytest.mark.parametrize("kernel_shape", [(2, 2), (2, 3), (4, 1), (3, 3)])
@pytest.mark.parametrize("mode", ["correlate", "convolve"])
def test_same_padding_with_even_kernels_matches_the_op(kernel_shape, mode):
    """convolve2d puts an even kernel's extra "same" padding top/left (as SciPy); explain too."""
    image = np.arange(42.0).reshape(6, 7) % 5
    kernel = np.arange(1.0, 1.0 + np.prod(kernel_shape)).reshape(kernel_shape)
    op = correlate2d if mode == "correlate" else convolve2d
    out = op(image, kernel, padding="same")
    for r, c in np.ndindex(*out.shape):
        step = explain_conv(image, kernel, r, c, padding="same", mode=mode)
        assert step.total == out[r, c], (r, c)


@pytest.mark.parametrize("padding", [0, 1, "valid", "same", "full"])
@pytest.mark.parametrize("kernel_shape", [(2, 2), (3, 2), (3, 3)])
@pytest.mark.parametrize("mode", ["correlate", "convolve"])
def test_convolve_image_is_the_map_explain_explains(padding, kernel_shape, mode):
    image = np.arange(42.0).reshape(6, 7) % 5
    kernel = np.arange(1.0, 1.0 + np.prod(kernel_shape)).reshape(kernel_shape)
    op = correlate2d if mode == "correlate" else convolve2d
    got = convolve_image(image, kernel, 1, padding, 1, mode)
    np.testing.assert_array_equal(got, op(image, kernel, padding=padding))
    dilated = convolve_image(image, kernel, 1, padding, 2, mode)
    for r, c in np.ndindex(*dilated.shape):
        step = explain_conv(image, kernel, r, c, 1, padding, 2, mode)
        assert step.total == dilated[r, c], (r, c)


def test_resolve_padding_mirror_puts_the_extra_top_left():
    assert resolve_padding("same", (2, 2), (1, 1), (1, 1)) == ((0, 1), (0, 1))
    assert resolve_padding("same", (2, 2), (1, 1), (1, 1), mirror=True) == ((1, 0), (1, 0))
    assert resolve_padding("same", (4, 3), (1, 1), (1, 2), mirror=True) == ((2, 1), (2, 2))
    assert resolve_padding(1, (2, 2), (1, 1), (1, 1), mirror=True) == ((1, 1), (1, 1))


def test_padding_taps_and_positions():
    step = explain_conv(IMAGE, KERNEL, 0, 0, padding=1)
    assert step.input_origin == (0, 0)
    assert step.input_positions[0].tolist() == [[-1, -1]] * 3  # the top row is padding
    assert step.input_positions[1, 1].tolist() == [0, 0]
    assert step.window[0].tolist() == [0, 0, 0]
    flipped = explain_conv(IMAGE, KERNEL, 0, 0, mode="convolve")
    np.testing.assert_array_equal(flipped.kernel, KERNEL[::-1, ::-1])


def test_number_format():
    step = explain_conv(np.array([[1.5, -2.0]]), np.array([[-1, 0.25]]), 0, 0, bias=-1)
    assert step.formula() == "1.5·(−1) + (−2)·0.25 + (−1) = −3"


def test_pool_steps_match_the_ops():
    x = np.random.default_rng(0).normal(size=(5, 6))
    out = max_pool2d(x[None, None], 2, padding=1)[0, 0]
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            step = explain_pool(x, r, c, "max", 2, padding=1)
            assert step.value == out[r, c]
            assert x[step.winner_input] == out[r, c]
            assert step.window[step.winner] == out[r, c]
    avg = explain_pool(np.array([[1, 3], [2, 0]]), 0, 0, "avg")
    assert (avg.value, avg.mean, avg.winner) == (1.5, 1.5, None)


def test_size_formula_text():
    assert size_formula(20, 3) == "⌊(20 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 18"
    assert size_formula(28, 5, 2, 2) == "⌊(28 + 2·2 − 1·(5 − 1) − 1) / 2⌋ + 1 = 14"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"row": 18, "col": 0}, r"row 18 is outside the output; expected 0 <= row < 18"),
        ({"row": 0, "col": -1}, r"col -1 is outside the output"),
        ({"row": 0, "col": 0, "mode": "conv"}, r"unknown mode 'conv'"),
        ({"row": 0, "col": 0, "bias": float("nan")}, r"bias contains NaN or infinity"),
        ({"row": 0, "col": 0, "bias": [1.0, 2.0]}, r"bias has 1 dimensions; expected 0-D number"),
    ],
)
def test_explain_refusals(kwargs, message):
    with pytest.raises(CnnlabError, match=message):
        explain_conv(IMAGE, KERNEL, **kwargs)
