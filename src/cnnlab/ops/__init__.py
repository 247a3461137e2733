"""NumPy reference operations of a CNN, with PyTorch's layout and semantics.

Convolution (``conv2d``, ``conv1d``, ``correlate2d``, ``convolve2d``), transposed convolution
(``conv_transpose2d``), pooling, batch norm, activations, dense layers, the cross-entropy loss,
the gradient of each, the output-size formula and
step-by-step explanation records (:mod:`cnnlab.ops.explain`). Imports NumPy only, never torch.

    >>> import numpy as np
    >>> from cnnlab.ops import correlate2d
    >>> correlate2d(np.arange(9).reshape(3, 3), np.ones((2, 2)))
    array([[ 8., 12.],
           [20., 24.]])
"""

from __future__ import annotations

from cnnlab.ops import explain
from cnnlab.ops._args import as_pair
from cnnlab.ops.conv import conv1d, conv2d, conv2d_loop, convolve2d, correlate2d
from cnnlab.ops.conv_grad import conv1d_backward, conv2d_backward
from cnnlab.ops.conv_transpose import (
    conv_transpose2d,
    conv_transpose2d_backward,
    conv_transpose2d_loop,
    transposed_size,
)
from cnnlab.ops.explain import (
    ConvStep,
    PoolStep,
    convolve_image,
    explain_conv,
    explain_pool,
    size_formula,
)
from cnnlab.ops.explain_transposed import SpreadStep, explain_transposed
from cnnlab.ops.functional import (
    cross_entropy,
    flatten,
    linear,
    linear_backward,
    log_softmax,
    relu,
    relu_backward,
    softmax,
    softmax_cross_entropy_backward,
)
from cnnlab.ops.norm import batch_norm, batch_norm_backward
from cnnlab.ops.pool import (
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool2d,
    global_avg_pool2d_backward,
    max_pool2d,
    max_pool2d_backward,
)
from cnnlab.ops.sizes import conv_output_size, pool_output_size

__all__ = [
    "ConvStep",
    "PoolStep",
    "SpreadStep",
    "as_pair",
    "avg_pool2d",
    "avg_pool2d_backward",
    "batch_norm",
    "batch_norm_backward",
    "conv1d",
    "conv1d_backward",
    "conv2d",
    "conv2d_backward",
    "conv2d_loop",
    "conv_output_size",
    "conv_transpose2d",
    "conv_transpose2d_backward",
    "conv_transpose2d_loop",
    "convolve2d",
    "convolve_image",
    "correlate2d",
    "cross_entropy",
    "explain",
    "explain_conv",
    "explain_pool",
    "explain_transposed",
    "flatten",
    "global_avg_pool2d",
    "global_avg_pool2d_backward",
    "linear",
    "linear_backward",
    "log_softmax",
    "max_pool2d",
    "max_pool2d_backward",
    "pool_output_size",
    "relu",
    "relu_backward",
    "size_formula",
    "softmax",
    "softmax_cross_entropy_backward",
    "transposed_size",
]
