"""Gradients of :func:`cnnlab.ops.conv2d` and :func:`cnnlab.ops.conv1d`.

With the windows gathered as columns (im2col, ``cols``: (N, G, K, P), K = C_in/G·kH·kW,
P = H_out·W_out), the forward pass is ``Y = W · cols + b`` per group, so

    grad_b = Σ_{n, i, j} grad_Y            (one value per output channel)
    grad_W = Σ_n grad_Y · colsᵀ            (C_out, C_in/G, kH, kW)
    grad_cols = Wᵀ · grad_Y, scattered back onto the input windows (col2im) → grad_x

Padding copies pixels (or adds zeros), so its backward adds each padded cell's gradient to
the pixel it copied (nothing for zeros).
"""

from __future__ import annotations

import numpy as np

from cnnlab.errors import ShapeError
from cnnlab.ops._args import as_float_array, tap_slices, unpad2d_grad
from cnnlab.ops.conv import ConvArgs, Padding, _as_1d_args, im2col, prepare_conv

Grads = tuple[np.ndarray, np.ndarray, np.ndarray]


def _grad_out(grad_out: object, a: ConvArgs) -> np.ndarray:
    g = as_float_array(grad_out, "grad_out", a.x.dtype)
    g = g[None] if a.unbatched else g
    expected = (a.x.shape[0], a.weight.shape[0], *a.out)
    if g.shape != expected:
        raise ShapeError(
            f"grad_out must have the convolution output's shape; expected {expected}. "
            f"Received: grad_out of shape {tuple(np.shape(grad_out))}"
        )
    return g  # (N, C_out, H_out, W_out)


def col2im(grad_cols: np.ndarray, a: ConvArgs) -> np.ndarray:
    """Add each column entry back onto the padded input cell it was copied from."""
    n, c = a.x.shape[:2]
    kh, kw = a.weight.shape[2:]
    g = grad_cols.reshape(n, c, kh, kw, *a.out)  # (N, C_in, kH, kW, H_out, W_out)
    grad = np.zeros_like(a.x)  # (N, C_in, Hp, Wp)
    for t, (rows, cols) in enumerate(tap_slices((kh, kw), a.stride, a.dilation, a.out)):
        grad[..., rows, cols] += g[:, :, t // kw, t % kw]
    return grad


def conv2d_backward(
    grad_out: object,
    x: object,
    weight: object,
    bias: object = None,
    stride: Padding = 1,
    padding: Padding = 0,
    dilation: Padding = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Grads:
    """Gradients of :func:`cnnlab.ops.conv2d`: ``(grad_x, grad_weight, grad_bias)``.

    Takes the forward call's arguments plus ``grad_out`` (the output's shape). ``grad_bias`` is
    returned even when ``bias`` is None (it is what a bias would receive).
    """
    a = prepare_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    g = _grad_out(grad_out, a)
    n, c_out, grp = g.shape[0], a.weight.shape[0], a.groups
    g = g.reshape(n, grp, c_out // grp, -1)  # (N, G, C_out/G, P)
    cols = im2col(a)  # (N, G, K, P)
    w = a.weight.reshape(grp, c_out // grp, -1)  # (G, C_out/G, K)
    grad_w = np.matmul(g, cols.transpose(0, 1, 3, 2)).sum(axis=0)  # (G, C_out/G, K)
    grad_cols = np.matmul(w.transpose(0, 2, 1), g)  # (N, G, K, P)
    grad_x = unpad2d_grad(col2im(grad_cols, a), a.size, a.pads, a.padding_mode)  # (N, C, H, W)
    grad_b = g.sum(axis=(0, 3)).reshape(c_out)  # (C_out,)
    return (grad_x[0] if a.unbatched else grad_x), grad_w.reshape(a.weight.shape), grad_b


def conv1d_backward(
    grad_out: object,
    x: object,
    weight: object,
    bias: object = None,
    stride: int = 1,
    padding: str | int = 0,
    dilation: int = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Grads:
    """Gradients of :func:`cnnlab.ops.conv1d`: ``(grad_x, grad_weight, grad_bias)``."""
    x4, w4, s, p, d = _as_1d_args(x, weight, stride, padding, dilation)  # (N, C, 1, L)
    g4 = np.asarray(grad_out)[..., None, :]  # (N, C_out, 1, L_out)
    gx, gw, gb = conv2d_backward(g4, x4, w4, bias, s, p, d, groups, padding_mode)
    return gx[..., 0, :], gw[..., 0, :], gb
