"""Batch normalization in NumPy, like ``torch.nn.functional.batch_norm``, and its gradient.

Per channel c, over the batch and every position (axes 0, 2, 3 of (N, C, H, W); axis 0 of
(N, C)), with m = the number of values averaged:

    μ_c = mean(x),  σ²_c = mean((x − μ_c)²)             (training: the batch's own statistics)
    x̂ = (x − μ_c) / √(σ²_c + ε),   y = γ_c·x̂ + β_c
    running_mean ← (1 − momentum)·running_mean + momentum·μ_c
    running_var  ← (1 − momentum)·running_var + momentum·σ²_c·m/(m − 1)   (unbiased, as torch)

In evaluation the running statistics replace the batch's. The gradient (training mode):

    grad_β = Σ g,  grad_γ = Σ g·x̂,  grad_x = γ/√(σ² + ε) · (g − mean(g) − x̂·mean(g·x̂))

Hand-checkable: the batch [1, 3] (one channel, γ = 1, β = 0, ε = 0) normalizes to [−1, 1].
"""

from __future__ import annotations

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import as_float_array, check_ndim


def _axes(x: np.ndarray) -> tuple[int, ...]:
    """Every axis but the channels (axis 1): the values one channel's statistics average."""
    return (0, *range(2, x.ndim))


def _channel(v: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(C,) → (1, C, 1, 1) (or (1, C) for flat inputs), to broadcast against ``x``."""
    return v.reshape(1, -1, *([1] * (x.ndim - 2)))


def _args(x: object, weight: object, name: str = "input") -> tuple[np.ndarray, np.ndarray | None]:
    arr = np.asarray(x)
    check_ndim(arr, name, {2: "(N, C)", 3: "(N, C, L)", 4: "(N, C, H, W)"})
    arr = as_float_array(arr, name)
    if weight is None:
        return arr, None
    w = as_float_array(weight, "weight", arr.dtype)
    if w.shape != (arr.shape[1],):
        raise ShapeError(
            _(
                "weight must hold one value per channel; expected shape ({shape_1},). "
                "Received: weight of shape {shape}",
                shape_1=arr.shape[1],
                shape=w.shape,
            )
        )
    return arr, w


def _statistics(
    arr: np.ndarray, running_mean, running_var, training: bool, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """The mean and variance that normalize: the batch's (updating the running ones) or the
    running ones."""
    if training:
        axes = _axes(arr)
        mean, var = arr.mean(axis=axes), arr.var(axis=axes)  # (C,), (C,) biased
        m = arr.size // arr.shape[1]
        if m < 2:
            raise ShapeError(
                _(
                    "batch norm in training needs more than one value per channel; "
                    "expected a batch of at least 2. Received: input of shape {shape}",
                    shape=arr.shape,
                )
            )
        if running_mean is not None and running_var is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
            running_var *= 1 - momentum
            running_var += momentum * var * m / (m - 1)
    elif running_mean is None or running_var is None:
        raise InvalidArgumentError(
            _(
                "batch norm in evaluation needs the running statistics; expected running_mean and "
                "running_var of shape (C,) (or training=True). Received: None"
            )
        )
    else:
        mean, var = np.asarray(running_mean), np.asarray(running_var)
    return mean, var


def batch_norm(
    x: object,
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
    weight: object = None,
    bias: object = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> np.ndarray:
    """Batch normalization like ``F.batch_norm`` (same argument order); the same shape back.

    In training the batch's statistics normalize and, when given, ``running_mean`` and
    ``running_var`` are updated in place (float arrays of shape (C,)). Example: [[1.], [3.]]
    in training with eps=0 gives [[-1.], [1.]].
    """
    arr, w = _args(x, weight)
    if not 0.0 <= float(momentum) <= 1.0 or not float(eps) >= 0.0:
        raise InvalidArgumentError(
            _(
                "momentum must be in [0, 1] and eps >= 0. Received: momentum={momentum}, eps={eps}",
                momentum=momentum,
                eps=eps,
            )
        )
    mean, var = _statistics(arr, running_mean, running_var, training, momentum)
    scale = 1.0 / np.sqrt(var + eps)  # (C,)
    shift = -mean * scale
    if w is not None:
        scale, shift = scale * w, shift * w
    if bias is not None:
        shift = shift + as_float_array(bias, "bias", arr.dtype)
    y = arr * _channel(scale.astype(arr.dtype), arr)
    y += _channel(shift.astype(arr.dtype), arr)
    return y


def batch_norm_backward(
    grad_out: object, x: object, weight: object = None, eps: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`batch_norm` in training: ``(grad_x, grad_weight, grad_bias)``.

    ``grad_weight`` is what γ would receive when ``weight`` is None (γ = 1).
    """
    arr, w = _args(x, weight)
    g = as_float_array(grad_out, "grad_out", arr.dtype)
    if g.shape != arr.shape:
        raise ShapeError(
            _(
                "grad_out must have the input's shape; expected {shape}. Received: "
                "grad_out of shape {shape2}",
                shape=arr.shape,
                shape2=g.shape,
            )
        )
    axes = _axes(arr)
    mean, var = arr.mean(axis=axes), arr.var(axis=axes)  # (C,)
    inv = (1.0 / np.sqrt(var + eps)).astype(arr.dtype)  # (C,)
    x_hat = (arr - _channel(mean, arr)) * _channel(inv, arr)  # same shape as x
    grad_b = g.sum(axis=axes)  # (C,)
    grad_w = (g * x_hat).sum(axis=axes)  # (C,)
    m = arr.size // arr.shape[1]
    gamma = inv if w is None else inv * w  # (C,)
    grad_x = g - _channel(grad_b / m, arr)
    grad_x -= x_hat * _channel(grad_w / m, arr)
    grad_x *= _channel(gamma, arr)
    return grad_x, grad_w, grad_b
