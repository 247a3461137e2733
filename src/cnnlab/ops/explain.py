"""Step-by-step records of one convolution or pooling output value, as plain data.

``explain_conv`` says which input window an output value reads, the kernel as applied, the
products and their sum; ``explain_pool`` says which window a pooled value comes from and which
pixel won. The CLI and the web page render these records; nothing here is worded for people
except the formulas, which use only numbers and math signs (``·``, ``−``, ``⌊⌋``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, number
from cnnlab.ops._args import (
    Pads,
    Pair,
    as_float_array,
    as_int,
    as_pair,
    check_kernel_fits,
    check_mode,
    check_ndim,
    resolve_padding,
)
from cnnlab.ops.conv import conv2d
from cnnlab.ops.pool import check_pool_padding
from cnnlab.ops.sizes import conv_output_size


def format_number(value: float, lang: str | None = None) -> str:
    """``3.0 -> "3"``, ``-1.0 -> "−1"``, ``0.25 -> "0.25"`` (at most 4 significant digits), in
    ``lang``'s marks (default: the current language; Spanish ``0,25``)."""
    v = float(value)
    text = str(int(v)) if v.is_integer() and abs(v) < 1e15 else number(v, ".4g", lang)
    return text.replace("-", "−")


def _factor(value: float) -> str:
    text = format_number(value)
    return f"({text})" if text.startswith("−") else text


@dataclass(frozen=True, eq=False)
class ConvStep:
    """How output value ``(row, col)`` of a 2-D convolution is computed."""

    row: int
    col: int
    window: np.ndarray  # (kH, kW) input values under the kernel, padding zeros included
    kernel: np.ndarray  # (kH, kW) kernel as applied (flipped for true convolution)
    products: np.ndarray  # (kH, kW) window * kernel
    total: float  # sum of products + bias
    bias: float
    input_origin: tuple[int, int]  # top-left (r, c) of the window in the padded input
    input_positions: np.ndarray  # (kH, kW, 2) (r, c) in the original image, -1 for padding
    output_shape: tuple[int, int]

    def terms(self) -> tuple[str, ...]:
        """Each product as text, e.g. ``("150·1", "150·0", "255·(−1)", ...)``."""
        pairs = zip(self.window.ravel(), self.kernel.ravel(), strict=True)
        return tuple(f"{_factor(w)}·{_factor(k)}" for w, k in pairs)

    def formula(self, max_terms: int | None = None) -> str:
        """The dot product written out: ``150·1 + 150·0 + 255·(−1) + … = 750``.

        With ``max_terms``, only the first that many products are shown, then ``…``.
        """
        terms = list(self.terms())
        if max_terms is not None and len(terms) > max_terms:
            terms = [*terms[: max(max_terms, 0)], "…"]
        if self.bias:
            terms.append(_factor(self.bias))
        return " + ".join(terms) + f" = {format_number(self.total)}"


@dataclass(frozen=True, eq=False)
class PoolStep:
    """How output value ``(row, col)`` of a 2-D pooling is computed."""

    row: int
    col: int
    window: np.ndarray  # (k, k) input values in the window (padding: -inf for max, 0 for avg)
    kind: str  # "max" or "avg"
    value: float  # the pooled value (the max, or the mean)
    winner: tuple[int, int] | None  # max: (r, c) of the largest value inside the window
    winner_input: tuple[int, int] | None  # max: (r, c) of that value in the input image
    mean: float | None  # avg: the mean of the window (padding zeros counted, as in PyTorch)
    input_origin: tuple[int, int]  # top-left (r, c) of the window in the padded input
    input_positions: np.ndarray  # (kH, kW, 2) (r, c) in the original image, -1 for padding
    output_shape: tuple[int, int]


