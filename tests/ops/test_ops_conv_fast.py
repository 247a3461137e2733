"""Each layout of cnnlab.ops._conv_fast (and its batch chunking) against torch in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab.ops import _conv_fast, conv2d

# (C_in, C_out, kernel, image side, stride, dilation, the layout conv2d_fast picks)
CASES = [
    (1, 9, (3, 3), (9, 8), (1, 1), (1, 1), "per_image"),  # K = 9 <= C_out = 9
    (1, 12, (3, 2), (9, 8), (2, 1), (1, 2), "per_image"),  # K = 6 <= 12
    (3, 2, (3, 2), (10, 9), (2, 1), (1, 2), "batch_last"),  # P = 4·7 <= 256
    (3, 2, (3, 3), (20, 19), (1, 1), (2, 1), "flat_rows"),  # P = 16·17 > 256, stride 1
    (2, 3, (2, 3), (40, 30), (2, 2), (1, 1), "per_image"),  # large P, stride 2
]


def which_layout(c_in, c_out, kernel, side, stride, dilation) -> str:
    """The layout conv2d_fast picks, written out from its documented rule."""
    ho = (side[0] - dilation[0] * (kernel[0] - 1) - 1) // stride[0] + 1
    wo = (side[1] - dilation[1] * (kernel[1] - 1) - 1) // stride[1] + 1
    if c_in * kernel[0] * kernel[1] <= c_out:
        return "per_image"
    if ho * wo <= _conv_fast.SMALL_IMAGE:
        return "batch_last"
    return "flat_rows" if stride == (1, 1) else "per_image"


@pytest.mark.parametrize("chunk_bytes", [1, 3000, 1 << 30])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES)
def test_every_layout_and_chunking_match_torch(case, dtype, chunk_bytes, monkeypatch):
    c_in, c_out, kernel, side, stride, dilation, _ = case
    monkeypatch.setattr(_conv_fast, "CHUNK_BYTES", chunk_bytes)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(7, c_in, *side)).astype(dtype)  # 7 images: uneven last chunk
    w = rng.normal(size=(c_out, c_in, *kernel)).astype(dtype)
    b = rng.normal(size=c_out).astype(dtype)
    got = conv2d(x, w, b, stride=stride, dilation=dilation)
    want = F.conv2d(
        *(torch.from_numpy(a.astype(np.float64)) for a in (x, w, b)),
        stride=stride,
        dilation=dilation,
    ).numpy()
    assert got.dtype == dtype and got.flags.c_contiguous
    tol = 1e-9 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    no_bias = conv2d(x, w, stride=stride, dilation=dilation)
    np.testing.assert_allclose(no_bias + b[:, None, None], want, rtol=tol, atol=tol)


def test_cases_cover_every_layout():
    picked = [which_layout(*case[:-1]) for case in CASES]
    assert picked == [case[-1] for case in CASES]
    assert set(picked) == {"per_image", "batch_last", "flat_rows"}


def test_wrapped_columns_never_leak_into_the_output():
    """flat_rows computes W_p-wide rows; a huge value in the last input column must only reach
    the outputs whose windows cover it."""
    x = np.zeros((1, 2, 20, 20))
    x[0, :, :, -1] = 1e12
    w = np.ones((1, 2, 3, 3))
    y = conv2d(x, w)  # (1, 1, 18, 18)
    assert np.all(y[0, 0, :, :-1] == 0) and np.all(y[0, 0, :, -1] == 6e12)


def test_fast_kernels_take_any_memory_layout():
    """A strided view (not C-contiguous) gives the loop's values on every path of conv2d_fast,
    called directly (conv2d itself may copy before reaching it)."""
    from cnnlab.ops import conv2d_loop
    from cnnlab.ops._conv_fast import conv2d_fast

    rng = np.random.default_rng(0)
    for c_in, c_out, side in ((3, 2, 20), (1, 16, 20), (4, 2, 6)):  # flat rows, per image, batch
        x = rng.normal(size=(2, c_in, side, 2 * side))[..., ::2]  # every other column: a view
        assert not x.flags["C_CONTIGUOUS"]
        w = rng.normal(size=(c_out, c_in, 3, 3))
        got = conv2d_fast(x, w, None, (1, 1), (1, 1))
        np.testing.assert_allclose(got, conv2d_loop(x, w), atol=1e-9)


def test_check_kernel_fits_returns_the_span_it_documents():
    from cnnlab.ops._args import check_kernel_fits

    assert check_kernel_fits((5, 7), (3, 2), (2, 3), (5, 7)) == (5, 4)
    assert "span" in check_kernel_fits.__doc__ and "output size" not in check_kernel_fits.__doc__
