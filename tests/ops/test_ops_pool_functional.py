"""Pooling, activations, linear and cross-entropy against torch.nn.functional."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from ops_oracles import pool_cases

from cnnlab.ops import (
    avg_pool2d,
    cross_entropy,
    flatten,
    global_avg_pool2d,
    linear,
    log_softmax,
    max_pool2d,
    relu,
    softmax,
)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


@given(pool_cases())
def test_max_pool2d_matches_torch(case):
    close(max_pool2d(case["x"], **case["kw"]), F.max_pool2d(torch.tensor(case["x"]), **case["kw"]))


@given(pool_cases(dilation=False))
def test_avg_pool2d_matches_torch(case):
    expected = F.avg_pool2d(torch.tensor(case["x"]), **case["kw"])
    close(avg_pool2d(case["x"], **case["kw"]), expected)


def test_pooling_unbatched_float32_and_hand_example():
    x = np.array([[[1, 3], [2, 0]]], dtype=np.float32)  # (C, H, W)
    assert max_pool2d(x, 2).tolist() == [[[3.0]]]
    assert avg_pool2d(x, 2).tolist() == [[[1.5]]]
    assert max_pool2d(x, 2).dtype == np.float32
    big = np.random.default_rng(0).normal(size=(2, 3, 24, 24)).astype(np.float32)
    np.testing.assert_array_equal(max_pool2d(big, 2), F.max_pool2d(torch.tensor(big), 2).numpy())


@given(st.lists(st.integers(1, 6), min_size=3, max_size=4), st.integers(0, 2**32 - 1))
def test_global_avg_pool2d_matches_adaptive_avg_pool(shape, seed):
    x = np.random.default_rng(seed).normal(size=shape)  # (N, C, H, W) or (C, H, W)
    got = global_avg_pool2d(x)
    assert got.shape == (*shape[:-2], 1, 1)
    close(got, F.adaptive_avg_pool2d(torch.tensor(x), 1))


@st.composite
def arrays(draw, min_dims=1):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=min_dims, max_size=4)))
    scale = draw(st.sampled_from([1.0, 30.0, 1000.0]))  # large logits test the stability
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1))).normal(size=shape) * scale


@given(arrays(), st.data())
def test_activations_match_torch(x, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    t = torch.tensor(x)
    close(relu(x), F.relu(t))
    close(softmax(x, dim=dim), F.softmax(t, dim=dim))
    close(log_softmax(x, dim=dim), F.log_softmax(t, dim=dim))
    assert np.isfinite(log_softmax(x, dim=dim)).all()


@given(arrays(min_dims=2), st.data())
def test_flatten_matches_torch(x, data):
    start = data.draw(st.integers(0, x.ndim - 1))
    end = data.draw(st.integers(start, x.ndim - 1))
    assert flatten(x, start, end).shape == torch.flatten(torch.tensor(x), start, end).shape
    close(flatten(x, start, end), torch.flatten(torch.tensor(x), start, end))


@given(
    st.integers(1, 4),
    st.integers(1, 5),
    st.integers(1, 5),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_linear_matches_torch(batch, n_in, n_out, with_bias, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(batch, 2, n_in)), rng.normal(size=(n_out, n_in))
    b = rng.normal(size=n_out) if with_bias else None
    expected = F.linear(torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(b))
    close(linear(x, w, b), expected)


@given(
    st.integers(1, 5),
    st.integers(2, 6),
    st.sampled_from([0.0, 0.1, 1.0]),
    st.sampled_from([1.0, 100.0]),
    st.integers(0, 2**32 - 1),
)
def test_cross_entropy_matches_torch(n, classes, eps, scale, seed):
    rng = np.random.default_rng(seed)
    z, t = rng.normal(size=(n, classes)) * scale, rng.integers(0, classes, size=n)
    expected = F.cross_entropy(torch.tensor(z), torch.tensor(t), label_smoothing=eps).item()
    assert cross_entropy(z, t, label_smoothing=eps) == pytest.approx(expected, abs=1e-9)


def test_hand_checked_softmax_and_loss():
    close(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])
    assert cross_entropy(np.array([[0.0, np.log(3.0)]]), np.array([1])) == pytest.approx(
        -np.log(0.75)
    )
