"""Data sets behind one loader API.

>>> from cnnlab.data import load
>>> ds = load("digits", val_fraction=0.1, seed=0)  # doctest: +SKIP
>>> ds.train.x.shape  # (N, C, H, W) float32 in [0, 1]  # doctest: +SKIP

Names: ``digits``, ``mnist``, ``fashion-mnist``, ``mnist1d``, ``faces`` and ``folder:PATH``.
Transforms live in :mod:`cnnlab.data.transforms`; downloads and the cache in
:func:`cnnlab.data.fetch` and :mod:`cnnlab.data.cache`.
"""

from __future__ import annotations

from cnnlab.data.dataset import Dataset, Split
from cnnlab.data.loader import dataset_names, fetch, is_cached, load

__all__ = ["Dataset", "Split", "dataset_names", "fetch", "is_cached", "load"]
