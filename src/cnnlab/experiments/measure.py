"""Measurements on trained runs and data variants: shifted accuracy, permuted and smaller data.

Shift evaluation: every test image is moved ``s`` pixels in each direction of a fixed set (right,
left, down, up for images; right, left for sequences), the border filled with zeros
(:func:`cnnlab.data.transforms.translate`), and the accuracy at ``s`` is the mean over the
directions. At ``s = 0`` it is the plain test accuracy. Example: accuracies 0.9, 0.8, 0.7, 0.6 in
the four directions give 0.75 at that shift.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from cnnlab.data import Dataset, Split
from cnnlab.data.dataset import stratified_indices
from cnnlab.data.transforms import permute_pixels, translate
from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.models import summary
from cnnlab.models.layers import fmt_shape

IMAGE_DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))  # (dy, dx): right, left, down, up
SEQUENCE_DIRECTIONS = ((0, 1), (0, -1))  # right, left along the sequence
SUBSET_SEED = 0  # the smaller training sets are the same images for every model and seed


def directions_for(kind: str) -> tuple[tuple[int, int], ...]:
    """The unit moves (dy, dx) averaged at each shift for a data set of ``kind``."""
    return IMAGE_DIRECTIONS if kind == "image" else SEQUENCE_DIRECTIONS


def accuracy(run: Any, x: np.ndarray, y: np.ndarray) -> float:
    """Share of ``x`` (N, C, H, W) in [0, 1] that ``run`` classifies as ``y`` (N,)."""
    if len(y) == 0:
        return 0.0
    pred = run.predict(x).argmax(axis=1)  # (N,)
    return float((pred == np.asarray(y)).mean())


def shift_accuracy(
    run: Any, split: Split, max_shift: int, directions: Sequence[tuple[int, int]]
) -> tuple[float, ...]:
    """Accuracy of ``run`` on ``split`` shifted by 0, 1, ..., ``max_shift`` pixels.

    Each value past 0 is the mean over ``directions`` (unit (dy, dx) moves), zero fill.
    """
    if isinstance(max_shift, bool) or not isinstance(max_shift, int) or max_shift < 0:
        raise InvalidArgumentError(
            _(
                "max shift must be an int >= 0 (pixels). Received: max_shift={value!r}",
                value=max_shift,
            )
        )
    out = [accuracy(run, split.x, split.y)]
    for s in range(1, max_shift + 1):
        accs = [
            accuracy(run, translate(split.x, dx=s * ux, dy=s * uy), split.y)
            for uy, ux in directions
        ]
        out.append(float(np.mean(accs)))
    return tuple(out)


def permuted_dataset(ds: Dataset, seed: int) -> Dataset:
    """``ds`` with every split's pixels reordered by the same permutation (drawn from ``seed``).

    Per-channel mean and std do not change (the same values, in other places).
    """
    parts = {
        name: Split(permute_pixels(getattr(ds, name).x, seed), getattr(ds, name).y)
        for name in ("train", "val", "test")
    }
    return dataclasses.replace(ds, name=f"{ds.name} (pixels permuted, seed {seed})", **parts)


def subset_dataset(ds: Dataset, fraction: float, repeat: bool = False) -> Dataset:
    """``ds`` with a stratified ``fraction`` of its training images (seed ``SUBSET_SEED``).

    Test and validation splits and the normalization constants stay those of ``ds``. With
    ``repeat`` the kept images are stacked ``round(1 / fraction)`` times (the first copy first),
    so an epoch over them takes about as many optimizer steps as an epoch over all images: 1 % of
    60,000 images is 600 images, repeated 100 times.
    """
    if not 0.0 < fraction < 1.0:
        raise InvalidArgumentError(
            _(
                "training fraction must be in (0, 1); expected e.g. 0.1. Received: {value!r}",
                value=fraction,
            )
        )
    _kept, held = stratified_indices(ds.train.y, fraction, SUBSET_SEED)
    part = dataclasses.replace(
        ds,
        name=f"{ds.name} ({fraction:.0%} of training images)",
        train=Split(ds.train.x[held], ds.train.y[held]),  # (n, C, H, W)
    )
    return repeated(part, round(1 / fraction)) if repeat else part


def repeated(ds: Dataset, times: int) -> Dataset:
    """``ds`` with its training split stacked ``times`` times, the first copy first: one epoch
    then takes as many optimizer steps as ``times`` epochs, with one evaluation at its end."""
    if times <= 1:
        return ds
    x, y = ds.train.x, ds.train.y
    train = Split(np.tile(x, (times,) + (1,) * (x.ndim - 1)), np.tile(y, times))  # (times·n, …)
    return dataclasses.replace(ds, name=f"{ds.name}, each example {times} times", train=train)


def growth_sizes(kind: str, side: int) -> tuple[int, ...]:
    """Input sides for the parameter-growth table: the data's own side and larger ones."""
    larger = (28, 64, 128, 256, 512) if kind == "image" else (40, 80, 160, 320, 640, 1280)
    return tuple(sorted({side, *larger}))


def params_at(model: str, kind: str, channels: int, size: int, num_classes: int) -> int | None:
    """Parameters of ``model`` built for inputs of side ``size``; None if it does not fit."""

    shape = (channels, size, size) if kind == "image" else (channels, size)
    try:
        return summary(model, shape, num_classes).total_params
    except ShapeError:
        return None


def input_text(shape: Sequence[int]) -> str:
    """``(1, 28, 28)`` → ``1×28×28``."""
    return fmt_shape(tuple(shape))
