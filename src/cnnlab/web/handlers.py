"""What each tab of the browser lab does, as plain functions (no server, no web framework).

Each handler takes the page's values, calls the library and returns a view: pictures as uint8
arrays, tables and explanations as HTML, and ``message`` when the library refused the input
(every CnnlabError becomes that message; the page shows it and keeps working). Nothing a page
sends is ever used as a path: an upload arrives as bytes, a sample or run by its name, and every
request is held to :data:`cnnlab.web.limits.LIMITS` before anything large is allocated.

>>> view = convolution("bidoof-worked", None, "1,0,-1;1,0,1;1,1,1", 1, "0", 1, "correlate", 0, 0)
>>> view.value
750.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.i18n import N_, _, group, shape_text, tr, unknown_name
from cnnlab.inputs import load_matrix_bytes
from cnnlab.models import PRESETS, summary
from cnnlab.models.build import parse_shape
from cnnlab.models.spec import parse_spec
from cnnlab.ops import avg_pool2d, explain_conv, explain_pool, max_pool2d
from cnnlab.ops._args import positions, resolve_padding
from cnnlab.ops.explain import convolve_image
from cnnlab.present.models import TEXT as MODEL_TEXT
from cnnlab.present.models import footer, shape_and_classes
from cnnlab.present.ops import (
    explain_head,
    fits_table,
    parse_padding,
    pool_words,
    position_labels,
    size_lines,
)
from cnnlab.present.ops import t as ops_t
from cnnlab.samples import get_sample, kernel_from_spec, sample_names
from cnnlab.viz._html import esc, table
from cnnlab.web import limits as L
from cnnlab.web.jobs import checkpoint
from cnnlab.web.render import gray, matrix_html
from cnnlab.web.text import t


@dataclass(frozen=True)
class ConvView:
    """The Convolution and Pooling tabs: pictures, the map as a table, the chosen cell explained."""

    input_image: np.ndarray | None = None  # (H, W) uint8 gray, one pixel per value
    map_image: np.ndarray | None = None
    sizes: str = ""  # HTML: shapes and the output-size formula filled in
    table: str = ""  # HTML: the map like the deck's table (small maps only)
    explain: str = ""  # HTML: window, kernel, dot product
    value: float | None = None  # the explained cell's value
    message: str = ""
    cell: tuple[int, int] | None = None  # the explained output cell (row, col)
    window: tuple[int, int, int, int] | None = None  # its window on the input: top, left,
    # bottom, right (exclusive), in input pixels, clipped to the picture (padding is not drawn)


def window_box(positions: np.ndarray) -> tuple[int, int, int, int] | None:
    """The input rectangle a window covers, from a step's ``input_positions`` (kH, kW, 2) with
    -1 for padding: ``(top, left, bottom, right)``, bottom and right exclusive; None when the
    window lies wholly in the padding."""
    rows, cols = positions[..., 0], positions[..., 1]
    rows, cols = rows[rows >= 0], cols[cols >= 0]
    if rows.size == 0 or cols.size == 0:
        return None
    return int(rows.min()), int(cols.min()), int(rows.max()) + 1, int(cols.max()) + 1


@dataclass(frozen=True)
class ModelView:
    table: str = ""
    lines: str = ""
    message: str = ""


def shows_errors(view: type):
    """Turn a CnnlabError raised by the handler into ``view(message=...)``."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except CnnlabError as exc:
                return view(message=str(exc))

        return inner

    return wrap


