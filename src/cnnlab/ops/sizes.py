"""Output-size formulas of convolution and pooling.

For an input side of ``n`` pixels, a kernel of ``k``, stride ``s``, padding ``p`` on each side
and dilation ``d``::

    n_out = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1

Hand-checkable example (the deck): 20 rows, a 3×3 kernel, no padding, stride 1 →
``⌊(20 + 0 − 2 − 1) / 1⌋ + 1 = 18`` rows.
"""

from __future__ import annotations

from cnnlab.errors import ShapeError
from cnnlab.i18n import _
from cnnlab.ops._args import as_int, positions


def conv_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Output length ``⌊(n + 2p − d(k−1) − 1)/s⌋ + 1`` of a convolution along one axis.

    >>> conv_output_size(20, 3)              # the deck: 20 rows, 3×3 kernel
    18
    >>> conv_output_size(28, 5, stride=2, padding=2)   # ⌊(28 + 4 − 4 − 1)/2⌋ + 1
    14
    """
    n = as_int(size, "size", minimum=1)
    k = as_int(kernel, "kernel", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    p = as_int(padding, "padding", minimum=0)
    d = as_int(dilation, "dilation", minimum=1)
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        raise ShapeError(
            _(
                "kernel {k} (spanning {span}) is larger than the padded input {value}; "
                "expected a kernel no larger than the input (add padding or use a "
                "smaller kernel). Received: size={n}, kernel={k}, padding={p}, "
                "dilation={d}",
                k=k,
                span=span,
                value=n + 2 * p,
                n=n,
                p=p,
                d=d,
            )
        )
    return positions(n + 2 * p, k, s, d)


def pool_output_size(
    size: int, kernel_size: int, stride: int | None = None, padding: int = 0, dilation: int = 1
) -> int:
    """Output length of a pooling window along one axis (``stride`` defaults to the kernel).

    Same formula as :func:`conv_output_size` with ``ceil_mode=False``, e.g. max-pooling 2×2 on
    24 rows: ``⌊(24 + 0 − 1 − 1)/2⌋ + 1 = 12``.

    >>> pool_output_size(24, 2)
    12
    """
    return conv_output_size(
        size, kernel_size, kernel_size if stride is None else stride, padding, dilation
    )
