"""Built-in inputs: the deck's pixel-art image, named kernels (filters) and offline photos.

>>> from cnnlab.samples import get_sample, get_kernel
>>> get_sample("bidoof-worked").shape, get_kernel("deck").shape
((20, 19), (3, 3))
"""

from __future__ import annotations

from cnnlab.samples.images import (
    DECK_PRINTED_OUTPUT,
    SAMPLES,
    Sample,
    deck_mismatches,
    get_sample,
    get_sample_info,
    sample_names,
)
from cnnlab.samples.kernels import (
    KERNELS,
    NamedKernel,
    get_kernel,
    get_named_kernel,
    kernel_from_spec,
    kernel_names,
    parse_kernel,
)

__all__ = [
    "DECK_PRINTED_OUTPUT",
    "KERNELS",
    "SAMPLES",
    "NamedKernel",
    "Sample",
    "deck_mismatches",
    "get_kernel",
    "get_named_kernel",
    "get_sample",
    "get_sample_info",
    "kernel_from_spec",
    "kernel_names",
    "parse_kernel",
    "sample_names",
]
