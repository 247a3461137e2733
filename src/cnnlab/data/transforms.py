"""Transforms on batches, in NumPy: normalization, shifts, pixel permutation, resizing.

Every function takes a batch ``x`` of images (N, C, H, W) or sequences (N, C, L) and returns a
new array of the same dtype (``normalize`` turns integer pixels into float32); nothing is changed
in place. Random ones take a
``numpy.random.Generator`` (or a seed), so the same seed gives the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _


def _check_batch(x: np.ndarray, name: str = "x") -> None:
    if x.ndim not in (3, 4):
        raise ShapeError(
            _(
                "{name} must be a batch (N, C, H, W) of images or (N, C, L) of "
                "sequences. Received: shape {shape}",
                name=name,
                shape=x.shape,
            )
        )


def normalize(x: np.ndarray, mean: Sequence[float], std: Sequence[float]) -> np.ndarray:
    """Per-channel ``(x - mean[c]) / std[c]``; float input keeps its dtype, integers give float32.

    >>> normalize(np.ones((1, 1, 2, 2), np.float32), [0.5], [0.25])[0, 0, 0, 0]
    2.0
    """
    _check_batch(x)
    mean_a, std_a = np.asarray(mean, np.float64), np.asarray(std, np.float64)
    if mean_a.shape != (x.shape[1],) or std_a.shape != (x.shape[1],):
        raise ShapeError(
            _(
                "mean and std need one value per channel ({shape_1}). Received: "
                "mean={mean}, std={std}",
                shape_1=x.shape[1],
                mean=list(mean),
                std=list(std),
            )
        )
    if np.any(std_a <= 0):
        raise InvalidArgumentError(_("std must be positive. Received: std={std}", std=list(std)))
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)  # uint8 pixels -> float32
    shape = (1, -1) + (1,) * (x.ndim - 2)
    out = (x - mean_a.reshape(shape).astype(dtype)) / std_a.reshape(shape).astype(dtype)
    return out.astype(dtype, copy=False)


def _shift_one(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Shift a batch's last axes by (dy, dx) (just dx for sequences), filling with zeros."""
    out = np.zeros_like(x)
    shifts = (dy, dx) if x.ndim == 4 else (dx,)
    src, dst = [], []
    for size, s in zip(x.shape[2:], shifts, strict=True):
        if abs(s) >= size:
            return out
        src.append(slice(max(-s, 0), size - max(s, 0)))
        dst.append(slice(max(s, 0), size - max(-s, 0)))
    out[(..., *dst)] = x[(..., *src)]
    return out


def translate(x: np.ndarray, dx: int, dy: int = 0) -> np.ndarray:
    """Move every image ``dx`` pixels right and ``dy`` down (sequences: ``dx`` along L), zero fill.

    >>> translate(np.arange(4.0).reshape(1, 1, 4), 1)[0, 0].tolist()
    [0.0, 0.0, 1.0, 2.0]
    """
    _check_batch(x)
    return _shift_one(x, int(dy), int(dx))


def random_shift(x: np.ndarray, max_shift: int, rng: np.random.Generator | int) -> np.ndarray:
    """Translate each image by its own random (dy, dx), each in ``[-max_shift, max_shift]``.

    The augmentation that teaches a classifier that a digit moved is still the same digit.
    """
    _check_batch(x)
    if max_shift < 0:
        raise InvalidArgumentError(
            _("max_shift must be >= 0. Received: max_shift={max_shift}", max_shift=max_shift)
        )
    rng = np.random.default_rng(rng)
    n = len(x)
    dx = rng.integers(-max_shift, max_shift + 1, size=n)
    dy = rng.integers(-max_shift, max_shift + 1, size=n) if x.ndim == 4 else np.zeros(n, int)
    out = np.empty_like(x)
    for sy, sx in set(zip(dy.tolist(), dx.tolist(), strict=True)):  # one copy per distinct shift
        rows = np.flatnonzero((dy == sy) & (dx == sx))
        out[rows] = _shift_one(x[rows], sy, sx)
    return out


