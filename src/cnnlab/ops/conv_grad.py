"""Gradients of :func:`cnnlab.ops.conv2d` and :func:`cnnlab.ops.conv1d`.

With the windows gathered as columns (im2col, ``cols``: (N, G, K, P), K = C_in/G·kH·kW,
P = H_out·W_out), the forward pass is ``Y = W · cols + b`` per group, so

    grad_b = Σ_{n, i, j} grad_Y            (one value per output channel)
    grad_W = Σ_n grad_Y · colsᵀ            (C_out, C_in/G, kH, kW)
    grad_cols = Wᵀ · grad_Y, scattered back onto the input windows (col2im) → grad_x

Padding copies pixels (or adds zeros), so its backward adds each padded cell's gradient to
the pixel it copied (nothing for zeros).

With groups = 1 the same products run with the batch as the innermost axis (the layout of the
forward pass's small-image kernel): columns ``(K, H_out·W_out·N)`` are copied from the input in
long contiguous runs, ``grad_W`` is one matrix product over the whole batch, and col2im adds
whole rows of ``W_out·N`` values at a time.
"""

from __future__ import annotations

import numpy as np

from cnnlab.errors import ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import as_float_array, tap_slices, unpad2d_grad
from cnnlab.ops._conv_fast import windows as window_view
from cnnlab.ops.conv import ConvArgs, Padding, _as_1d_args, im2col, prepare_conv

Grads = tuple[np.ndarray | None, np.ndarray, np.ndarray]  # grad_x None if not asked for


def _grad_out(grad_out: object, a: ConvArgs) -> np.ndarray:
    g = as_float_array(grad_out, "grad_out", a.x.dtype)
    g = g[None] if a.unbatched else g
    expected = (a.x.shape[0], a.weight.shape[0], *a.out)
    if g.shape != expected:
        raise ShapeError(
            _(
                "grad_out must have the convolution output's shape; expected {expected}. "
                "Received: grad_out of shape {np_shape}",
                expected=expected,
                np_shape=tuple(np.shape(grad_out)),
            )
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
    *,
    input_grad: bool = True,
) -> Grads:
    """Gradients of :func:`cnnlab.ops.conv2d`: ``(grad_x, grad_weight, grad_bias)``.

    Takes the forward call's arguments plus ``grad_out`` (the output's shape). ``grad_bias`` is
    returned even when ``bias`` is None (it is what a bias would receive). With
    ``input_grad=False`` ``grad_x`` is not computed and comes back as None (a network's first
    layer needs no gradient for its input).
    """
    a = prepare_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    g = _grad_out(grad_out, a)
    if a.groups == 1:
        grad_x, grad_w = _batch_last(g, a, input_grad)
        grad_x = None if grad_x is None else unpad2d_grad(grad_x, a.size, a.pads, a.padding_mode)
        grad_b = g.sum(axis=(0, 2, 3))  # (C_out,)
        return (grad_x[0] if a.unbatched and grad_x is not None else grad_x), grad_w, grad_b
    n, c_out, grp = g.shape[0], a.weight.shape[0], a.groups
    g = g.reshape(n, grp, c_out // grp, -1)  # (N, G, C_out/G, P)
    cols = im2col(a)  # (N, G, K, P)
    w = a.weight.reshape(grp, c_out // grp, -1)  # (G, C_out/G, K)
    grad_w = np.matmul(g, cols.transpose(0, 1, 3, 2)).sum(axis=0)  # (G, C_out/G, K)
    grad_cols = np.matmul(w.transpose(0, 2, 1), g)  # (N, G, K, P)
    grad_x = unpad2d_grad(col2im(grad_cols, a), a.size, a.pads, a.padding_mode)  # (N, C, H, W)
    grad_b = g.sum(axis=(0, 3)).reshape(c_out)  # (C_out,)
    return (grad_x[0] if a.unbatched else grad_x), grad_w.reshape(a.weight.shape), grad_b


def _batch_last(g: np.ndarray, a: ConvArgs, input_grad: bool) -> tuple:
    """groups = 1, batch innermost: ``(grad_x padded (N, C, Hp, Wp) or None, grad_W)``."""
    c_out, c, kh, kw = a.weight.shape
    n, (ho, wo), k = g.shape[0], a.out, c * kh * kw
    xt = np.ascontiguousarray(a.x.transpose(1, 2, 3, 0))  # (C, Hp, Wp, N)
    taps = window_view(xt, (kh, kw), a.stride, a.dilation, axes=(1, 2))  # (C, Ho, Wo, N, kH, kW)
    cols = np.empty((c, kh, kw, ho, wo, n), dtype=xt.dtype)  # (C, kH, kW, Ho, Wo, N)
    np.copyto(cols, taps.transpose(0, 4, 5, 1, 2, 3))
    gt = np.ascontiguousarray(g.transpose(1, 2, 3, 0)).reshape(c_out, -1)  # (C_out, Ho·Wo·N)
    grad_w = (gt @ cols.reshape(k, -1).T).reshape(a.weight.shape)  # (C_out, C, kH, kW)
    if not input_grad:
        return None, grad_w
    grad_cols = (a.weight.reshape(c_out, k).T @ gt).reshape(c, kh * kw, ho, wo, n)
    grad_xt = np.zeros_like(xt)  # (C, Hp, Wp, N)
    for t, (rows, cols_) in enumerate(tap_slices((kh, kw), a.stride, a.dilation, a.out)):
        grad_xt[:, rows, cols_] += grad_cols[:, t]
    return grad_xt.transpose(3, 0, 1, 2), grad_w  # (N, C, Hp, Wp)


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
    *,
    input_grad: bool = True,
) -> Grads:
    """Gradients of :func:`cnnlab.ops.conv1d`: ``(grad_x, grad_weight, grad_bias)``."""
    x4, w4, s, p, d = _as_1d_args(x, weight, stride, padding, dilation)  # (N, C, 1, L)
    g4 = np.asarray(grad_out)[..., None, :]  # (N, C_out, 1, L_out)
    gx, gw, gb = conv2d_backward(
        g4, x4, w4, bias, s, p, d, groups, padding_mode, input_grad=input_grad
    )
    return (None if gx is None else gx[..., 0, :]), gw[..., 0, :], gb
