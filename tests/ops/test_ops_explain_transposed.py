"""How one input value of a transposed convolution spreads over the output."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.errors import InvalidArgumentError
from cnnlab.ops import conv_transpose2d, explain_transposed


@settings(max_examples=40)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3),
       st.integers(0, 2), st.integers(0, 2**32 - 1))  # fmt: skip
def test_the_spread_windows_add_up_to_the_output(h, w, k, s, p, seed):
    rng = np.random.default_rng(seed)
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(k, k))
    if (h - 1) * s + k - 2 * p < 1 or (w - 1) * s + k - 2 * p < 1:
        return
    total = np.zeros_like(conv_transpose2d(image[None, None], kernel[None, None], stride=s,
                                           padding=p)[0, 0])  # fmt: skip
    for r in range(h):
        for c in range(w):
            step = explain_transposed(image, kernel, r, c, s, p)
            np.testing.assert_allclose(step.contribution, image[r, c] * kernel)
            inside = step.output_positions[..., 0] >= 0
            rows, cols = step.output_positions[inside].T
            np.add.at(total, (rows, cols), step.contribution[inside])
    np.testing.assert_allclose(total, step.output, atol=1e-12)


def test_hand_checkable_window_and_overlap():
    image, kernel = np.array([[1.0, 2.0]]), np.ones((3, 3))
    step = explain_transposed(image, kernel, 0, 1, stride=2)
    assert step.output_origin == (0, 2)
    assert step.output_positions[0, :, 1].tolist() == [2, 3, 4]
    assert step.output[0].tolist() == [1, 1, 3, 2, 2]  # column 2 receives both windows
    assert step.formula().startswith("2·1 = 2")
    cut = explain_transposed(image, kernel, 0, 0, stride=2, padding=1)
    assert cut.output_origin == (-1, -1) and cut.output_positions[0, 0].tolist() == [-1, -1]


def test_a_cell_outside_the_input_is_refused():
    with pytest.raises(InvalidArgumentError, match=r"outside the 1×2 input.*Received: --at 0,2"):
        explain_transposed(np.ones((1, 2)), np.ones((2, 2)), 0, 2)
