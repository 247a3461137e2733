"""Transposed convolution ("the convolution run backwards") in NumPy, with PyTorch's layout.

``conv_transpose2d`` behaves like ``torch.nn.functional.conv_transpose2d``: input
``(N, C_in, H, W)``, weight ``(C_in, C_out / groups, kH, kW)``, output ``(N, C_out, H_out, W_out)``
with

    H_out = (H − 1)·s − 2p + d·(kH − 1) + output_padding + 1

Where a convolution gathers a window of the input into one output value, the transposed
convolution spreads one input value over a window of the output: input cell (i, j) adds
``x[i, j] · K`` to the output window whose top-left corner is (i·s, j·s), overlapping windows
add up, and ``p`` rows and columns are then cut from each side. Example: a 2×2 input of ones
with a 3×3 kernel of ones and stride 2 gives a 5×5 output whose middle row and column hold 2
(two windows overlap there) and whose centre holds 4::

    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2)[0, 0, 2]
    array([2., 2., 4., 2., 2.])

``conv_transpose2d_loop`` is the same in plain loops, for reading; ``conv_transpose2d`` does one
matrix product and adds each kernel tap's grid at once (the col2im of the convolution's
gradient, which the transposed convolution is). A test checks they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import (
    Pair,
    as_float_array,
    as_int,
    as_pair,
    check_ndim,
    float_dtype,
    tap_slices,
)

Size = int | tuple[int, int]


@dataclass(frozen=True)
class TransposedArgs:
    """A transposed convolution's checked arguments; ``x`` is batched."""

    x: np.ndarray  # (N, C_in, H, W)
    weight: np.ndarray  # (C_in, C_out / groups, kH, kW)
    bias: np.ndarray | None  # (C_out,)
    stride: Pair
    padding: Pair
    dilation: Pair
    groups: int
    full: Pair  # (H_full, W_full): the output before p rows/columns are cut from each side
    out: Pair  # (H_out, W_out)
    unbatched: bool


