"""Fast kernels behind :func:`cnnlab.ops.conv2d` (groups = 1): three ways to lay out one GEMM.

Each way copies the input windows once into a contiguous column buffer and does float matrix
products whose result is already (nearly) the NCHW output; the bias rides along as an extra
row of ones in the columns, so no separate pass adds it. Which way is cheapest depends on the
shape (K = C_in·kH·kW values per window, P = H_out·W_out positions per image):

- ``per_image``: K ≤ C_out (few input channels, e.g. 1→32 3×3). Columns ``(N, K+1, P)``,
  one product per image straight into ``(N, C_out, P)``. Copying K rows is cheaper than
  copying a C_out-row output.
- ``batch_last``: small images (P ≤ 256, e.g. 6→16 5×5 on 14×14). The batch becomes the
  innermost axis, so each window tap is one long contiguous run ``(W_out·N)`` to copy, and one
  product ``(C_out, K+1) @ (K+1, P·N)`` covers the whole batch; the output is transposed back.
- ``flat_rows``: stride 1, larger images (e.g. 32→64 3×3 on 26×26). With each image's rows
  laid end to end, tap (i, j) is the image shifted by ``i·d·W_p + j·d``: the columns are K
  contiguous slices of length ``(H_out−1)·W_p + W_out``. The product yields rows of width W_p
  (the last W_p − W_out columns wrap around and are dropped when copying out).

The batch is processed in chunks so the column buffer stays in cache.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from cnnlab.ops._args import positions

Pair = tuple[int, int]

CHUNK_BYTES = 4 << 20  # column buffer per batch chunk (fits the L2/L3 caches of common CPUs)
SMALL_IMAGE = 256  # P at or below which one product over the whole batch beats one per image


def conv2d_fast(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, stride: Pair, dilation: Pair
) -> np.ndarray:
    """Cross-correlate padded ``x (N, C, Hp, Wp)`` with ``weight (C_out, C, kH, kW)``, groups 1.

    Returns the contiguous ``(N, C_out, H_out, W_out)`` output, bias included. ``x`` may have any
    memory layout: the byte strides below assume C order, so it is made C-contiguous first (no
    copy when it already is).
    """
    x = np.ascontiguousarray(x)
    c_out, c_in, kh, kw = weight.shape
    k = c_in * kh * kw
    w_b = np.empty((c_out, k + 1), dtype=x.dtype)  # (C_out, K+1): weights, then the bias
    w_b[:, :k] = weight.reshape(c_out, k)
    w_b[:, k] = 0 if bias is None else bias
    win = windows(x, (kh, kw), stride, dilation)  # (N, C, H_out, W_out, kH, kW)
    if k <= c_out:
        return _per_image(win, w_b)
    if win.shape[2] * win.shape[3] <= SMALL_IMAGE:
        return _batch_last(x, w_b, win.shape[2:], stride, dilation)
    if stride == (1, 1):
        return _flat_rows(x, w_b, (kh, kw), dilation)
    return _per_image(win, w_b)


def windows(
    x: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, axes: Pair = (2, 3)
) -> np.ndarray:
    """View of every window of ``x`` over ``axes`` (rows, columns), window axes last; no copy.

    For ``x (N, C, Hp, Wp)``: ``(N, C, H_out, W_out, kH, kW)``.
    """
    shape, strides = list(x.shape), list(x.strides)
    for axis, k, s, d in zip(axes, kernel, stride, dilation, strict=True):
        shape[axis] = positions(x.shape[axis], k, s, d)
        strides[axis] = s * x.strides[axis]
    shape += kernel
    strides += [d * x.strides[a] for a, d in zip(axes, dilation, strict=True)]
    return as_strided(x, tuple(shape), tuple(strides), writeable=False)


def _chunk(n: int, bytes_per_image: int) -> int:
    return max(1, min(n, CHUNK_BYTES // max(1, bytes_per_image)))


def _per_image(win: np.ndarray, w_b: np.ndarray) -> np.ndarray:
    """Columns ``(Nc, K+1, P)`` per chunk; ``w_b @ cols`` writes ``(Nc, C_out, P)`` in place."""
    n, c, ho, wo, kh, kw = win.shape
    k, p = c * kh * kw, ho * wo
    out = np.empty((n, w_b.shape[0], p), dtype=w_b.dtype)  # (N, C_out, P)
    step = _chunk(n, (k + 1) * p * w_b.itemsize)
    cols = np.empty((step, k + 1, p), dtype=w_b.dtype)  # (Nc, K+1, P)
    cols[:, k] = 1
    taps = win.transpose(0, 1, 4, 5, 2, 3)  # (N, C, kH, kW, H_out, W_out)
    for n0 in range(0, n, step):
        m = min(step, n - n0)
        np.copyto(cols[:m, :k].reshape(m, c, kh, kw, ho, wo), taps[n0 : n0 + m])
        np.matmul(w_b, cols[:m], out=out[n0 : n0 + m])
    return out.reshape(n, -1, ho, wo)  # (N, C_out, H_out, W_out)


def _batch_last(
    x: np.ndarray, w_b: np.ndarray, sizes: tuple[int, ...], stride: Pair, dilation: Pair
) -> np.ndarray:
    """Batch innermost: columns ``(K+1, H_out, W_out, Nc)``, one product per chunk.

    ``sizes`` is ``(H_out, W_out, kH, kW)``.
    """
    n, c = x.shape[:2]
    (ho, wo, kh, kw), c_out, k = sizes, w_b.shape[0], w_b.shape[1] - 1
    out = np.empty((n, c_out, ho, wo), dtype=x.dtype)  # (N, C_out, H_out, W_out)
    step = _chunk(n, (k + 1) * ho * wo * x.itemsize)
    for n0 in range(0, n, step):
        m = min(step, n - n0)
        xt = np.ascontiguousarray(x[n0 : n0 + m].transpose(1, 2, 3, 0))  # (C, Hp, Wp, Nc)
        taps = windows(xt, (kh, kw), stride, dilation, axes=(1, 2))  # (C, H_out, W_out, Nc, kH, kW)
        cols = np.empty((k + 1, ho, wo, m), dtype=x.dtype)  # (K+1, H_out, W_out, Nc)
        cols[k] = 1
        np.copyto(cols[:k].reshape(c, kh, kw, ho, wo, m), taps.transpose(0, 4, 5, 1, 2, 3))
        y = np.matmul(w_b, cols.reshape(k + 1, -1))  # (C_out, H_out·W_out·Nc)
        out[n0 : n0 + m] = y.reshape(c_out, ho, wo, m).transpose(3, 0, 1, 2)
    return out


def _flat_rows(x: np.ndarray, w_b: np.ndarray, kernel: Pair, dilation: Pair) -> np.ndarray:
    """Stride 1: each tap is one contiguous slice of the flattened image (see module doc)."""
    n, c, hp, wp = x.shape
    (kh, kw), (dh, dw), c_out, k = kernel, dilation, w_b.shape[0], w_b.shape[1] - 1
    ho, wo = hp - dh * (kh - 1), wp - dw * (kw - 1)
    length, p = (ho - 1) * wp + wo, ho * wp  # slice length; product width (rows of W_p)
    out = np.empty((n, c_out, ho, wo), dtype=x.dtype)  # (N, C_out, H_out, W_out)
    step = _chunk(n, (k + 1) * p * x.itemsize)
    cols = np.empty((step, k + 1, p), dtype=x.dtype)  # (Nc, K+1, H_out·W_p)
    cols[:, :k, length:] = 0  # never read into kept outputs; zeros keep the product finite
    cols[:, k] = 1
    y = np.empty((step, c_out, ho, wp), dtype=x.dtype)  # (Nc, C_out, H_out, W_p)
    e = x.itemsize
    strides = (c * hp * wp * e, hp * wp * e, dh * wp * e, dw * e, e)
    for n0 in range(0, n, step):
        m = min(step, n - n0)
        src = as_strided(x[n0:], (m, c, kh, kw, length), strides, writeable=False)
        np.copyto(cols[:m, :k, :length].reshape(m, c, kh, kw, length), src)
        np.matmul(w_b, cols[:m], out=y[:m].reshape(m, c_out, p))
        np.copyto(out[n0 : n0 + m], y[:m, :, :, :wo])
    return out