def whole(value: Any, name: str, least: int = 0) -> int:
    """A whole number from a page field (numbers, text or None; huge or odd values refused)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not number.is_integer() or number < least:
        raise InvalidArgumentError(
            _("{name} must be a whole number >= {least}; expected e.g. {name}={example}. "
              "Received: {name}={value!r}", name=name, least=least, example=least or 1,
              value=str(value)[:40])
        )  # fmt: skip
    return int(number)


def load_picture(
    sample: str | None, upload: bytes | None, lang: str, limits: L.Limits = L.LIMITS
) -> tuple[str, np.ndarray]:
    """``(name, 2-D float64 matrix)``: the uploaded bytes if any (PNG/JPEG, CSV or .npy, read
    by cnnlab's safe decoders within the lab's pixel limit), else the named sample."""
    if upload:
        L.check_at_most(N_("the uploaded file"), len(upload), limits.upload_bytes, N_("bytes"))
        image = load_matrix_bytes(upload, t("your_file", lang), limits.pixels, False, limits.side)
        L.check_picture(image.shape, limits)
        return t("your_file", lang), image
    if not sample:
        raise InvalidArgumentError(
            _("no input chosen; expected a sample name or a file. Received: nothing")
        )
    if sample not in sample_names():
        raise unknown_name(N_("sample"), str(sample)[:80], sample_names())
    return sample, get_sample(sample)


def read_kernel(text: str, limits: L.Limits = L.LIMITS) -> np.ndarray:
    """A typed or named kernel, its text and sides held to the lab's limits."""
    text = (text or "").strip()
    L.check_at_most(N_("the kernel text"), len(text), limits.kernel_text, N_("characters"))
    weights = kernel_from_spec(text)
    L.check_at_most(N_("the kernel's side"), max(weights.shape), limits.kernel_side)
    return weights