def transposed_size(
    size: int,
    kernel: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """``(size − 1)·s − 2p + d·(k − 1) + output_padding + 1``, e.g. 7 → 14 for k=4, s=2, p=1."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def prepare_transposed(
    x: object,
    weight: object,
    bias: object,
    stride: Size,
    padding: Size,
    output_padding: Size,
    groups: int,
    dilation: Size,
) -> TransposedArgs:
    """Check and normalize conv_transpose2d arguments (shared by every version)."""
    x_arr, w_arr = np.asarray(x), np.asarray(weight)
    check_ndim(x_arr, "input", {4: "(N, C_in, H, W)", 3: "(C_in, H, W)"})
    check_ndim(w_arr, "weight", {4: "(C_in, C_out/groups, kH, kW)"})
    extra = [np.asarray(bias).dtype] if bias is not None else []
    dtype = float_dtype(x_arr.dtype, w_arr.dtype, *extra)
    unbatched = x_arr.ndim == 3
    x_arr = as_float_array(x_arr[None] if unbatched else x_arr, "input", dtype)  # (N, C, H, W)
    w_arr = as_float_array(w_arr, "weight", dtype)
    s, d = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    p, op = as_pair(padding, "padding", 0), as_pair(output_padding, "output_padding", 0)
    groups = as_int(groups, "groups", minimum=1)
    _check_channels(x_arr.shape, w_arr.shape, groups)
    b_arr = (
        None if bias is None else _check_bias(as_float_array(bias, "bias", dtype), w_arr, groups)
    )
    if any(o >= max(si, di) for o, si, di in zip(op, s, d, strict=True)):
        raise InvalidArgumentError(
            _(
                "output_padding must be smaller than the stride or the dilation; "
                "expected e.g. output_padding=1 with stride=2. Received: "
                "output_padding={op}, stride={s}",
                op=op,
                s=s,
            )
        )
    full, out = _sizes(x_arr.shape, w_arr.shape, s, p, op, d)
    return TransposedArgs(x_arr, w_arr, b_arr, s, p, d, groups, full, out, unbatched)  # type: ignore[arg-type]


def _sizes(x_shape: tuple, w_shape: tuple, s: Pair, p: Pair, op: Pair, d: Pair) -> tuple:
    """((H_full, W_full), (H_out, W_out)): before and after the padding is cut."""
    sizes = zip(x_shape[2:], w_shape[2:], s, op, d, strict=True)
    full = tuple(transposed_size(n, k, si, 0, o, di) for n, k, si, o, di in sizes)
    out = tuple(f - 2 * pi for f, pi in zip(full, p, strict=True))
    if min(out) < 1:
        raise ShapeError(
            _(
                "padding {p} cuts the whole output {full_0}×{full_1}; expected padding "
                "smaller than half the output. Received: input {x_shape}, padding={p}",
                p=p,
                full_0=full[0],
                full_1=full[1],
                x_shape=tuple(x_shape),
            )
        )
    return full, out


def _check_bias(b: np.ndarray, w: np.ndarray, groups: int) -> np.ndarray:
    c_out = w.shape[1] * groups
    if b.shape != (c_out,):
        raise ShapeError(
            _(
                "bias must hold one value per output channel; expected shape ({c_out},). "
                "Received: bias of shape {shape}",
                c_out=c_out,
                shape=tuple(b.shape),
            )
        )
    return b


def _check_channels(x_shape: tuple, w_shape: tuple, groups: int) -> None:
    if w_shape[0] != x_shape[1] or x_shape[1] % groups:
        raise ShapeError(
            _(
                "weight must have one slice per input channel, in groups; expected "
                "weight of shape ({x_shape_1}, C_out/groups, kH, kW) with {x_shape_1} "
                "divisible by groups. Received: input {x_shape}, weight {w_shape}, "
                "groups={groups}",
                x_shape_1=x_shape[1],
                x_shape=tuple(x_shape),
                w_shape=tuple(w_shape),
                groups=groups,
            )
        )


def _finish(full: np.ndarray, a: TransposedArgs) -> np.ndarray:
    """Cut the padding from each side, add the bias, drop the batch axis for unbatched input."""
    (ph, pw), (ho, wo) = a.padding, a.out
    y = full[:, :, ph : ph + ho, pw : pw + wo]  # (N, C_out, H_out, W_out)
    if a.bias is not None:
        y = y + a.bias[:, None, None]
    return y[0] if a.unbatched else y


def conv_transpose2d(
    x: object,
    weight: object,
    bias: object = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> np.ndarray:
    """Transposed 2-D convolution like ``torch.nn.functional.conv_transpose2d`` (vectorized).

    Example: a (1, 64, 7, 7) input with a (64, 32, 4, 4) weight, stride 2, padding 1 gives
    (1, 32, 14, 14), the step a decoder takes from 7×7 to 14×14.
    """
    a = prepare_transposed(x, weight, bias, stride, padding, output_padding, groups, dilation)
    n, c_in, h, w = a.x.shape
    g, (kh, kw) = a.groups, a.weight.shape[2:]
    c_g = a.weight.shape[1]  # output channels per group
    wg = a.weight.reshape(g, c_in // g, c_g * kh * kw)  # (G, C_in/G, C_g·kH·kW)
    xg = a.x.reshape(n, g, c_in // g, h * w)  # (N, G, C_in/G, H·W)
    cols = np.matmul(wg.transpose(0, 2, 1), xg)  # (N, G, C_g·kH·kW, H·W)
    cols = cols.reshape(n, g * c_g, kh, kw, h, w)  # (N, C_out, kH, kW, H, W)
    full = np.zeros((n, g * c_g, *a.full), dtype=a.x.dtype)  # (N, C_out, H_full, W_full)
    for t, (rows, cs) in enumerate(tap_slices((kh, kw), a.stride, a.dilation, (h, w))):
        full[..., rows, cs] += cols[:, :, t // kw, t % kw]  # tap (i, j) of every window at once
    return _finish(full, a)


def conv_transpose2d_loop(
    x: object,
    weight: object,
    bias: object = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> np.ndarray:
    """The same as :func:`conv_transpose2d` in plain loops: each input value X[n, c, i, j]
    adds X[n, c, i, j]·K[c] to the output window at (i·s, j·s), then padding is cut."""
    a = prepare_transposed(x, weight, bias, stride, padding, output_padding, groups, dilation)
    X, K = a.x, a.weight  # (N, C_in, H, W), (C_in, C_g, kH, kW)
    N, C_in, H, W = X.shape
    C_g, kH, kW = K.shape[1:]
    (s_h, s_w), (d_h, d_w) = a.stride, a.dilation
    Y = np.zeros((N, C_g * a.groups, *a.full), dtype=X.dtype)  # (N, C_out, H_full, W_full)
    for n in range(N):
        for c in range(C_in):
            g = c // (C_in // a.groups)  # the group this input channel writes to
            for i in range(H):
                for j in range(W):
                    top, left = i * s_h, j * s_w
                    Y[
                        n,
                        g * C_g : (g + 1) * C_g,
                        top : top + d_h * (kH - 1) + 1 : d_h,
                        left : left + d_w * (kW - 1) + 1 : d_w,
                    ] += X[n, c, i, j] * K[c]  # (C_g, kH, kW)
    return _finish(Y, a)


def conv_transpose2d_backward(
    grad_out: object,
    x: object,
    weight: object,
    bias: object = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
) -> tuple[np.ndarray, ...]:
    """Gradients of :func:`conv_transpose2d`: ``(grad_x, grad_weight, grad_bias)``.

    Each input value spread ``x·K`` over a window, so its gradient gathers that window of
    ``grad_out`` weighted by K: the gradient of a transposed convolution is a convolution.
    """
    a = prepare_transposed(x, weight, bias, stride, padding, output_padding, groups, dilation)
    n, c_in, h, w = a.x.shape
    g, (c_g, kh, kw) = a.groups, a.weight.shape[1:]
    gy = as_float_array(grad_out, "grad_out", a.x.dtype)
    gy = gy[None] if a.unbatched else gy
    if gy.shape != (n, g * c_g, *a.out):
        raise ShapeError(_("grad_out must have the output's shape; expected {value}. Received: "
                           "grad_out of shape {np_shape}",
                           value=(n, g * c_g, *a.out),
                           np_shape=tuple(np.shape(grad_out))))  # fmt: skip
    full = np.zeros((n, g * c_g, *a.full), dtype=gy.dtype)  # (N, C_out, H_full, W_full)
    (ph, pw), (ho, wo) = a.padding, a.out
    full[:, :, ph : ph + ho, pw : pw + wo] = gy
    taps = [full[..., r, c] for r, c in tap_slices((kh, kw), a.stride, a.dilation, (h, w))]
    cols = np.stack(taps, axis=2).reshape(n, g, c_g * kh * kw, h * w)  # (N, G, C_g·kH·kW, H·W)
    wg = a.weight.reshape(g, c_in // g, c_g * kh * kw)  # (G, C_in/G, C_g·kH·kW)
    xg = a.x.reshape(n, g, c_in // g, h * w)  # (N, G, C_in/G, H·W)
    grad_x = np.matmul(wg, cols).reshape(n, c_in, h, w)  # (N, C_in, H, W)
    grad_w = np.matmul(xg, cols.transpose(0, 1, 3, 2)).sum(axis=0)  # (G, C_in/G, C_g·kH·kW)
    grad_b = gy.sum(axis=(0, 2, 3))  # (C_out,)
    return (grad_x[0] if a.unbatched else grad_x), grad_w.reshape(a.weight.shape), grad_b
