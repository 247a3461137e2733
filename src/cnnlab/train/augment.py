"""Augmentation on whole batches of tensors (any device), drawn from a NumPy generator.

The NumPy generator is part of the checkpoint, so a resumed run draws the same shifts.
:func:`cnnlab.data.transforms.random_shift` does the same for NumPy arrays; this one works on
torch tensors where they already live (CPU, CUDA or MPS), inside the training loop.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def random_shift(x: torch.Tensor, max_shift: int, rng: np.random.Generator) -> torch.Tensor:
    """Move each image by its own random (dy, dx) in [-max_shift, max_shift], filling with 0.

    Vectorized: the batch is zero-padded once, then all images sharing an offset are cropped
    together, so the Python loop runs over at most (2·max_shift + 1)² offsets, not over images.
    Works for (N, C, H, W) images and (N, C, L) signals (a shift along L only).

    >>> x = torch.zeros(1, 1, 3, 3); x[0, 0, 1, 1] = 1
    >>> y = random_shift(x, 1, np.random.default_rng(0)); float(y.sum())
    1.0
    """
    if max_shift <= 0:
        return x
    s = max_shift
    side = 2 * s + 1
    n = x.shape[0]
    if x.dim() == 3:
        padded = F.pad(x, (s, s))  # (N, C, L + 2s)
        offsets = rng.integers(0, side, size=n)
        codes = offsets
    else:
        padded = F.pad(x, (s, s, s, s))  # (N, C, H + 2s, W + 2s)
        offsets = rng.integers(0, side, size=(n, 2))
        codes = offsets[:, 0] * side + offsets[:, 1]
    out = torch.empty_like(x)
    for code in np.unique(codes):
        rows = torch.from_numpy(np.flatnonzero(codes == code)).to(x.device)
        if x.dim() == 3:
            out[rows] = padded[rows, :, code : code + x.shape[2]]
        else:
            dy, dx = divmod(int(code), side)
            out[rows] = padded[rows, :, dy : dy + x.shape[2], dx : dx + x.shape[3]]
    return out
