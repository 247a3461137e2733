"""Shared argument normalization and checks for :mod:`cnnlab.ops`.

Every op calls these helpers, so one kind of mistake always gives one kind of message:
what is wrong; what was expected. Received: what arrived.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _, shape_text, unknown_name

Pair = tuple[int, int]
Pads = tuple[Pair, Pair]  # ((top, bottom), (left, right))

PADDING_NAMES = ("valid", "same", "full")
PADDING_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def positions(length: int, kernel: int, stride: int = 1, dilation: int = 1) -> int:
    """How many places a window of ``kernel`` taps (``dilation`` apart) takes along ``length``
    cells moving ``stride`` at a time: ``⌊(length − d·(k − 1) − 1) / s⌋ + 1``, the output-size
    formula with the padding already counted in ``length`` (< 1 when the window does not fit)."""
    return (length - dilation * (kernel - 1) - 1) // stride + 1


def as_pair(value: int | Sequence[int], name: str, minimum: int | None = None) -> Pair:
    """Return ``value`` as ``(height, width)``: ``3 -> (3, 3)``, ``(2, 1) -> (2, 1)``.

    With ``minimum``, each entry must be at least that, e.g. ``stride=0`` is refused.
    """
    if _is_int(value):
        pair = (int(value), int(value))
    elif (
        isinstance(value, Sequence | np.ndarray)
        and len(value) == 2
        and all(_is_int(v) for v in value)
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise InvalidArgumentError(
            _(
                "{name} must be an int or a pair of ints; expected e.g. {name}=2 or "
                "{name}=(2, 1). Received: {name}={value!r}",
                name=name,
                value=value,
            )
        )
    if minimum is not None and min(pair) < minimum:
        raise InvalidArgumentError(
            _(
                "{name} must be at least {minimum}; expected an int >= {minimum} or a "
                "pair of them. Received: {name}={value!r}",
                name=name,
                minimum=minimum,
                value=value,
            )
        )
    return pair


def as_int(value: object, name: str, minimum: int | None = None) -> int:
    """Return ``value`` as an int, refusing floats, bools and values below ``minimum``."""
    if not _is_int(value) or (minimum is not None and int(value) < minimum):  # type: ignore[call-overload]
        example = max(minimum or 0, 1)
        if minimum is None:
            raise InvalidArgumentError(
                _("{name} must be an int; expected e.g. {name}={example}. Received: "
                  "{name}={value!r}", name=name, example=example, value=value)
            )  # fmt: skip
        raise InvalidArgumentError(
            _("{name} must be an int >= {minimum}; expected e.g. {name}={example}. Received: "
              "{name}={value!r}", name=name, minimum=minimum, example=example, value=value)
        )  # fmt: skip
    return int(value)  # type: ignore[call-overload]


def as_float_array(value: object, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """Return ``value`` as a float32/float64 array (ints and bools become float64).

    float16 becomes float32; ``dtype`` forces a common dtype. NaN and infinity are refused.
    """
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind not in "biuf":
        raise InvalidArgumentError(
            _(
                "{name} must hold real numbers; expected an int or float array. "
                "Received: dtype {dtype}",
                name=name,
                dtype=arr.dtype,
            )
        )
    if dtype is None:
        dtype = float_dtype(arr.dtype)
    arr = np.ascontiguousarray(arr, dtype=dtype)
    check_finite(arr, name)
    return arr


def float_dtype(*dtypes: np.dtype) -> np.dtype:
    """The float dtype ops compute in: float32 if every input is float32/16, else float64."""
    if all(np.dtype(d) in (np.dtype(np.float32), np.dtype(np.float16)) for d in dtypes):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def check_finite(arr: np.ndarray, name: str) -> None:
    """Refuse NaN or infinity (a fast sum first; the exact check only if the sum is not finite)."""
    if arr.size and not np.isfinite(arr.sum()) and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InvalidArgumentError(
            _(
                "{name} contains NaN or infinity; expected finite numbers. Received: "
                "{value} at index {index}",
                name=name,
                value=arr[tuple(bad)],
                index=tuple(int(i) for i in bad),
            )
        )


def check_ndim(arr: np.ndarray, name: str, allowed: dict[int, str]) -> None:
    """Refuse an array whose number of dimensions is not a key of ``allowed`` (ndim -> layout)."""
    if arr.ndim not in allowed:
        layouts = _(" or ").join(
            _("{n}-D {layout}", n=n, layout=layout) for n, layout in allowed.items()
        )
        raise ShapeError(
            _(
                "{name} has {ndim} dimensions; expected {layouts}. Received: {name} of "
                "shape {shape}",
                name=name,
                ndim=arr.ndim,
                layouts=layouts,
                shape=tuple(arr.shape),
            )
        )


def check_mode(mode: str, kind: str, known: Sequence[str]) -> str:
    """Return ``mode`` if it is one of ``known``; otherwise raise an unknown-name error."""
    if not isinstance(mode, str) or mode not in known:
        raise unknown_name(kind, str(mode), known)
    return mode


def resolve_padding(
    padding: object, kernel: Pair, stride: Pair, dilation: Pair, mirror: bool = False
) -> Pads:
    """Turn ``padding`` into ``((top, bottom), (left, right))`` zeros added around the input.

    ``"valid"`` adds none, ``"full"`` adds ``d·(k − 1)`` on every side, ``"same"`` splits
    ``d·(k − 1)`` as PyTorch does (the extra one goes to the bottom/right for even kernels) and
    needs ``stride=1``; an int or pair pads both sides equally. ``mirror=True`` puts the extra
    one on the top/left instead, as ``scipy.signal.convolve2d`` and :func:`convolve2d` do for a
    true (flipped-kernel) convolution: a 2×2 kernel gives ``((1, 0), (1, 0))``.
    """
    if isinstance(padding, str):
        check_mode(padding, "padding", PADDING_NAMES)
        totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "full":
            return ((totals[0], totals[0]), (totals[1], totals[1]))
        if stride != (1, 1):
            raise InvalidArgumentError(
                _(
                    "padding='same' needs stride 1 (as in PyTorch); expected stride=1 or "
                    "a number for padding. Received: stride={stride}",
                    stride=stride,
                )
            )
        split = [(t // 2, t - t // 2) for t in totals]
        return tuple((b, a) if mirror else (a, b) for a, b in split)  # type: ignore[return-value]
    ph, pw = as_pair(padding, "padding", minimum=0)  # type: ignore[arg-type]
    return ((ph, ph), (pw, pw))


def check_pad_mode(pads: Pads, size: Pair, padding_mode: str) -> str:
    """Check ``padding_mode`` and that reflect/circular padding fits the input, like PyTorch."""
    check_mode(padding_mode, "padding_mode", tuple(PADDING_MODES))
    for (before, after), n in zip(pads, size, strict=True):
        too_big = (padding_mode == "reflect" and max(before, after) >= n) or (
            padding_mode == "circular" and max(before, after) > n
        )
        if too_big:
            limit = _("smaller than") if padding_mode == "reflect" else _("at most")
            raise InvalidArgumentError(
                _(
                    "{padding_mode} padding of {pad} does not fit an input side of {n}; "
                    "expected padding {limit} the input size. Received: padding={pads}",
                    padding_mode=padding_mode,
                    pad=max(before, after),
                    n=n,
                    limit=limit,
                    pads=pads,
                )
            )
    return padding_mode


def pad2d(x: np.ndarray, pads: Pads, padding_mode: str = "zeros") -> np.ndarray:
    """Pad the last two axes of ``x`` by ``pads`` with zeros/reflect/replicate/circular."""
    if pads == ((0, 0), (0, 0)):
        return x
    width = [(0, 0)] * (x.ndim - 2) + [pads[0], pads[1]]
    return np.pad(x, width, mode=PADDING_MODES[padding_mode])  # type: ignore[call-overload]


def unpad2d_grad(grad: np.ndarray, size: Pair, pads: Pads, padding_mode: str) -> np.ndarray:
    """Backward of :func:`pad2d`: add each padded cell's gradient to the input cell it copies."""
    (top, bottom), (left, right) = pads
    if padding_mode == "zeros":
        return grad[..., top : grad.shape[-2] - bottom, left : grad.shape[-1] - right]
    h, w = size
    source = pad2d(np.arange(h * w).reshape(h, w), pads, padding_mode).ravel()  # (Hp·Wp,)
    flat = grad.reshape(-1, grad.shape[-2] * grad.shape[-1])  # (B, Hp·Wp)
    out = np.zeros((flat.shape[0], h * w), dtype=grad.dtype)  # (B, H·W)
    np.add.at(out, (slice(None), source), flat)
    return out.reshape(*grad.shape[:-2], h, w)


