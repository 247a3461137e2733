"""Activations, dense layers and the classification loss in NumPy, like torch.nn.functional.

    relu(x) = max(x, 0)
    softmax(x)_i = exp(x_i − m) / Σ_j exp(x_j − m),  m = max_j x_j   (subtracting m avoids overflow)
    linear(x, W, b) = x Wᵀ + b                      (W has shape (out_features, in_features))
    cross_entropy = mean over the batch of −log softmax(logits)[target]

Hand-checkable: softmax([0, ln 3]) = [0.25, 0.75]; cross_entropy([[0, ln 3]], [1]) = −ln 0.75.
"""

from __future__ import annotations

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import as_float_array, as_int, check_ndim, float_dtype


def _axis(dim: int, ndim: int) -> int:
    dim = as_int(dim, "dim")
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise InvalidArgumentError(
            _(
                "dim {dim} is out of range for an array with {ndim} dimensions; expected "
                "{value} <= dim < {ndim}. Received: dim={dim}",
                dim=dim,
                ndim=ndim,
                value=-ndim,
            )
        )
    return dim % max(ndim, 1)


def relu(x: object) -> np.ndarray:
    """max(x, 0) elementwise: relu([-1, 2]) = [0, 2]."""
    return np.maximum(as_float_array(x, "input"), 0)


def relu_backward(grad_out: object, x: object) -> np.ndarray:
    """Gradient of :func:`relu`: grad_out where x > 0, else 0 (0 at x = 0, as in PyTorch)."""
    arr = as_float_array(x, "input")
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
    return np.where(arr > 0, g, 0).astype(arr.dtype, copy=False)


def log_softmax(x: object, dim: int = -1) -> np.ndarray:
    """log softmax along ``dim``: x − m − log Σ exp(x − m), stable for large |x|."""
    arr = as_float_array(x, "input")
    axis = _axis(dim, arr.ndim)
    shifted = arr - arr.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(x: object, dim: int = -1) -> np.ndarray:
    """softmax along ``dim`` (numerically stable): softmax([0, ln 3]) = [0.25, 0.75]."""
    return np.exp(log_softmax(x, dim))


def flatten(x: object, start_dim: int = 1, end_dim: int = -1) -> np.ndarray:
    """Merge dims start_dim..end_dim like ``torch.flatten``: (64, 16, 5, 5) → (64, 400)."""
    arr = as_float_array(x, "input")
    start, end = _axis(start_dim, arr.ndim), _axis(end_dim, arr.ndim)
    if start > end:
        raise InvalidArgumentError(
            _(
                "start_dim must not come after end_dim; expected start_dim <= end_dim. "
                "Received: start_dim={start_dim}, end_dim={end_dim}",
                start_dim=start_dim,
                end_dim=end_dim,
            )
        )
    return arr.reshape(*arr.shape[:start], -1, *arr.shape[end + 1 :])


def _linear_args(x: object, weight: object, bias: object) -> tuple:
    x_arr, w_arr = np.asarray(x), np.asarray(weight)
    check_ndim(w_arr, "weight", {2: "(out_features, in_features)"})
    if x_arr.ndim < 1 or x_arr.shape[-1] != w_arr.shape[1]:
        raise ShapeError(
            _(
                "input's last dimension must equal weight's in_features; expected (..., "
                "{shape_1}). Received: input {shape}, weight {shape2}",
                shape_1=w_arr.shape[1],
                shape=tuple(x_arr.shape),
                shape2=w_arr.shape,
            )
        )
    dtypes = [x_arr.dtype, w_arr.dtype] + ([np.asarray(bias).dtype] if bias is not None else [])
    dtype = float_dtype(*dtypes)
    b = None if bias is None else as_float_array(bias, "bias", dtype)
    if b is not None and b.shape != (w_arr.shape[0],):
        raise ShapeError(
            _(
                "bias must hold one value per output feature; expected shape "
                "({shape_0},). Received: bias of shape {shape}",
                shape_0=w_arr.shape[0],
                shape=b.shape,
            )
        )
    return as_float_array(x_arr, "input", dtype), as_float_array(w_arr, "weight", dtype), b