def permute_pixels(x: np.ndarray, seed: int) -> np.ndarray:
    """Reorder the pixels (positions) of every image with one fixed permutation drawn from ``seed``.

    All images and channels get the same permutation, so the information is all still there but
    neighbouring pixels are no longer neighbours: an MLP does not care, a CNN does.
    """
    _check_batch(x)
    spatial = x.shape[2:]
    order = np.random.default_rng(seed).permutation(int(np.prod(spatial)))
    flat = x.reshape(*x.shape[:2], order.size)  # (N, C, H*W); explicit size: N may be 0
    return flat[:, :, order].reshape(x.shape)


def pad(x: np.ndarray, amount: int, value: float = 0.0) -> np.ndarray:
    """Pad the spatial axes by ``amount`` on every side: (N, C, H, W) -> (N, C, H+2p, W+2p)."""
    _check_batch(x)
    if amount < 0:
        raise InvalidArgumentError(
            _("pad amount must be >= 0. Received: amount={amount}", amount=amount)
        )
    widths = [(0, 0), (0, 0)] + [(amount, amount)] * (x.ndim - 2)
    return np.pad(x, widths, constant_values=value)


def center(x: np.ndarray) -> np.ndarray:
    """Shift each image (integer pixels) so its centre of mass sits at the centre, zero fill.

    Mass is the pixel value summed over channels; an all-zero image is left as it is.
    """
    _check_batch(x)
    out = np.empty_like(x)
    mass = np.abs(x).sum(axis=1)  # (N, H, W) or (N, L)
    for i in range(len(x)):
        total = mass[i].sum()
        if total == 0:
            out[i] = x[i]
            continue
        offsets = []
        for axis, size in enumerate(mass[i].shape):
            profile = mass[i].sum(axis=tuple(a for a in range(mass[i].ndim) if a != axis))
            com = float((profile * np.arange(size)).sum() / total)
            offsets.append(round((size - 1) / 2 - com))
        dy, dx = offsets if x.ndim == 4 else (0, offsets[0])
        out[i] = _shift_one(x[i : i + 1], dy, dx)[0]
    return out


def _resample_matrix(in_size: int, out_size: int) -> np.ndarray:
    """Weights (out, in) of antialiased linear resampling (PIL / torch ``antialias=True``)."""
    scale = in_size / out_size
    support = max(scale, 1.0)  # widen the triangle filter when shrinking
    centers = (np.arange(out_size) + 0.5) * scale  # (out,)
    taps = np.arange(in_size) + 0.5  # (in,)
    weights = np.maximum(0.0, 1.0 - np.abs(taps[None, :] - centers[:, None]) / support)
    return weights / weights.sum(axis=1, keepdims=True)  # (out, in)


def resize(x: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """Resize images (N, C, H, W) to ``size`` = (H', W') with antialiased bilinear resampling.

    Matches ``torch.nn.functional.interpolate(mode="bilinear", antialias=True)``; enlarging is
    plain bilinear interpolation (``align_corners=False``). Example: a 1×2 image [0, 1] resized
    to 1×4 gives [0, 0.25, 0.75, 1].
    """
    if x.ndim != 4:
        raise ShapeError(
            _("resize needs images (N, C, H, W). Received: shape {shape}", shape=x.shape)
        )
    out_h, out_w = (size, size) if isinstance(size, int) else size
    if out_h < 1 or out_w < 1:
        raise InvalidArgumentError(_("size must be positive. Received: size={size}", size=size))
    rows = _resample_matrix(x.shape[2], out_h)  # (H', H)
    cols = _resample_matrix(x.shape[3], out_w)  # (W', W)
    out = np.einsum("ph,nchw,qw->ncpq", rows, x, cols, optimize=True)  # (N, C, H', W')
    if x.dtype.kind in "iu":  # integer pixels: round to the nearest value, not toward zero
        info = np.iinfo(x.dtype)
        out = np.clip(np.rint(out), info.min, info.max)
    return out.astype(x.dtype, copy=False)
