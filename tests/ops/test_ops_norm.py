"""Batch normalization against torch.nn.functional.batch_norm and autograd (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.ops import batch_norm, batch_norm_backward

SHAPES = [(5, 3, 4, 6), (7, 4), (3, 2, 9)]


def arrays(shape, seed=0):
    rng = np.random.default_rng(seed)
    c = shape[1]
    return (rng.normal(2.0, 3.0, size=shape), rng.normal(size=c), rng.normal(size=c),
            rng.normal(size=c), rng.uniform(0.5, 2.0, size=c))  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_torch_and_updates_running_statistics(shape, training):
    x, w, b, rm, rv = arrays(shape)
    rm_t, rv_t = torch.tensor(rm), torch.tensor(rv)
    expected = F.batch_norm(torch.tensor(x), rm_t, rv_t, torch.tensor(w), torch.tensor(b),
                            training=training, momentum=0.1, eps=1e-5)  # fmt: skip
    y = batch_norm(x, rm, rv, w, b, training=training, momentum=0.1, eps=1e-5)
    np.testing.assert_allclose(y, expected.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(rm, rm_t.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(rv, rv_t.numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_backward_matches_autograd(shape, affine):
    x, w, b, _, _ = arrays(shape, seed=1)
    xt = torch.tensor(x, requires_grad=True)
    wt, bt = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
    y = F.batch_norm(xt, None, None, wt if affine else None, bt if affine else None, True)
    g = np.random.default_rng(2).normal(size=shape)
    y.backward(torch.tensor(g))
    gx, gw, gb = batch_norm_backward(g, x, w if affine else None)
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=0, atol=1e-10)
    if affine:
        np.testing.assert_allclose(gw, wt.grad.numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(gb, bt.grad.numpy(), rtol=0, atol=1e-10)
    else:
        np.testing.assert_allclose(gb, g.sum(axis=(0, *range(2, g.ndim))), atol=1e-10)


def test_batch_norm_hand_example_and_float32():
    y = batch_norm(np.array([[1.0], [3.0]]), None, None, training=True, eps=0.0)
    np.testing.assert_allclose(y, [[-1.0], [1.0]])
    x = np.random.default_rng(0).normal(size=(8, 2, 3, 3)).astype(np.float32)
    assert batch_norm(x, None, None, training=True).dtype == np.float32


def test_batch_norm_refuses_bad_input():
    with pytest.raises(ShapeError, match="one value per channel"):
        batch_norm(np.ones((4, 3)), None, None, weight=np.ones(2), training=True)
    with pytest.raises(ShapeError, match="more than one value per channel"):
        batch_norm(np.ones((1, 3)), None, None, training=True)
    with pytest.raises(InvalidArgumentError, match="running statistics"):
        batch_norm(np.ones((4, 3)), None, None, training=False)
    with pytest.raises(ShapeError, match="grad_out"):
        batch_norm_backward(np.ones((4, 2)), np.ones((4, 3)))