def linear(x: object, weight: object, bias: object = None) -> np.ndarray:
    """Dense layer like ``F.linear``: (..., in_features) → (..., out_features), y = x Wᵀ + b."""
    x_arr, w, b = _linear_args(x, weight, bias)
    y = x_arr @ w.T  # (..., out_features)
    return y + b if b is not None else y


def linear_backward(
    grad_out: object, x: object, weight: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`linear`: (grad_x = g W, grad_W = gᵀ x, grad_b = Σ_batch g)."""
    x_arr, w, _ = _linear_args(x, weight, None)
    g = as_float_array(grad_out, "grad_out", x_arr.dtype)
    if g.shape != (*x_arr.shape[:-1], w.shape[0]):
        raise ShapeError(
            _(
                "grad_out must have the output's shape; expected {value}. Received: "
                "grad_out of shape {shape}",
                value=(*x_arr.shape[:-1], w.shape[0]),
                shape=g.shape,
            )
        )
    g2, x2 = g.reshape(-1, w.shape[0]), x_arr.reshape(-1, w.shape[1])  # (B, out), (B, in)
    return g @ w, g2.T @ x2, g2.sum(axis=0)


def _ce_args(logits: object, target: object, label_smoothing: float) -> tuple:
    z, t = np.asarray(logits), np.asarray(target)
    check_ndim(z, "logits", {2: "(N, classes)"})
    if t.shape != (z.shape[0],) or t.dtype.kind not in "iu":
        raise ShapeError(
            _(
                "target must hold one class index per row of logits; expected ints of "
                "shape ({shape_0},). Received: target of shape {shape} and dtype {dtype}",
                shape_0=z.shape[0],
                shape=t.shape,
                dtype=t.dtype,
            )
        )
    if t.size and (t.min() < 0 or t.max() >= z.shape[1]):
        raise InvalidArgumentError(
            _(
                "target holds a class index outside the logits; expected 0 <= target < "
                "{shape_1}. Received: target values from {t_min} to {t_max}",
                shape_1=z.shape[1],
                t_min=t.min(),
                t_max=t.max(),
            )
        )
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise InvalidArgumentError(
            _(
                "label_smoothing must be between 0 and 1; expected e.g. 0.1. Received: "
                "label_smoothing={label_smoothing}",
                label_smoothing=label_smoothing,
            )
        )
    return as_float_array(z, "logits"), t


def _soft_target(t: np.ndarray, classes: int, eps: float, dtype: np.dtype) -> np.ndarray:
    """(1 − ε)·one_hot(t) + ε / classes: the distribution the loss pulls softmax towards."""
    q = np.full((t.shape[0], classes), eps / classes, dtype=dtype)  # (N, classes)
    q[np.arange(t.shape[0]), t] += 1.0 - eps
    return q


def cross_entropy(logits: object, target: object, label_smoothing: float = 0.0) -> float:
    """Mean cross-entropy like ``F.cross_entropy`` (logits (N, classes), int targets (N,))."""
    z, t = _ce_args(logits, target, label_smoothing)
    q = _soft_target(t, z.shape[1], float(label_smoothing), z.dtype)
    return float(-(q * log_softmax(z, dim=1)).sum(axis=1).mean())


def softmax_cross_entropy_backward(
    logits: object, target: object, label_smoothing: float = 0.0
) -> np.ndarray:
    """Gradient of :func:`cross_entropy` w.r.t. the logits: (softmax(z) − q) / N."""
    z, t = _ce_args(logits, target, label_smoothing)
    q = _soft_target(t, z.shape[1], float(label_smoothing), z.dtype)
    return (softmax(z, dim=1) - q) / z.shape[0]
