"""Convolution (cross-correlation, as in deep learning) in NumPy, with PyTorch's layout.

``conv2d`` behaves like ``torch.nn.functional.conv2d``: input ``(N, C_in, H, W)``, weight
``(C_out, C_in / groups, kH, kW)``, output ``(N, C_out, H_out, W_out)`` with

    H_out = ⌊(H + 2p − d·(kH − 1) − 1) / s⌋ + 1

and each output value the dot product of a kernel with the input window under it, plus a bias.
``conv2d_loop`` is the same thing in plain loops, for reading; ``conv2d`` gathers every window
once (im2col) and does one matrix product per group, for speed (groups = 1 uses the cache-aware
layouts of :mod:`cnnlab.ops._conv_fast`). A test checks they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnlab.errors import ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import (
    Pads,
    Pair,
    as_float_array,
    as_int,
    as_pair,
    check_kernel_fits,
    check_ndim,
    check_pad_mode,
    float_dtype,
    pad2d,
    positions,
    resolve_padding,
)
from cnnlab.ops._conv_fast import conv2d_fast
from cnnlab.ops._conv_fast import windows as window_view

Padding = str | int | tuple[int, int]


@dataclass(frozen=True)
class ConvArgs:
    """A convolution's checked arguments; ``x`` is batched and already padded."""

    x: np.ndarray  # (N, C_in, H + pads, W + pads)
    weight: np.ndarray  # (C_out, C_in / groups, kH, kW)
    bias: np.ndarray | None  # (C_out,)
    stride: Pair
    dilation: Pair
    groups: int
    pads: Pads
    padding_mode: str
    size: Pair  # input (H, W) before padding
    out: Pair  # (H_out, W_out)
    unbatched: bool


def prepare_conv(
    x: object,
    weight: object,
    bias: object,
    stride: Padding,
    padding: Padding,
    dilation: Padding,
    groups: int,
    padding_mode: str,
) -> ConvArgs:
    """Check and normalize conv2d arguments (shared by the fast, loop and backward versions)."""
    x_arr, w_arr = np.asarray(x), np.asarray(weight)
    check_ndim(x_arr, "input", {4: "(N, C, H, W)", 3: "(C, H, W)"})
    check_ndim(w_arr, "weight", {4: "(C_out, C_in/groups, kH, kW)"})
    dtype = float_dtype(
        x_arr.dtype, w_arr.dtype, *([np.asarray(bias).dtype] if bias is not None else [])
    )
    unbatched = x_arr.ndim == 3
    x_arr = as_float_array(x_arr[None] if unbatched else x_arr, "input", dtype)  # (N, C, H, W)
    w_arr = as_float_array(w_arr, "weight", dtype)
    stride_, dilation_ = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    groups = as_int(groups, "groups", minimum=1)
    _check_channels(x_arr.shape, w_arr.shape, groups)
    b_arr = None if bias is None else _check_bias(as_float_array(bias, "bias", dtype), w_arr)
    kernel = (w_arr.shape[2], w_arr.shape[3])
    pads = resolve_padding(padding, kernel, stride_, dilation_)
    size = (x_arr.shape[2], x_arr.shape[3])
    check_pad_mode(pads, size, padding_mode)
    xp = pad2d(x_arr, pads, padding_mode)  # (N, C, Hp, Wp)
    check_kernel_fits(xp.shape[2:], kernel, dilation_, size)
    out = tuple(positions(p, k, s, d) for p, k, s, d in
                zip(xp.shape[2:], kernel, stride_, dilation_, strict=True))  # fmt: skip
    return ConvArgs(
        xp, w_arr, b_arr, stride_, dilation_, groups, pads, padding_mode, size, out, unbatched
    )  # type: ignore[arg-type]


