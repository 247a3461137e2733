"""The transposed convolution against torch.nn.functional.conv_transpose2d and autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from ops_oracles import pair, pair_or_int

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.ops import (
    conv2d_backward,
    conv_transpose2d,
    conv_transpose2d_backward,
    conv_transpose2d_loop,
    transposed_size,
)


@st.composite
def transposed_cases(draw: st.DrawFn) -> dict:
    """A small transposed-convolution problem with its keyword arguments."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, dilation = draw(pair_or_int(1, 3)), draw(pair_or_int(1, 2))
    padding = draw(pair_or_int(0, 2))
    limits = [max(s, d) - 1 for s, d in zip(pair(stride), pair(dilation), strict=True)]
    output_padding = (draw(st.integers(0, limits[0])), draw(st.integers(0, limits[1])))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    sizes = [
        transposed_size(n, k, s, p, o, d)
        for n, k, s, p, o, d in zip(
            (h, w),
            (kh, kw),
            pair(stride),
            pair(padding),
            output_padding,
            pair(dilation),
            strict=True,
        )
    ]
    assume(min(sizes) >= 1)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 2))
    return {
        "x": rng.normal(size=(n, c_in, h, w)),
        "weight": rng.normal(size=(c_in, c_out // groups, kh, kw)),
        "bias": rng.normal(size=c_out) if draw(st.booleans()) else None,
        "kw": dict(
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            groups=groups,
            dilation=dilation,
        ),
    }


def torch_transposed(case: dict, grad: np.ndarray | None = None):
    """Output (and with ``grad``, the gradient of x, weight and bias) from torch in float64."""
    x = torch.tensor(case["x"], requires_grad=True)
    w = torch.tensor(case["weight"], requires_grad=True)
    b = torch.tensor(
        case["bias"]
        if case["bias"] is not None
        else np.zeros(case["weight"].shape[1] * case["kw"]["groups"]),
        requires_grad=True,
    )
    y = F.conv_transpose2d(x, w, b if case["bias"] is not None else None, **case["kw"])
    if grad is None:
        return y.detach().numpy()
    y.backward(torch.tensor(grad))
    gb = b.grad.numpy() if case["bias"] is not None else torch.tensor(grad).sum((0, 2, 3)).numpy()
    return x.grad.numpy(), w.grad.numpy(), gb


@given(transposed_cases())
def test_conv_transpose2d_matches_torch(case):
    want = torch_transposed(case)
    got = conv_transpose2d(case["x"], case["weight"], case["bias"], **case["kw"])
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


@given(transposed_cases())
def test_loop_version_agrees_with_vectorized(case):
    fast = conv_transpose2d(case["x"], case["weight"], case["bias"], **case["kw"])
    loop = conv_transpose2d_loop(case["x"], case["weight"], case["bias"], **case["kw"])
    np.testing.assert_allclose(loop, fast, rtol=0, atol=1e-9)


@given(transposed_cases(), st.integers(0, 2**32 - 1))
def test_conv_transpose2d_backward_matches_autograd(case, seed):
    shape = conv_transpose2d(case["x"], case["weight"], case["bias"], **case["kw"]).shape
    g = np.random.default_rng(seed).normal(size=shape)
    want = torch_transposed(case, grad=g)
    got = conv_transpose2d_backward(g, case["x"], case["weight"], case["bias"], **case["kw"])
    for mine, theirs in zip(got, want, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("size", "k", "stride", "padding", "output_padding", "expected"),
    [
        (7, 4, 2, 1, 0, 14),
        (14, 4, 2, 1, 0, 28),
        (2, 3, 2, 0, 0, 5),
        (3, 3, 1, 1, 0, 3),
        (4, 3, 2, 1, 1, 8),
    ],
)
def test_output_size_table(size, k, stride, padding, output_padding, expected):
    x = np.ones((1, 1, size, size))
    y = conv_transpose2d(
        x, np.ones((1, 1, k, k)), stride=stride, padding=padding, output_padding=output_padding
    )
    assert transposed_size(size, k, stride, padding, output_padding) == expected
    assert y.shape == (1, 1, expected, expected)


def test_hand_checkable_example():
    """Two windows overlap on the middle row and column, four on the centre."""
    y = conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2)[0, 0]
    assert y[2].tolist() == [2, 2, 4, 2, 2]
    assert y[0].tolist() == [1, 1, 2, 1, 1]


def test_transposed_is_the_gradient_of_the_convolution_input():
    """conv_transpose2d(g, K) equals the gradient that conv2d sends back to its input."""
    rng = np.random.default_rng(1)
    x, k = rng.normal(size=(2, 3, 9, 9)), rng.normal(size=(4, 3, 3, 3))
    g = rng.normal(size=(2, 4, 4, 4))
    grad_x, _, _ = conv2d_backward(g, x, k, stride=2)
    np.testing.assert_allclose(conv_transpose2d(g, k, stride=2), grad_x, atol=1e-12)


def test_unbatched_input_and_float32_kept():
    x = np.ones((2, 3, 3), np.float32)
    y = conv_transpose2d(x, np.ones((2, 1, 2, 2), np.float32), stride=2)
    assert y.shape == (1, 6, 6) and y.dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(output_padding=2, stride=2), InvalidArgumentError, "output_padding must be smaller"),
        (dict(padding=3), ShapeError, "cuts the whole output"),
        (dict(stride=0), InvalidArgumentError, "stride"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), **kwargs)


def test_weight_that_does_not_fit_the_channels_is_refused():
    with pytest.raises(ShapeError, match=r"Received: input \(1, 3, 2, 2\), weight \(2, 1, 2, 2\)"):
        conv_transpose2d(np.ones((1, 3, 2, 2)), np.ones((2, 1, 2, 2)))
