"""Hypothesis strategies and PyTorch oracles shared by the cnnlab.ops tests."""

from __future__ import annotations

import warnings

import numpy as np
import torch
from hypothesis import assume
from hypothesis import strategies as st

MODES = ("zeros", "reflect", "replicate", "circular")


def pair_or_int(lo: int, hi: int) -> st.SearchStrategy:
    """An int or a (h, w) pair, as the ops accept."""
    return st.one_of(st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi)))


def pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)


@st.composite
def conv_cases(draw: st.DrawFn) -> dict:
    """A small conv2d problem: arrays plus the keyword arguments for both libraries."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, dilation = draw(pair_or_int(1, 3)), draw(pair_or_int(1, 2))
    names = ["valid", "full"] + (["same"] if pair(stride) == (1, 1) else [])
    padding = draw(st.one_of(pair_or_int(0, 2), st.sampled_from(names)))
    mode = draw(st.sampled_from(MODES))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    pads = torch_pads(padding, (kh, kw), pair(dilation))
    (dh, dw) = pair(dilation)
    assume(sum(pads[0]) + h >= dh * (kh - 1) + 1 and sum(pads[1]) + w >= dw * (kw - 1) + 1)
    if mode == "reflect":
        assume(max(pads[0]) < h and max(pads[1]) < w)
    if mode == "circular":
        assume(max(pads[0]) <= h and max(pads[1]) <= w)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 2))
    return {
        "x": rng.normal(size=(n, c_in, h, w)),
        "weight": rng.normal(size=(c_out, c_in // groups, kh, kw)),
        "bias": rng.normal(size=c_out) if draw(st.booleans()) else None,
        "kw": dict(
            stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=mode
        ),
    }


def torch_pads(padding, kernel, dilation) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) as torch computes them (written out independently)."""
    if padding == "valid":
        return ((0, 0), (0, 0))
    if padding in ("same", "full"):
        totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        if padding == "full":
            return tuple((t, t) for t in totals)
        return tuple((t // 2, t - t // 2) for t in totals)
    ph, pw = pair(padding)
    return ((ph, ph), (pw, pw))


def torch_conv2d(x, weight, bias, stride, padding, dilation, groups, padding_mode, grad=None):
    """nn.Conv2d's forward (which handles padding_mode); with ``grad``, also the gradients."""
    if padding == "full":
        padding = tuple(d * (k - 1) for k, d in zip(weight.shape[2:], pair(dilation), strict=True))
    layer = torch.nn.Conv2d(
        x.shape[-3], weight.shape[0], weight.shape[2:], stride, padding, dilation, groups,
        bias is not None, padding_mode,
    )  # fmt: skip
    return run_conv_layer(layer, x, weight, bias, grad)


def torch_conv1d(x, weight, bias, stride, padding, dilation, groups, padding_mode, grad=None):
    """nn.Conv1d's forward (padding modes included); with ``grad``, also the gradients."""
    if padding == "full":
        padding = dilation * (weight.shape[-1] - 1)
    layer = torch.nn.Conv1d(
        x.shape[-2], weight.shape[0], weight.shape[-1], stride, padding, dilation, groups,
        bias is not None, padding_mode,
    )  # fmt: skip
    return run_conv_layer(layer, x, weight, bias, grad)


def run_conv_layer(layer, x, weight, bias, grad=None):
    """``layer``'s forward with our weight and bias (its own are unused); with ``grad``, also
    (output, grad_x, grad_weight, grad_bias), grad_bias being what a bias would get."""
    xt, wt = (torch.tensor(a, requires_grad=grad is not None) for a in (x, weight))
    bt = None if bias is None else torch.tensor(bias, requires_grad=grad is not None)
    with warnings.catch_warnings():  # torch notes that even "same" kernels need a padded copy
        warnings.simplefilter("ignore", UserWarning)
        y = layer._conv_forward(xt, wt, bt)
    if grad is None:
        return y.detach().numpy()
    y.backward(torch.tensor(grad))
    axes = tuple(i for i in range(grad.ndim) if i != 1)  # all but the channel axis
    gb = grad.sum(axis=axes) if bt is None else bt.grad.numpy()
    return y.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), gb


@st.composite
def pool_cases(draw: st.DrawFn, dilation: bool = True) -> dict:
    """A small pooling problem (padding at most half the kernel, as torch requires)."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), pair_or_int(1, 3)))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    dil = draw(pair_or_int(1, 2)) if dilation else 1
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    assume(h + 2 * padding[0] >= pair(dil)[0] * (kernel[0] - 1) + 1)
    assume(w + 2 * padding[1] >= pair(dil)[1] * (kernel[1] - 1) + 1)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w)
    kw = dict(kernel_size=kernel, stride=stride, padding=padding)
    if dilation:
        kw["dilation"] = dil
    return {"x": rng.normal(size=shape), "kw": kw}


@st.composite
def conv1d_cases(draw: st.DrawFn) -> dict:
    """A small conv1d problem with every padding form and padding mode."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k, stride, dilation = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    names = ["valid", "full"] + (["same"] if stride == 1 else [])
    padding = draw(st.one_of(st.integers(0, 3), st.sampled_from(names)))
    mode = draw(st.sampled_from(MODES))
    length = draw(st.integers(1, 9))
    (_, (before, after)) = torch_pads(padding, (1, k), (1, dilation))
    assume(before + after + length >= dilation * (k - 1) + 1)
    assume(mode != "reflect" or max(before, after) < length)
    assume(mode != "circular" or max(before, after) <= length)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 2))
    return {
        "x": rng.normal(size=(n, c_in, length)),
        "weight": rng.normal(size=(c_out, c_in // groups, k)),
        "bias": rng.normal(size=c_out) if draw(st.booleans()) else None,
        "kw": dict(
            stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=mode
        ),
    }


@st.composite
def fast_conv_cases(draw: st.DrawFn) -> dict:
    """Larger conv2d problems in the shapes CNN layers use: stride 1, no dilation, one group,
    several channels (the vectorized fast paths), float32 or float64."""
    c_in, c_out = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    h, w = draw(st.integers(kh, 16)), draw(st.integers(kw, 16))
    padding = draw(st.one_of(st.integers(0, 2), st.sampled_from(["valid", "same", "full"])))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 4))
    return {
        "x": rng.normal(size=(n, c_in, h, w)).astype(dtype),
        "weight": rng.normal(size=(c_out, c_in, kh, kw)).astype(dtype),
        "bias": rng.normal(size=c_out).astype(dtype) if draw(st.booleans()) else None,
        "kw": dict(stride=1, padding=padding, dilation=1, groups=1, padding_mode="zeros"),
    }


@st.composite
def big_pool_cases(draw: st.DrawFn) -> dict:
    """Pooling in the shapes CNNs use (2×2 or 3×3 windows, larger maps), float32 or float64."""
    k = draw(st.sampled_from([2, 3]))
    stride = draw(st.sampled_from([None, 1, 2]))
    padding = draw(st.integers(0, k // 2))
    h, w = draw(st.integers(k, 30)), draw(st.integers(k, 30))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 8)), h, w)
    return {
        "x": rng.normal(size=shape).astype(dtype),
        "kw": dict(kernel_size=k, stride=stride, padding=padding),
    }