def check_kernel_fits(padded: Pair, kernel: Pair, dilation: Pair, original: Pair) -> Pair:
    """Return the dilated kernel's span ``(d·(kH − 1) + 1, d·(kW − 1) + 1)``, or raise if the
    kernel is empty or its span does not fit inside ``padded`` (the padded input size).

    >>> check_kernel_fits((5, 5), (3, 3), (2, 2), (5, 5))
    (5, 5)
    """
    if min(kernel) < 1:
        raise ShapeError(
            _(
                "kernel {kernel} is empty; expected at least one row and "
                "one column. Received: kernel {kernel}",
                kernel=shape_text(kernel),
            )
        )
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True))
    if span[0] > padded[0] or span[1] > padded[1]:
        dilated = _(" (dilated to {span})", span=shape_text(span)) if span != kernel else ""
        raise ShapeError(
            _(
                "kernel {kernel}{dilated} is larger than the padded input {padded}; expected "
                "a kernel no larger than the input (add padding or use a smaller kernel). "
                "Received: input {original}, kernel {kernel}",
                kernel=shape_text(kernel),
                dilated=dilated,
                padded=shape_text(padded),
                original=shape_text(original),
            )
        )
    return span  # type: ignore[return-value]


def tap_slices(
    kernel: Pair, stride: Pair, dilation: Pair, out: Pair
) -> Iterator[tuple[slice, slice]]:
    """For each position (i, j) inside the window, the strided slices of the padded input.

    ``x[..., rows, cols]`` is then the (H_out, W_out) grid of values that tap (i, j) reads.
    """
    (kh, kw), (sh, sw), (dh, dw), (ho, wo) = kernel, stride, dilation, out
    for i in range(kh):
        for j in range(kw):
            yield (
                slice(i * dh, i * dh + sh * (ho - 1) + 1, sh),
                slice(j * dw, j * dw + sw * (wo - 1) + 1, sw),
            )
