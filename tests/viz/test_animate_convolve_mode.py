"""True convolution with padding="same" and an even kernel: every frame agrees with explain_conv."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.ops import convolve2d
from cnnlab.ops.explain import explain_conv
from cnnlab.viz.animate import conv_steps


@pytest.mark.parametrize("cells", [None, [0, 5, 11]])
def test_convolve_same_even_kernel_matches_scipy_convention(cells):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 9, (5, 6)).astype(np.float64)
    kernel = rng.integers(-2, 3, (2, 2)).astype(np.float64)
    steps, fmap = conv_steps(image, kernel, padding="same", mode="convolve", cells=cells)
    np.testing.assert_allclose(fmap, convolve2d(image, kernel, padding="same"))
    for index, step in steps.items():
        row, col = divmod(index, fmap.shape[1])
        assert step.total == pytest.approx(fmap[row, col])
        assert step.total == pytest.approx(
            explain_conv(image, kernel, row, col, padding="same", mode="convolve").total
        )
