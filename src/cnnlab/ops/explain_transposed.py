"""Step-by-step record of a transposed convolution: where one input value goes.

A convolution gathers a window of the input into one output value; a transposed convolution
does the mirror: input value x[r, c] is multiplied by the whole kernel and *added* onto the
output window whose top-left corner is (r·s − p, c·s − p). Windows of neighbouring inputs start
s apart, so with a kernel wider than the stride they overlap and their contributions add up.
Example: stride 2, a 3×3 kernel: x[0, 0] writes rows 0..2 and x[0, 1] rows 0..2 of columns
2..4; column 2 receives both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.ops._args import as_float_array, as_int, check_ndim
from cnnlab.ops.conv_transpose import conv_transpose2d
from cnnlab.ops.explain import format_number


@dataclass(frozen=True, eq=False)
class SpreadStep:
    """How input value ``(row, col)`` of a transposed convolution is spread over the output."""

    row: int
    col: int
    value: float  # x[row, col]
    kernel: np.ndarray  # (kH, kW)
    contribution: np.ndarray  # (kH, kW) value · kernel, added onto the output window
    output_origin: tuple[int, int]  # top-left (r, c) of the window in the output (< 0: cut)
    output_positions: np.ndarray  # (kH, kW, 2) (r, c) in the output, -1 where padding cut it
    output: np.ndarray  # (H_out, W_out) the whole transposed convolution of the input
    stride: int
    padding: int

    def formula(self) -> str:
        """``x[r, c]·K``, e.g. ``3·K`` with the first products: ``3·1 = 3, 3·0 = 0, …``."""
        pairs = zip(self.kernel.ravel(), self.contribution.ravel(), strict=True)
        terms = [f"{format_number(self.value)}·{format_number(k)} = {format_number(c)}"
                 for k, c in pairs]  # fmt: skip
        return ", ".join(terms)


def explain_transposed(
    image: object, kernel: object, row: int, col: int, stride: int = 1, padding: int = 0
) -> SpreadStep:
    """Explain how input cell ``(row, col)`` of a 2-D ``image`` spreads over the output of
    ``conv_transpose2d(image, kernel, stride, padding)``."""
    img, ker = np.asarray(image), np.asarray(kernel)
    check_ndim(img, "image", {2: "(H, W)"})
    check_ndim(ker, "kernel", {2: "(kH, kW)"})
    img, ker = as_float_array(img, "image"), as_float_array(ker, "kernel")
    s, p = as_int(stride, "stride", minimum=1), as_int(padding, "padding", minimum=0)
    out = conv_transpose2d(img[None, None], ker[None, None], stride=s, padding=p)[0, 0]
    r, c = as_int(row, "row", minimum=0), as_int(col, "col", minimum=0)
    if r >= img.shape[0] or c >= img.shape[1]:
        raise InvalidArgumentError(
            _(
                "input position ({r}, {c}) is outside the {shape_0}×{shape_1} input; "
                "expected 0 <= row < {shape_0} and 0 <= col < {shape_1}. Received: --at "
                "{r},{c}",
                r=r,
                c=c,
                shape_0=img.shape[0],
                shape_1=img.shape[1],
            )
        )
    top, left = r * s - p, c * s - p
    rows = np.arange(top, top + ker.shape[0])
    cols = np.arange(left, left + ker.shape[1])
    rows = np.where((rows >= 0) & (rows < out.shape[0]), rows, -1)
    cols = np.where((cols >= 0) & (cols < out.shape[1]), cols, -1)
    grid = np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1)  # (kH, kW, 2)
    grid[(grid[..., 0] < 0) | (grid[..., 1] < 0)] = -1
    value = float(img[r, c])
    return SpreadStep(r, c, value, ker, value * ker, (top, left), grid, out, s, p)