def _check_channels(x_shape: tuple, w_shape: tuple, groups: int) -> None:
    c_in, c_out = x_shape[1], w_shape[0]
    if c_in % groups or c_out % groups:
        raise ShapeError(
            _(
                "channels must be divisible by groups; expected C_in={c_in} and "
                "C_out={c_out} to be multiples of groups. Received: groups={groups}",
                c_in=c_in,
                c_out=c_out,
                groups=groups,
            )
        )
    if w_shape[1] * groups != c_in:
        raise ShapeError(
            _(
                "weight expects {value} input channels but the input has {c_in}; "
                "expected weight of shape ({c_out}, {value2}, kH, kW). Received: input "
                "{x_shape}, weight {w_shape}, groups={groups}",
                value=w_shape[1] * groups,
                c_in=c_in,
                c_out=c_out,
                value2=c_in // groups,
                x_shape=tuple(x_shape),
                w_shape=tuple(w_shape),
                groups=groups,
            )
        )


def _check_bias(b: np.ndarray, w: np.ndarray) -> np.ndarray:
    if b.shape != (w.shape[0],):
        raise ShapeError(
            _(
                "bias must hold one value per output channel; expected shape "
                "({shape_0},). Received: bias of shape {shape}",
                shape_0=w.shape[0],
                shape=tuple(b.shape),
            )
        )
    return b


def windows(a: ConvArgs) -> np.ndarray:
    """View of every input window: ``(N, C_in, H_out, W_out, kH, kW)``, no copy."""
    return window_view(a.x, a.weight.shape[2:], a.stride, a.dilation)


