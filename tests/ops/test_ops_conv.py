"""conv2d, conv1d, correlate2d and convolve2d against PyTorch, SciPy and the deck."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from ops_oracles import conv1d_cases, conv_cases, torch_conv1d, torch_conv2d

from cnnlab.ops import conv1d, conv2d, conv2d_loop, convolve2d, correlate2d

HERE = Path(__file__).parent
DECK_KERNEL = np.array([[1, 0, -1], [1, 0, 1], [1, 1, 1]])
DECK_ROW0 = [750, 750, 915, 660, 555, 600, 750, 750, 750, 750, 750, 750, 855, 855, 855, 960, 960]
DECK_ROW1_START = [495, 345, 260, 438, 438, 373, 600]


def bidoof_worked() -> np.ndarray:
    return np.loadtxt(HERE / "bidoof_worked.csv", delimiter=",", dtype=np.int64)  # (20, 19)


@given(conv_cases())
def test_conv2d_matches_torch(case):
    expected = torch_conv2d(case["x"], case["weight"], case["bias"], **case["kw"])
    got = conv2d(case["x"], case["weight"], case["bias"], **case["kw"])
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


@given(conv_cases())
def test_conv2d_loop_agrees_with_vectorized(case):
    fast = conv2d(case["x"], case["weight"], case["bias"], **case["kw"])
    loop = conv2d_loop(case["x"], case["weight"], case["bias"], **case["kw"])
    np.testing.assert_allclose(loop, fast, rtol=0, atol=1e-9)


@given(conv1d_cases())
def test_conv1d_matches_torch(case):
    expected = torch_conv1d(case["x"], case["weight"], case["bias"], **case["kw"])
    got = conv1d(case["x"], case["weight"], case["bias"], **case["kw"])
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_unbatched_input_like_torch():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(3, 6, 5)), rng.normal(size=(4, 3, 2, 2))
    expected = F.conv2d(torch.tensor(x), torch.tensor(w), padding=1).numpy()
    got = conv2d(x, w, padding=1)
    assert got.shape == (4, 7, 6)
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_float32_in_float32_out_and_ints_promoted():
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(2, 3, 9, 9)).astype(np.float32), rng.normal(size=(5, 3, 3, 3))
    w32 = w.astype(np.float32)
    got = conv2d(x, w32, stride=2, padding="valid")
    expected = F.conv2d(torch.tensor(x), torch.tensor(w32), stride=2).numpy()
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    assert correlate2d(np.arange(16).reshape(4, 4), np.ones((2, 2), dtype=int)).dtype == np.float64
    assert conv2d(x, w).dtype == np.float64  # mixed float32/float64 computes in float64


@given(
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(1, 4),
    st.integers(1, 4),
    st.sampled_from(["valid", "same", "full"]),
    st.integers(0, 2**32 - 1),
)
def test_correlate2d_and_convolve2d_match_scipy(h, w, kh, kw, mode, seed):
    assume(mode != "valid" or (kh <= h and kw <= w))  # a bigger kernel is refused
    rng = np.random.default_rng(seed)
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    np.testing.assert_allclose(
        correlate2d(image, kernel, padding=mode),
        scipy.signal.correlate2d(image, kernel, mode),
        atol=1e-9,
    )
    np.testing.assert_allclose(
        convolve2d(image, kernel, padding=mode),
        scipy.signal.convolve2d(image, kernel, mode),
        atol=1e-9,
    )


def test_convolve2d_is_correlate2d_with_the_kernel_flipped():
    image = np.arange(30.0).reshape(5, 6)
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(
        convolve2d(image, kernel, stride=2, padding=1),
        correlate2d(image, kernel[::-1, ::-1], stride=2, padding=1),
    )


def test_fixture_is_the_decks_second_table(deck_text):
    lines = deck_text.split("20x20 Bidoof", 1)[1].strip().splitlines()[:20]
    rows = [[int(v) for v in line.split("\t")[1:]] for line in lines]  # first column = row index
    np.testing.assert_array_equal(bidoof_worked(), np.array(rows))


def test_deck_worked_example():
    image = bidoof_worked()
    assert image.shape == (20, 19)
    out = correlate2d(image, DECK_KERNEL)
    assert out.shape == (18, 17)
    np.testing.assert_array_equal(out[0], DECK_ROW0)
    np.testing.assert_array_equal(out[1, :7], DECK_ROW1_START)
    np.testing.assert_array_equal(
        conv2d_loop(image[None, None], DECK_KERNEL[None, None])[0, 0], out
    )


def test_hand_checked_values():
    image = np.arange(9).reshape(3, 3)  # [[0,1,2],[3,4,5],[6,7,8]]
    np.testing.assert_array_equal(correlate2d(image, np.ones((2, 2))), [[8, 12], [20, 24]])
    kernel = np.array([[1, 0], [0, 0]])  # correlate picks the top-left, convolve the bottom-right
    np.testing.assert_array_equal(correlate2d(image, kernel), [[0, 1], [3, 4]])
    np.testing.assert_array_equal(convolve2d(image, kernel), [[4, 5], [7, 8]])
