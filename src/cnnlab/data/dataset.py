"""The two containers every loader returns: :class:`Split` and :class:`Dataset`.

A data set is a train, validation and test :class:`Split`. Images are float32 ``(N, C, H, W)``
in ``[0, 1]``; sequences are float32 ``(N, C, L)``; labels are int64 ``(N,)``. The validation
split is carved from the training data by a seeded stratified split, and ``mean``/``std`` are
per-channel statistics of the training split (for :func:`cnnlab.data.transforms.normalize`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _

KINDS = ("image", "sequence", "text")  # text: character ids (N, 1, L), see data.textsets


@dataclass(frozen=True)
class Split:
    """Inputs ``x`` (N, C, H, W) or (N, C, L) float32 and labels ``y`` (N,) int64."""

    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.y)


@dataclass(frozen=True)
class Dataset:
    """A named data set: ``train``, ``val`` and ``test`` splits, class names and statistics."""

    name: str
    kind: str  # "image", "sequence" or "text"
    train: Split
    val: Split
    test: Split
    classes: list[str]
    mean: tuple[float, ...] = field(default=())  # per channel, train split
    std: tuple[float, ...] = field(default=())

    @property
    def input_shape(self) -> tuple[int, ...]:
        """(C, H, W) for images, (C, L) for sequences."""
        return tuple(int(d) for d in self.train.x.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def stratified_indices(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split indices of ``y`` into (keep, held_out), holding out ``round(N * fraction)`` rows.

    Each class ``c`` gives ``floor(n_c * fraction)`` rows, and the rows still missing go to the
    classes with the largest remainders, so small sets still get a held-out part. Seeded; both
    index arrays are sorted so the original order is kept.

    >>> keep, held = stratified_indices(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.25, seed=0)
    >>> len(keep), len(held)
    (6, 2)
    """
    if not 0.0 <= fraction < 1.0:
        raise InvalidArgumentError(
            _(
                "split fraction must be in [0, 1); expected e.g. 0.1. Received: {fraction!r}",
                fraction=fraction,
            )
        )
    rng = np.random.default_rng(seed)
    labels, counts = np.unique(y, return_counts=True)
    quota = counts * fraction
    take = np.floor(quota).astype(int)
    missing = round(len(y) * fraction) - int(take.sum())
    tie_break = rng.random(len(labels))
    order = np.lexsort((tie_break, -(quota - take)))  # largest remainder first
    take[order[:missing]] += 1
    held = [rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(labels, take, strict=True)]
    held_idx = np.sort(np.concatenate(held)) if held else np.zeros(0, np.int64)
    mask = np.ones(len(y), dtype=bool)
    mask[held_idx] = False
    return np.flatnonzero(mask), held_idx


def channel_stats(x: np.ndarray, chunk: int = 4096) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-channel mean and (population) standard deviation of ``x`` (N, C, ...).

    Accumulated in float64 over chunks of rows, so 60,000 MNIST images need no float64 copy:
    ``std = sqrt(E[x^2] - E[x]^2)``. Example: channel values 0, 1 give mean 0.5 and std 0.5.
    """
    channels = x.shape[1]
    if len(x) == 0:
        return (0.0,) * channels, (1.0,) * channels
    total = np.zeros(channels)
    total_sq = np.zeros(channels)
    for start in range(0, len(x), chunk):
        block = x[start : start + chunk].astype(np.float64)
        block = block.reshape(block.shape[0], channels, -1)  # (n, C, H*W)
        total += block.sum(axis=(0, 2))
        total_sq += np.einsum("ncp,ncp->c", block, block)
    count = x.size // channels
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean**2, 0.0))
    return tuple(float(m) for m in mean), tuple(float(s) for s in std)


def _checked_split(
    name: str, label: str, x: np.ndarray, y: np.ndarray, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    want_ndim = 4 if kind == "image" else 3
    if x.ndim != want_ndim or y.ndim != 1 or len(x) != len(y):
        raise ShapeError(
            _(
                "{name} {label} split has x {shape} and y {shape2}; expected x with "
                "{want_ndim} dimensions and one label per row",
                name=name,
                label=label,
                shape=x.shape,
                shape2=y.shape,
                want_ndim=want_ndim,
            )
        )
    return x, np.asarray(y, np.int64)


def _as_float(x: np.ndarray, divide_by: float) -> np.ndarray:
    if divide_by == 1.0:
        return np.ascontiguousarray(x, dtype=np.float32)
    return np.divide(x, np.float32(divide_by), dtype=np.float32)


def build_dataset(
    name: str,
    kind: str,
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    classes: list[str],
    val_fraction: float = 0.1,
    seed: int = 0,
    divide_by: float = 1.0,
) -> Dataset:
    """Assemble a :class:`Dataset`: check shapes, carve ``val`` from ``train``, add statistics.

    ``x`` arrays may be stored compactly (uint8 pixels with ``divide_by=255``); the split
    happens before the conversion to float32, so only the final arrays are ever float.
    """
    if kind not in KINDS:
        raise InvalidArgumentError(_("kind must be one of {kinds}. Received: kind={kind!r}",
                                     kinds=KINDS, kind=kind))  # fmt: skip
    x_tr, y_tr = _checked_split(name, "train", *train, kind)
    x_te, y_te = _checked_split(name, "test", *test, kind)
    keep, held = stratified_indices(y_tr, val_fraction, seed)
    if len(held):
        x_tr, y_tr, x_val, y_val = x_tr[keep], y_tr[keep], x_tr[held], y_tr[held]
    else:
        x_val, y_val = x_tr[:0], y_tr[:0]
    train_split = Split(_as_float(x_tr, divide_by), y_tr)
    # character ids are symbols, not measurements: they are never normalized
    mean, std = ((0.0,), (1.0,)) if kind == "text" else channel_stats(train_split.x)
    return Dataset(
        name=name,
        kind=kind,
        train=train_split,
        val=Split(_as_float(x_val, divide_by), y_val),
        test=Split(_as_float(x_te, divide_by), y_te),
        classes=list(classes),
        mean=mean,
        std=std,
    )