def im2col(a: ConvArgs) -> np.ndarray:
    """Copy the windows into columns: ``(N, groups, C_in/groups·kH·kW, H_out·W_out)``."""
    n, c = a.x.shape[:2]
    (ho, wo), (kh, kw), g = a.out, a.weight.shape[2:], a.groups
    win = windows(a).reshape(n, g, c // g, ho, wo, kh, kw)  # (N, G, Cg, Ho, Wo, kH, kW)
    cols = win.transpose(0, 1, 2, 5, 6, 3, 4)  # (N, G, Cg, kH, kW, Ho, Wo)
    return cols.reshape(n, g, (c // g) * kh * kw, ho * wo)  # (N, G, K, P)


def finish(y: np.ndarray, a: ConvArgs) -> np.ndarray:
    """Add the bias and drop the batch axis for unbatched input."""
    if a.bias is not None:
        y += a.bias[:, None, None]  # (N, C_out, H_out, W_out)
    return y[0] if a.unbatched else y


def conv2d(
    x: object,
    weight: object,
    bias: object = None,
    stride: Padding = 1,
    padding: Padding = 0,
    dilation: Padding = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """2-D cross-correlation like ``torch.nn.functional.conv2d`` (vectorized: im2col + matmul).

    ``padding`` is an int, a pair, ``"valid"``, ``"same"`` (stride 1) or ``"full"``;
    ``padding_mode`` is ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"`` (as in
    ``nn.Conv2d``). Example: a (1, 1, 20, 19) image with a 3×3 kernel gives (1, 1, 18, 17).
    """
    a = prepare_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    if a.groups == 1:
        y = conv2d_fast(a.x, a.weight, a.bias, a.stride, a.dilation)  # (N, C_out, H_out, W_out)
        return y[0] if a.unbatched else y
    c_out, g = a.weight.shape[0], a.groups
    w = a.weight.reshape(g, c_out // g, -1)  # (G, C_out/G, K)
    y = np.matmul(w, im2col(a))  # (N, G, C_out/G, P)
    return finish(y.reshape(a.x.shape[0], c_out, *a.out), a)  # (N, C_out, H_out, W_out)


def conv2d_loop(
    x: object,
    weight: object,
    bias: object = None,
    stride: Padding = 1,
    padding: Padding = 0,
    dilation: Padding = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """The same as :func:`conv2d` in plain loops: Y[n, o, i, j] = b[o] + Σ X_window · K[o]."""
    a = prepare_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    X, K = a.x, a.weight  # (N, C_in, Hp, Wp), (C_out, C_g, kH, kW)
    N, C_out, (H_out, W_out) = X.shape[0], K.shape[0], a.out
    C_g, kH, kW = K.shape[1:]
    (s_h, s_w), (d_h, d_w) = a.stride, a.dilation
    Y = np.zeros((N, C_out, H_out, W_out), dtype=X.dtype)
    for n in range(N):
        for o in range(C_out):
            g = o // (C_out // a.groups)  # the group this output channel reads from
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * s_h, j * s_w
                    window = X[
                        n,
                        g * C_g : (g + 1) * C_g,
                        top : top + d_h * (kH - 1) + 1 : d_h,
                        left : left + d_w * (kW - 1) + 1 : d_w,
                    ]  # (C_g, kH, kW)
                    Y[n, o, i, j] = np.sum(window * K[o])
    return finish(Y, a)


def _as_2d_args(image: object, kernel: object) -> tuple[np.ndarray, np.ndarray]:
    img, ker = np.asarray(image), np.asarray(kernel)
    check_ndim(img, "image", {2: "(H, W)"})
    check_ndim(ker, "kernel", {2: "(kH, kW)"})
    return as_float_array(img, "image"), as_float_array(ker, "kernel")


def correlate2d(
    image: object, kernel: object, stride: Padding = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Cross-correlate one 2-D image with one 2-D kernel (what CNNs call convolution).

    Example (the deck): a 20×19 image and the kernel [[1,0,-1],[1,0,1],[1,1,1]] give an
    18×17 map whose first value is 750.
    """
    img, ker = _as_2d_args(image, kernel)
    return conv2d(img[None, None], ker[None, None], stride=stride, padding=padding)[0, 0]


def convolve2d(
    image: object, kernel: object, stride: Padding = 1, padding: Padding = "valid"
) -> np.ndarray:
    """True 2-D convolution: the kernel flipped in both axes, then cross-correlated.

    ``padding="same"`` follows ``scipy.signal.convolve2d``: for an even kernel the extra row and
    column of padding go on the top/left (the mirror of ``correlate2d``), so flipping both the
    image and the result turns it into a "same" correlation with the unflipped kernel.
    """
    img, ker = _as_2d_args(image, kernel)
    if isinstance(padding, str) and padding == "same":
        return correlate2d(img[::-1, ::-1], ker, stride=stride, padding="same")[::-1, ::-1].copy()
    return correlate2d(img, ker[::-1, ::-1], stride=stride, padding=padding)


def _as_1d_args(
    x: object, weight: object, stride: object, padding: object, dilation: object
) -> tuple[np.ndarray, np.ndarray, tuple, object, tuple]:
    x_arr, w_arr = np.asarray(x), np.asarray(weight)
    check_ndim(x_arr, "input", {3: "(N, C, L)", 2: "(C, L)"})
    check_ndim(w_arr, "weight", {3: "(C_out, C_in/groups, k)"})
    pad = padding if isinstance(padding, str) else (0, as_int(padding, "padding", minimum=0))
    return (
        x_arr[..., None, :],
        w_arr[..., None, :],
        (1, as_int(stride, "stride", 1)),
        pad,
        (1, as_int(dilation, "dilation", 1)),
    )


def conv1d(
    x: object,
    weight: object,
    bias: object = None,
    stride: int = 1,
    padding: str | int = 0,
    dilation: int = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """1-D cross-correlation like ``torch.nn.functional.conv1d``: (N, C_in, L) → (N, C_out, L_out).

    Computed as :func:`conv2d` on a height-1 image; L_out = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1.
    """
    x4, w4, s, p, d = _as_1d_args(x, weight, stride, padding, dilation)  # (N, C, 1, L)
    y = conv2d(x4, w4, bias, s, p, d, groups, padding_mode)  # (N, C_out, 1, L_out)
    return y[..., 0, :]  # (N, C_out, L_out)
