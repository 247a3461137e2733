"""The vectorized paths in the shapes CNN layers use (stride 1, several channels, 2×2 pooling on
larger maps), float32 and float64, against PyTorch; and the Hypothesis profile that sizes CI."""

from __future__ import annotations

import os

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from ops_oracles import big_pool_cases, fast_conv_cases, torch_conv2d

from cnnlab.ops import avg_pool2d, conv2d, max_pool2d


def _f64(a: np.ndarray | None) -> np.ndarray | None:
    return None if a is None else a.astype(np.float64)


@given(fast_conv_cases())
def test_conv2d_fast_paths_match_torch(case):
    x, w, b = case["x"], case["weight"], case["bias"]
    expected = torch_conv2d(_f64(x), _f64(w), _f64(b), **case["kw"])  # float64 oracle
    got = conv2d(x, w, b, **case["kw"])
    assert got.dtype == x.dtype and got.shape == expected.shape
    atol = 1e-9 if x.dtype == np.float64 else 1e-4  # float32 sums up to 150 products
    np.testing.assert_allclose(got, expected, rtol=0, atol=atol)


@given(big_pool_cases())
def test_pooling_on_larger_maps_matches_torch(case):
    x, kw = case["x"], case["kw"]
    got_max, got_avg = max_pool2d(x, **kw), avg_pool2d(x, **kw)
    assert got_max.dtype == got_avg.dtype == x.dtype
    np.testing.assert_array_equal(got_max, F.max_pool2d(torch.tensor(x), **kw).numpy())
    atol = 1e-9 if x.dtype == np.float64 else 1e-6
    expected_avg = F.avg_pool2d(torch.tensor(_f64(x)), **kw).numpy()
    np.testing.assert_allclose(got_avg, expected_avg, rtol=0, atol=atol)


def test_thorough_profile_draws_at_least_300_cases_per_op():
    """`make test-slow` (which CI runs after `make test`) loads "thorough": 300 cases per op,
    the same every run; `make test` loads "quick"."""
    assert settings.get_profile("thorough").max_examples >= 300
    assert settings.get_profile("thorough").derandomize
    assert settings.get_profile("quick").derandomize  # every run draws the same cases
    if os.environ.get("HYPOTHESIS_PROFILE") == "thorough":
        assert settings.default.max_examples >= 300
