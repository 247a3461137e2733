"""Named 3×3 and 5×5 kernels (filters) and a parser for kernels written by hand.

A kernel is a small matrix of weights slid over an image; the value at each output position is
the dot product of the kernel with the window under it (cross-correlation, as in PyTorch). For
example the deck's kernel ``[[1, 0, -1], [1, 0, 1], [1, 1, 1]]`` over the first window of the
Bidoof picture gives ``150 + 0 − 255 + 150 + 0 + 255 + 150 + 150 + 150 = 750``.

>>> get_kernel("sobel-x")
array([[-1.,  0.,  1.],
       [-2.,  0.,  2.],
       [-1.,  0.,  1.]])
>>> parse_kernel("1,0,-1;1,0,1;1,1,1").shape
(3, 3)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, resolve_lang, translate, unknown_name


@dataclass(frozen=True)
class NamedKernel:
    """A kernel with a one-line description in English and Spanish."""

    name: str
    weights: tuple[tuple[float, ...], ...]
    en: str  # English, marked N_; description() translates it

    def array(self) -> np.ndarray:
        """The weights as a new float64 array of shape (kH, kW)."""
        return np.array(self.weights, dtype=np.float64)

    def description(self, lang: str | None = None) -> str:
        """The description in ``lang`` (``"en"`` or ``"es"``; default from the environment).

        >>> KERNELS["sharpen"].description("es")
        'Enfocar: realza el centro frente a sus cuatro vecinos.'
        """
        return translate(self.en, resolve_lang(lang), {})

    def as_fraction(self) -> tuple[int, np.ndarray]:
        """``(d, whole numbers)`` with weights = whole numbers / d, the way kernels are printed.

        >>> d, whole = KERNELS["gaussian-3x3"].as_fraction()
        >>> d, whole.tolist()
        (16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
        """
        weights = self.array()
        for d in range(1, 1025):
            whole = np.rint(weights * d)
            if np.allclose(whole, weights * d, rtol=0, atol=1e-9):
                return d, whole.astype(np.int64)
        return 1, weights  # no small divisor: the weights as they are


def _scaled(rows: list[list[int]], divisor: int) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(v / divisor for v in row) for row in rows)


_BINOMIAL5 = [1, 4, 6, 4, 1]

_KERNELS = (
    NamedKernel(
        "identity",
        ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
        N_("Copies the image unchanged (only the centre weight is 1)."),
    ),
    NamedKernel(
        "box-blur",
        _scaled([[1] * 3] * 3, 9),
        N_("Blur: each output is the mean of its 3×3 window."),
    ),
    NamedKernel(
        "gaussian-3x3",
        _scaled([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 16),
        N_("Gaussian blur, 3×3: smooths while weighting the centre most."),
    ),
    NamedKernel(
        "gaussian-5x5",
        _scaled([[a * b for b in _BINOMIAL5] for a in _BINOMIAL5], 256),
        N_("Gaussian blur, 5×5 (binomial weights / 256): a stronger smoothing."),
    ),
    NamedKernel(
        "sharpen",
        ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
        N_("Sharpen: boosts the centre against its four neighbours."),
    ),
    NamedKernel(
        "laplacian",
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
        N_("Laplacian: responds to edges in every direction (sum of weights is 0)."),
    ),
    NamedKernel(
        "outline",
        ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
        N_("Outline: 8-neighbour Laplacian, bright where the picture changes."),
    ),
    NamedKernel(
        "sobel-x",
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
        N_("Sobel x: vertical edges (positive where brightness grows to the right)."),
    ),
    NamedKernel(
        "sobel-y",
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
        N_("Sobel y: horizontal edges (positive where brightness grows downwards)."),
    ),
    NamedKernel(
        "prewitt-x",
        ((-1, 0, 1), (-1, 0, 1), (-1, 0, 1)),
        N_("Prewitt x: vertical edges with equal row weights."),
    ),
    NamedKernel(
        "prewitt-y",
        ((-1, -1, -1), (0, 0, 0), (1, 1, 1)),
        N_("Prewitt y: horizontal edges with equal column weights."),
    ),
    NamedKernel(
        "emboss",
        ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
        N_("Emboss: a diagonal relief effect."),
    ),
    NamedKernel(
        "deck",
        ((1, 0, -1), (1, 0, 1), (1, 1, 1)),
        N_("The 3×3 kernel of the course deck's worked example."),
    ),
)

KERNELS: dict[str, NamedKernel] = {k.name: k for k in _KERNELS}


def kernel_names() -> list[str]:
    """Names of the built-in kernels, in display order."""
    return list(KERNELS)


def get_named_kernel(name: str) -> NamedKernel:
    """The :class:`NamedKernel` called ``name``; unknown names suggest the closest."""
    if name not in KERNELS:
        raise unknown_name(N_("kernel"), name, KERNELS)
    return KERNELS[name]


def get_kernel(name: str) -> np.ndarray:
    """The built-in kernel ``name`` as a float64 array of shape (kH, kW)."""
    return get_named_kernel(name).array()


_NUMBER_START = re.compile(r"^\s*[-+.\d\[]")


def kernel_from_spec(spec: str) -> np.ndarray:
    """A kernel from a name (``"sobel-x"``) or from numbers (``"1,0,-1;1,0,1;1,1,1"``).

    Text that starts like a number or holds ``,`` or ``;`` is read as numbers, so ``"nan,1"`` is
    refused for its value rather than as an unknown name.
    """
    if spec in KERNELS:
        return get_kernel(spec)
    if _NUMBER_START.match(spec) or ";" in spec or "," in spec:
        return parse_kernel(spec)
    raise unknown_name(N_("kernel"), spec, KERNELS)


def parse_kernel(text: str) -> np.ndarray:
    """Parse a kernel written as rows separated by ``;`` and values by ``,`` or spaces.

    >>> parse_kernel("1 2; 3 4").tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    example = _('expected rows separated by ";" and numbers by "," e.g. "1,0,-1;1,0,1;1,1,1"')
    rows_text = [r.strip() for r in text.strip().strip("[]").split(";")]
    if not text.strip() or any(not r for r in rows_text):
        raise InvalidArgumentError(_("kernel has an empty row; {example}. Received: {text!r}",
                                     example=example, text=text))  # fmt: skip
    rows = [[c for c in re.split(r"[,\s]+", r.strip("[] ")) if c] for r in rows_text]
    widths = [len(r) for r in rows]
    if len(set(widths)) != 1:
        raise InvalidArgumentError(_("kernel rows have different lengths {widths}; {example}. "
                                     "Received: {text!r}",
                                     widths=widths, example=example, text=text))  # fmt: skip
    values = []
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            try:
                value = float(cell)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise InvalidArgumentError(_("kernel value at row {i}, column {j} is not a finite "
                                             "number; {example}. Received: {cell!r}",
                                             i=i, j=j, example=example, cell=cell))  # fmt: skip
            values.append(value)
    return np.array(values, dtype=np.float64).reshape(len(rows), widths[0])