def size_formula(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> str:
    """The output-size formula filled in, e.g. ``⌊(20 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 18``."""
    out = conv_output_size(n, k, s, p, d)
    return f"⌊({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {out}"


def _image(image: object, name: str = "image") -> np.ndarray:
    arr = np.asarray(image)
    check_ndim(arr, name, {2: "(H, W)"})
    return as_float_array(arr, name)


def _positions(pads: Pads, size: Pair, origin: Pair, taps: Pair, dilation: Pair) -> np.ndarray:
    """(r, c) in the original image of each tap of a window, or (-1, -1) for padding."""
    rows = origin[0] + dilation[0] * np.arange(taps[0]) - pads[0][0]  # (kH,)
    cols = origin[1] + dilation[1] * np.arange(taps[1]) - pads[1][0]  # (kW,)
    rr, cc = np.meshgrid(rows, cols, indexing="ij")  # (kH, kW) each
    inside = (rr >= 0) & (rr < size[0]) & (cc >= 0) & (cc < size[1])
    pos = np.stack([rr, cc], axis=-1)  # (kH, kW, 2)
    pos[~inside] = -1
    return pos


def _window_at(
    img: np.ndarray,
    taps: Pair,
    row: int,
    col: int,
    stride: Pair,
    padding: object,
    dilation: Pair,
    fill: float,
    mirror: bool = False,
) -> tuple[np.ndarray, Pair, np.ndarray, Pair]:
    """The window under output (row, col): values, origin, original positions, output shape."""
    pads = resolve_padding(padding, taps, stride, dilation, mirror)
    padded = np.pad(img, pads, constant_values=fill)  # (Hp, Wp)
    check_kernel_fits(padded.shape, taps, dilation, img.shape)
    shape = tuple(
        conv_output_size(n, k, s, 0, d)
        for n, k, s, d in zip(padded.shape, taps, stride, dilation, strict=True)
    )
    for name, value, limit in (("row", row, shape[0]), ("col", col, shape[1])):
        if not 0 <= value < limit:
            raise InvalidArgumentError(
                _(
                    "{name} {value} is outside the output; expected 0 <= {name} < "
                    "{limit} for an output of {shape_0}×{shape_1}. Received: "
                    "{name}={value}",
                    name=name,
                    value=value,
                    limit=limit,
                    shape_0=shape[0],
                    shape_1=shape[1],
                )
            )
    origin = (row * stride[0], col * stride[1])
    window = padded[origin[0] :: dilation[0], origin[1] :: dilation[1]][: taps[0], : taps[1]]
    positions = _positions(pads, img.shape, origin, taps, dilation)
    return window.copy(), origin, positions, shape  # type: ignore[return-value]


def explain_conv(
    image2d: object,
    kernel2d: object,
    row: int,
    col: int,
    stride: int = 1,
    padding: object = 0,
    dilation: int = 1,
    mode: str = "correlate",
    bias: float = 0.0,
) -> ConvStep:
    """Explain output value ``(row, col)`` of ``correlate2d``/``convolve2d`` of one image.

    Example (the deck): the 20×19 picture and kernel [[1,0,-1],[1,0,1],[1,1,1]] at (0, 0):
    ``150·1 + 150·0 + 255·(−1) + 150·1 + … = 750``. With ``mode="convolve"`` and
    ``padding="same"``, an even kernel's extra padding goes top/left, as in :func:`convolve2d`.
    """
    img, ker = _image(image2d), _image(kernel2d, "kernel")
    check_mode(mode, "mode", ("correlate", "convolve"))
    applied = ker[::-1, ::-1].copy() if mode == "convolve" else ker
    stride_, dilation_ = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    row, col = as_int(row, "row"), as_int(col, "col")
    window, origin, positions, shape = _window_at(
        img, applied.shape, row, col, stride_, padding, dilation_, 0.0, mode == "convolve"
    )
    check_ndim(np.asarray(bias), "bias", {0: "number"})
    b = float(as_float_array(bias, "bias")[0])  # (1,): NumPy makes a contiguous 0-D array 1-D
    products = window * applied  # (kH, kW)
    total = float(products.sum() + b)
    return ConvStep(row, col, window, applied, products, total, b, origin, positions, shape)


def convolve_image(
    image2d: object,
    kernel2d: object,
    stride: int = 1,
    padding: object = 0,
    dilation: int = 1,
    mode: str = "correlate",
) -> np.ndarray:
    """The whole map whose values :func:`explain_conv` explains: one image, one kernel.

    ``mode="correlate"`` is :func:`correlate2d` (as in CNNs), ``"convolve"`` flips the kernel as
    :func:`convolve2d` does, and both also take ``dilation``. With ``padding="same"`` an even
    kernel's extra padding goes bottom/right for correlate and top/left for convolve (there the
    image and the result are flipped instead of the kernel), e.g. the deck: 20×19 → 18×17.
    """
    img, ker = _image(image2d), _image(kernel2d, "kernel")
    check_mode(mode, "mode", ("correlate", "convolve"))
    if mode == "convolve" and isinstance(padding, str) and padding == "same":
        flipped = convolve_image(img[::-1, ::-1], ker, stride, padding, dilation)
        return flipped[::-1, ::-1].copy()
    applied = ker[::-1, ::-1] if mode == "convolve" else ker
    y = conv2d(img[None, None], applied[None, None], None, stride, padding, dilation)
    return y[0, 0]  # (H_out, W_out)


def explain_pool(
    image2d: object,
    row: int,
    col: int,
    kind: str = "max",
    kernel_size: int = 2,
    stride: int | None = None,
    padding: int = 0,
) -> PoolStep:
    """Explain output value ``(row, col)`` of a 2-D max or average pooling of one image.

    Example: max-pooling [[1, 3], [2, 0]] with a 2×2 window gives 3, won at (0, 1).
    """
    img = _image(image2d)
    check_mode(kind, N_("pooling kind"), ("max", "avg"))
    taps = as_pair(kernel_size, "kernel_size", 1)
    stride_ = taps if stride is None else as_pair(stride, "stride", 1)
    row, col = as_int(row, "row"), as_int(col, "col")
    fill = -np.inf if kind == "max" else 0.0
    pad = as_pair(padding, "padding", 0)
    check_pool_padding(pad, taps)
    window, origin, positions, shape = _window_at(img, taps, row, col, stride_, pad, (1, 1), fill)
    if kind == "avg":
        mean = float(window.mean())
        return PoolStep(row, col, window, kind, mean, None, None, mean, origin, positions, shape)
    r, c = (int(i) for i in np.unravel_index(int(np.argmax(window)), window.shape))
    winner_input = (int(positions[r, c, 0]), int(positions[r, c, 1]))
    return PoolStep(
        row,
        col,
        window,
        kind,
        float(window[r, c]),
        (r, c),
        winner_input,
        None,
        origin,
        positions,
        shape,
    )
