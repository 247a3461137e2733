"""Max and average pooling in NumPy, like ``torch.nn.functional.max_pool2d``/``avg_pool2d``.

A k×k window slides with stride s (default k) over each channel; max-pooling keeps the largest
value, average pooling the mean (padding zeros counted, ``count_include_pad=True``). Sizes:

    H_out = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1      e.g. 24 rows, 2×2, stride 2 → 12

Both are computed tap by tap: for each of the k·k positions inside the window, one strided view
of the whole input, combined elementwise. No window is copied, so this is fast for small k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import (
    Pads,
    Pair,
    as_float_array,
    as_pair,
    check_kernel_fits,
    check_ndim,
    positions,
    tap_slices,
    unpad2d_grad,
)

Size = int | tuple[int, int]


@dataclass(frozen=True)
class PoolArgs:
    """A pooling's checked arguments; ``x`` is batched and already padded."""

    x: np.ndarray  # (N, C, H + pads, W + pads)
    kernel: Pair
    stride: Pair
    dilation: Pair
    pads: Pads
    size: Pair  # input (H, W) before padding
    out: Pair  # (H_out, W_out)
    unbatched: bool


def check_pool_padding(padding: Pair, kernel: Pair) -> None:
    """PyTorch's rule: padding at most half the kernel size, so no window is all padding."""
    if any(p > k // 2 for p, k in zip(padding, kernel, strict=True)):
        raise InvalidArgumentError(
            _(
                "pooling padding must be at most half the kernel size; expected padding "
                "<= {value}×{value2} for a {kernel_0}×{kernel_1} window. Received: "
                "padding={padding}",
                value=kernel[0] // 2,
                value2=kernel[1] // 2,
                kernel_0=kernel[0],
                kernel_1=kernel[1],
                padding=padding,
            )
        )


def prepare_pool(
    x: object, kernel_size: Size, stride: Size | None, padding: Size, dilation: Size, fill: float
) -> PoolArgs:
    """Check and normalize pooling arguments; pad with ``fill`` (−inf for max, 0 for avg)."""
    arr = np.asarray(x)
    check_ndim(arr, "input", {4: "(N, C, H, W)", 3: "(C, H, W)"})
    unbatched = arr.ndim == 3
    arr = as_float_array(arr[None] if unbatched else arr, "input")  # (N, C, H, W)
    kernel = as_pair(kernel_size, "kernel_size", 1)
    stride_ = kernel if stride is None else as_pair(stride, "stride", 1)
    dilation_ = as_pair(dilation, "dilation", 1)
    pad = as_pair(padding, "padding", 0)
    check_pool_padding(pad, kernel)
    pads = ((pad[0], pad[0]), (pad[1], pad[1]))
    xp = np.pad(arr, [(0, 0), (0, 0), *pads], constant_values=fill) if any(pad) else arr
    size = (arr.shape[2], arr.shape[3])
    check_kernel_fits(xp.shape[2:], kernel, dilation_, size)
    out = tuple(positions(p, k, s, d) for p, k, s, d in
                zip(xp.shape[2:], kernel, stride_, dilation_, strict=True))  # fmt: skip
    return PoolArgs(xp, kernel, stride_, dilation_, pads, size, out, unbatched)  # type: ignore[arg-type]


def _unbatch(y: np.ndarray, a: PoolArgs) -> np.ndarray:
    return y[0] if a.unbatched else y


def max_pool2d(
    x: object, kernel_size: Size, stride: Size | None = None, padding: Size = 0, dilation: Size = 1
) -> np.ndarray:
    """Max-pooling like ``F.max_pool2d`` (ceil_mode=False): (N, C, H, W) → (N, C, H_out, W_out).

    Example: [[1, 3], [2, 0]] with a 2×2 window → [[3]].
    """
    a = prepare_pool(x, kernel_size, stride, padding, dilation, -np.inf)
    taps = tap_slices(a.kernel, a.stride, a.dilation, a.out)
    rows, cols = next(taps)
    y = a.x[..., rows, cols].copy()  # (N, C, H_out, W_out)
    for rows, cols in taps:
        np.maximum(y, a.x[..., rows, cols], out=y)
    return _unbatch(y, a)


def avg_pool2d(
    x: object, kernel_size: Size, stride: Size | None = None, padding: Size = 0
) -> np.ndarray:
    """Average pooling like ``F.avg_pool2d`` (count_include_pad=True): the mean of each window.

    Example: [[1, 3], [2, 0]] with a 2×2 window → [[1.5]].
    """
    a = prepare_pool(x, kernel_size, stride, padding, 1, 0.0)
    y = np.zeros((*a.x.shape[:2], *a.out), dtype=a.x.dtype)  # (N, C, H_out, W_out)
    for rows, cols in tap_slices(a.kernel, a.stride, a.dilation, a.out):
        y += a.x[..., rows, cols]
    y /= a.kernel[0] * a.kernel[1]
    return _unbatch(y, a)


def global_avg_pool2d(x: object) -> np.ndarray:
    """Each channel map's mean, like ``F.adaptive_avg_pool2d(x, 1)``: (N, C, H, W) → (N, C, 1, 1).

    Example: [[1, 3], [2, 0]] → [[1.5]].
    """
    arr = np.asarray(x)
    check_ndim(arr, "input", {4: "(N, C, H, W)", 3: "(C, H, W)"})
    return as_float_array(arr, "input").mean(axis=(-2, -1), keepdims=True)  # (N, C, 1, 1)


def _check_grad(grad_out: object, a: PoolArgs) -> np.ndarray:
    g = as_float_array(grad_out, "grad_out", a.x.dtype)
    g = g[None] if a.unbatched else g
    expected = (*a.x.shape[:2], *a.out)
    if g.shape != expected:
        raise ShapeError(
            _(
                "grad_out must have the pooling output's shape; expected {expected}. "
                "Received: grad_out of shape {np_shape}",
                expected=expected,
                np_shape=tuple(np.shape(grad_out)),
            )
        )
    return g  # (N, C, H_out, W_out)


def max_pool2d_backward(
    grad_out: object,
    x: object,
    kernel_size: Size,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
) -> np.ndarray:
    """Gradient of :func:`max_pool2d` w.r.t. its input: each window's gradient goes to its max.

    Ties go to the first maximum in row-major order inside the window, as in PyTorch.
    """
    a = prepare_pool(x, kernel_size, stride, padding, dilation, -np.inf)
    g = _check_grad(grad_out, a)
    slices = list(tap_slices(a.kernel, a.stride, a.dilation, a.out))
    best = a.x[(..., *slices[0])].copy()  # (N, C, H_out, W_out): each window's maximum
    for rows, cols in slices[1:]:
        np.maximum(best, a.x[..., rows, cols], out=best)
    grad = np.zeros_like(a.x)  # (N, C, Hp, Wp)
    free = np.ones(best.shape, dtype=bool)  # windows whose maximum has no tap yet
    hit = np.empty(best.shape, dtype=bool)
    for rows, cols in slices:  # row-major order inside the window: the first maximum wins
        np.equal(a.x[..., rows, cols], best, out=hit)
        hit &= free
        free ^= hit
        grad[..., rows, cols] += g * hit
    return _unbatch(unpad2d_grad(grad, a.size, a.pads, "zeros"), a)


def avg_pool2d_backward(
    grad_out: object, x: object, kernel_size: Size, stride: Size | None = None, padding: Size = 0
) -> np.ndarray:
    """Gradient of :func:`avg_pool2d`: each window's gradient, divided by k·k, to every tap."""
    a = prepare_pool(x, kernel_size, stride, padding, 1, 0.0)
    g = _check_grad(grad_out, a) / (a.kernel[0] * a.kernel[1])
    grad = np.zeros_like(a.x)  # (N, C, Hp, Wp)
    for rows, cols in tap_slices(a.kernel, a.stride, a.dilation, a.out):
        grad[..., rows, cols] += g
    return _unbatch(unpad2d_grad(grad, a.size, a.pads, "zeros"), a)


def global_avg_pool2d_backward(grad_out: object, x: object) -> np.ndarray:
    """Gradient of :func:`global_avg_pool2d`: each channel's gradient spread evenly, / (H·W)."""
    arr = np.asarray(x)
    check_ndim(arr, "input", {4: "(N, C, H, W)", 3: "(C, H, W)"})
    arr = as_float_array(arr, "input")
    g = as_float_array(grad_out, "grad_out", arr.dtype)
    if g.shape != (*arr.shape[:-2], 1, 1):
        raise ShapeError(
            _(
                "grad_out must have the pooling output's shape; expected {value}. "
                "Received: grad_out of shape {shape}",
                value=(*arr.shape[:-2], 1, 1),
                shape=g.shape,
            )
        )
    h, w = arr.shape[-2:]
    return np.broadcast_to(g / (h * w), arr.shape).copy()  # (N, C, H, W)