def convolve_strips(
    image: np.ndarray, weights: np.ndarray, stride: int, padding: Any, dilation: int, mode: str
) -> np.ndarray:
    """:func:`cnnlab.ops.explain.convolve_image`, computed a band of output rows at a time so
    that no column buffer exceeds :data:`cnnlab.web.limits.STRIP_BYTES` and a request whose
    client has gone stops between bands (:func:`cnnlab.web.jobs.checkpoint`); same values."""
    kh, kw = weights.shape
    pads = resolve_padding(padding, (kh, kw), (stride, stride), (dilation, dilation),
                           mirror=mode == "convolve")  # fmt: skip
    padded = np.pad(image, pads)
    span_h = dilation * (kh - 1) + 1
    out_h = positions(padded.shape[0], kh, stride, dilation)
    out_w = positions(padded.shape[1], kw, stride, dilation)
    if out_h < 1 or out_w < 1:  # too small: the library says why, in its words
        return convolve_image(image, weights, stride, padding, dilation, mode)
    band = max(1, L.STRIP_BYTES // (8 * (kh * kw + 1) * padded.shape[1] * max(1, stride)))
    parts = []
    for r0 in range(0, out_h, band):
        checkpoint()  # stop here if the client has gone
        r1 = min(out_h, r0 + band)
        rows = padded[r0 * stride : (r1 - 1) * stride + span_h]
        parts.append(convolve_image(rows, weights, stride, 0, dilation, mode))
    return np.concatenate(parts)  # (H_out, W_out)


def _map_of(sample, image, weights, s, pad, d, mode) -> np.ndarray:
    """The feature map (H_out, W_out); a sample's is kept, so that clicking cell after cell of
    one map computes it once (an upload's is computed each time: it is not kept)."""
    if sample is None:
        return convolve_strips(image, weights, s, pad, d, mode)
    return _sample_map(sample, weights.tobytes(), weights.shape, s, pad, d, mode)


@functools.lru_cache(maxsize=16)
def _sample_map(sample: str, kernel: bytes, shape: tuple, s, pad, d, mode) -> np.ndarray:
    weights = np.frombuffer(kernel, np.float64).reshape(shape)
    result = convolve_strips(get_sample(sample), weights, s, pad, d, mode)
    result.flags.writeable = False  # shared by every request that asks for it
    return result


def conv_settings(size, kernel, stride: Any, padding: Any, dilation: Any, mode: str) -> tuple:
    """``(stride, padding, dilation)`` from the page, held to the lab's limits together with the
    memory and work of the convolution they describe, before anything is allocated."""
    s, d = whole(stride, "stride", 1), whole(dilation, "dilation", 1)
    L.check_at_most(N_("stride"), s, L.LIMITS.stride)
    L.check_at_most(N_("dilation"), d, L.LIMITS.dilation)
    pad = parse_padding(str(padding or "0")[:40])
    pads = resolve_padding(pad, kernel, (s, s), (d, d), mode == "convolve")
    L.check_at_most(N_("padding"), max(max(p) for p in pads), L.LIMITS.padding,
                    N_("zeros per side"))  # fmt: skip
    L.check_work("this convolution", L.conv_cost(size, kernel, s, pads, d))
    return s, pad, d


@shows_errors(ConvView)
def convolution(
    sample: str | None,
    upload: str | None,
    kernel: str,
    stride: Any,
    padding: str,
    dilation: Any,
    mode: str,
    row: Any,
    col: Any,
    lang: str = "en",
) -> ConvView:
    """Slide ``kernel`` over the picture and explain output cell (row, col)."""
    name, image = load_picture(sample, upload, lang)
    weights = read_kernel(kernel)
    s, pad, d = conv_settings(image.shape, weights.shape, stride, padding, dilation, mode)
    result = _map_of(name if not upload else None, image, weights, s, pad, d, mode)
    lines = [
        t("used_input", lang, name=name, shape=shape_text(image.shape)),
        f"{ops_t('kernel', lang)}: {shape_text(weights.shape)} · "
        f"{ops_t('feature_map_first', lang)}: {shape_text(result.shape)}",
        *size_lines(image.shape, weights.shape, s, pad, d, lang, mode),
    ]
    view = ConvView(
        input_image=gray(image),
        map_image=gray(result),
        sizes="<pre class='sizes'>" + esc("\n".join(lines)) + "</pre>",
    )
    try:
        cell = (whole(row, "row"), whole(col, "col"))
        step = explain_conv(image, weights, *cell, stride=s, padding=pad, dilation=d, mode=mode)
    except CnnlabError as exc:
        return replace(view, table=_map_table(result, None, lang), message=str(exc))
    explain = explain_html(step, lang)
    return replace(view, table=_map_table(result, cell, lang), explain=explain, value=step.total,
                   cell=cell, window=window_box(step.input_positions))  # fmt: skip


def _map_table(
    result: np.ndarray, cell: tuple[int, int] | None, lang: str, name: str = "feature_map"
) -> str:
    title = f"{ops_t(name, lang)} {shape_text(result.shape)}"
    if not fits_table(result.shape):
        return f"<p class='note'>{esc(t('big_map', lang, shape=shape_text(result.shape)))}</p>"
    return matrix_html(result, title, mark=cell)


def explain_html(step, lang: str) -> str:
    """Window (with input positions), kernel and the dot product, as the CLI's ``explain``."""
    rows, cols = position_labels(step.input_positions)
    head = explain_head(step, lang)
    pad = f"<p class='note'>{esc(ops_t('pad_note', lang))}</p>" if "pad" in rows + cols else ""
    tables = matrix_html(step.window, ops_t("window", lang), rows, cols) + matrix_html(
        step.kernel, ops_t("kernel", lang)
    )
    dot = f"<p class='dot'><b>{esc(ops_t('dot', lang))}:</b> {esc(step.formula())}</p>"
    return f"<p>{esc(head)}</p><div class='pair'>{tables}</div>{pad}{dot}"


POOL_KINDS = {"max": max_pool2d, "avg": avg_pool2d}


@shows_errors(ConvView)
def pooling(
    sample: str | None,
    upload: str | None,
    kind: str,
    size: Any,
    stride: Any,
    padding: Any,
    row: Any,
    col: Any,
    lang: str = "en",
) -> ConvView:
    """Max- or average-pool the picture and explain output cell (row, col)."""
    if kind not in POOL_KINDS:
        raise InvalidArgumentError(
            _("unknown pooling kind; expected one of: {known}. Received: {kind!r}",
              known=", ".join(POOL_KINDS), kind=str(kind)[:40])
        )  # fmt: skip
    name, image = load_picture(sample, upload, lang)
    k, p = whole(size, "size", 1), whole(padding, "padding")
    s = whole(stride, "stride") or k  # 0 = the window size, as PyTorch's default
    L.check_at_most(N_("the window size"), k, L.LIMITS.pool_size)
    L.check_at_most(N_("stride"), s, L.LIMITS.stride)
    L.check_at_most(N_("padding"), p, L.LIMITS.padding, N_("zeros per side"))
    cost = L.conv_cost(image.shape, (k, k), s, ((p, p), (p, p)), 1)
    L.check_work("this pooling", (cost[0] - L.STRIP_BYTES, cost[1]))
    result = POOL_KINDS[kind](image[None], k, s, p)[0]  # (H_out, W_out)
    sizes = t("used_input", lang, name=name, shape=shape_text(image.shape))
    sizes += f" → {ops_t('pooled', lang)}: {shape_text(result.shape)}"
    view = ConvView(gray(image), gray(result), f"<p>{esc(sizes)}</p>")
    try:
        cell = (whole(row, "row"), whole(col, "col"))
        step = explain_pool(image, *cell, kind, k, s, p)
    except CnnlabError as exc:
        return replace(view, table=_map_table(result, None, lang, "pooled"), message=str(exc))
    head, verdict = pool_words(step, k, s, lang)
    rows, cols = position_labels(step.input_positions)
    window = matrix_html(step.window, ops_t("window", lang), rows, cols)
    explain = f"<p>{esc(head)}</p>{window}<p class='dot'>{esc(verdict)}</p>"
    table, box = _map_table(result, cell, lang, "pooled"), window_box(step.input_positions)
    return replace(view, table=table, explain=explain, value=step.value, cell=cell, window=box)


def check_spec(model: str, shape: tuple[int, ...], k: int | None, limits: L.Limits) -> None:
    """Spec length, layer count, input shape and classes within the lab's limits."""
    L.check_at_most(N_("the spec"), len(model), limits.spec_chars, N_("characters"))
    L.check_at_most(N_("the number of layers"), len(parse_spec(model)), limits.spec_layers)
    L.check_at_most(N_("an input dimension"), max(shape), limits.shape_side)
    if len(shape) > 1:
        L.check_at_most(N_("the input channels"), shape[0], limits.channels)
    if k is not None:
        L.check_at_most(N_("the number of classes"), k, limits.classes)


@shows_errors(ModelView)
def model_summary(
    model: str, input_shape: str, classes: Any, lang: str = "en", limits: L.Limits = L.LIMITS
) -> ModelView:
    """The layer table (output shapes, parameters, mult-adds) and the MLP comparison.

    Computed from shapes alone: no weight is allocated, whatever the spec."""

    model = str(model or "").strip()
    L.check_at_most(N_("the spec"), len(model), limits.spec_chars, N_("characters"))
    shape_in = str(input_shape or "").strip()[:100] or None
    k = None if classes in (None, "", 0) else whole(classes, "classes", 1)
    shape, k = shape_and_classes(model, shape_in, None, k)
    spec = PRESETS[model.lower()].spec if model.lower() in PRESETS else model
    check_spec(spec, parse_shape(shape), k, limits)
    s = summary(model, shape, k)
    L.check_at_most(N_("the parameter count"), s.total_params, limits.params)
    head = [tr(MODEL_TEXT, key, lang) for key in ("layer", "spec", "output", "params", "macs")]
    rows = [[tr(MODEL_TEXT, "input", lang), "", shape_text(s.input_shape), "", ""]]
    rows += [
        [r.name, r.layer, shape_text(r.output_shape), group(r.params, lang),
         group(r.mult_adds, lang)]
        for r in s.rows
    ]  # fmt: skip
    total = [tr(MODEL_TEXT, "total", lang), "", "", group(s.total_params, lang),
             group(s.total_mult_adds, lang)]  # fmt: skip
    numeric = [False, False, True, True, True]
    html = f"<div class='summary'>{table(head, rows, numeric, total)}</div>"
    lines = "".join(f"<p>{esc(line)}</p>" for line in footer(s, lang))
    return ModelView(table=html, lines=lines)
