"""What each tab of the browser lab does, as plain functions (no server, no Gradio).

Each handler takes the page's values, calls the library and returns a view: pictures as uint8
arrays, tables and explanations as HTML, and ``message`` when the library refused the input
(every CnnlabError becomes that message; the page shows it and keeps working).

>>> view = convolution("bidoof-worked", None, "1,0,-1;1,0,1;1,1,1", 1, "0", 1, "correlate", 0, 0)
>>> view.value
750.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from cnnlab.cli.model_cmds import TEXT as MODEL_TEXT
from cnnlab.cli.model_cmds import _footer, _from_run, _shape_and_classes, group
from cnnlab.cli.ops_cmds import _pool_lines, _position_labels
from cnnlab.cli.ops_render import fits_table, parse_padding, shape_text, size_lines
from cnnlab.cli.ops_render import t as ops_t
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.i18n import tr
from cnnlab.inputs import load_input
from cnnlab.ops import avg_pool2d, explain_conv, explain_pool, max_pool2d
from cnnlab.ops.explain import convolve_image
from cnnlab.samples import kernel_from_spec
from cnnlab.viz._html import esc, table
from cnnlab.web.render import error_html, matrix_html, png_bytes, to_screen
from cnnlab.web.text import t


@dataclass(frozen=True)
class ConvView:
    """The Convolution tab: pictures, the map as a table, the chosen cell explained."""

    input_image: np.ndarray | None = None  # (H', W') uint8, enlarged for the screen
    map_image: np.ndarray | None = None
    sizes: str = ""  # HTML: shapes and the output-size formula filled in
    table: str = ""  # HTML: the map like the deck's table (small maps only)
    explain: str = ""  # HTML: window, kernel, dot product
    value: float | None = None  # the explained cell's value
    message: str = ""


@dataclass(frozen=True)
class ModelView:
    table: str = ""
    lines: str = ""
    message: str = ""


@dataclass(frozen=True)
class DrawView:
    probs: dict[str, float] = field(default_factory=dict)
    seen: np.ndarray | None = None  # what the model sees, enlarged
    note: str = ""  # a friendly hint: no run loaded, empty canvas, which run is loaded
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
    """A whole number from a page field (Gradio gives floats or None)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not number.is_integer() or number < least:
        raise InvalidArgumentError(
            f"{name} must be a whole number >= {least}; expected e.g. {name}={least or 1}. "
            f"Received: {name}={value!r}"
        )
    return int(number)


def load_picture(sample: str | None, upload: str | None, lang: str) -> tuple[str, np.ndarray]:
    """``(name, 2-D float64 matrix)``: the uploaded file if any (image, CSV or .npy, read with
    cnnlab's safe decoder and its pixel limit), else the sample."""
    if upload:
        return t("your_file", lang), load_input(str(upload))
    if not sample:
        raise InvalidArgumentError(
            "no input chosen; expected a sample name or a file. Received: nothing"
        )
    return sample, load_input(sample)


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
    weights = kernel_from_spec((kernel or "").strip())
    s, d = whole(stride, "stride", 1), whole(dilation, "dilation", 1)
    pad = parse_padding(padding or "0")
    result = convolve_image(image, weights, s, pad, d, mode)  # (H_out, W_out)
    lines = [
        t("used_input", lang, name=name, shape=shape_text(image.shape)),
        f"{ops_t('kernel', lang)}: {shape_text(weights.shape)} · "
        f"{ops_t('feature_map_first', lang)}: {shape_text(result.shape)}",
        *size_lines(image.shape, weights.shape, s, pad, d, lang, mode),
    ]
    view = ConvView(
        input_image=to_screen(image),
        map_image=to_screen(result),
        sizes="<pre class='sizes'>" + esc("\n".join(lines)) + "</pre>",
    )
    cell = None
    try:
        cell = (whole(row, "row"), whole(col, "col"))
        step = explain_conv(image, weights, *cell, stride=s, padding=pad, dilation=d, mode=mode)
    except CnnlabError as exc:
        return replace(view, table=_map_table(result, None, lang), message=str(exc))
    explain = _explain_html(step, lang)
    return replace(view, table=_map_table(result, cell, lang), explain=explain, value=step.total)


def _map_table(
    result: np.ndarray, cell: tuple[int, int] | None, lang: str, name: str = "feature_map"
) -> str:
    title = f"{ops_t(name, lang)} {shape_text(result.shape)}"
    if not fits_table(result.shape):
        return f"<p class='note'>{esc(t('big_map', lang, shape=shape_text(result.shape)))}</p>"
    return matrix_html(result, title, mark=cell)


def _explain_html(step, lang: str) -> str:
    """Window (with input positions), kernel and the dot product, as the CLI's ``explain``."""
    rows, cols = _position_labels(step.input_positions)
    head = ops_t(
        "explain_head",
        lang,
        fmap=ops_t("fmap", lang),
        row=step.row,
        col=step.col,
        shape=shape_text(step.output_shape),
        r0=step.input_origin[0],
        c0=step.input_origin[1],
    )
    pad = f"<p class='note'>{esc(ops_t('pad_note', lang))}</p>" if "pad" in rows + cols else ""
    tables = matrix_html(step.window, ops_t("window", lang), rows, cols) + matrix_html(
        step.kernel, ops_t("kernel", lang)
    )
    dot = f"<p class='dot'><b>{esc(ops_t('dot', lang))}:</b> {esc(step.formula())}</p>"
    return f"<p>{esc(head)}</p><div class='pair'>{tables}</div>{pad}{dot}"


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
    name, image = load_picture(sample, upload, lang)
    k, p = whole(size, "size", 1), whole(padding, "padding")
    s = whole(stride, "stride") or k  # 0 = the window size, as PyTorch's default
    op = max_pool2d if kind == "max" else avg_pool2d
    result = op(image[None], k, s, p)[0]  # (H_out, W_out)
    sizes = t("used_input", lang, name=name, shape=shape_text(image.shape))
    sizes += f" → {ops_t('pooled', lang)}: {shape_text(result.shape)}"
    view = ConvView(to_screen(image), to_screen(result), f"<p>{esc(sizes)}</p>")
    try:
        cell = (whole(row, "row"), whole(col, "col"))
        step = explain_pool(image, *cell, kind, k, s, p)
    except CnnlabError as exc:
        return replace(view, table=_map_table(result, None, lang, "pooled"), message=str(exc))
    head, _, verdict = _pool_lines(step, k, s, lang)
    rows, cols = _position_labels(step.input_positions)
    window = matrix_html(step.window, ops_t("window", lang), rows, cols)
    explain = f"<p>{esc(head)}</p>{window}<p class='dot'>{esc(verdict)}</p>"
    table = _map_table(result, cell, lang, "pooled")
    return replace(view, table=table, explain=explain, value=step.value)


@shows_errors(ModelView)
def model_summary(model: str, input_shape: str, classes: Any, lang: str = "en") -> ModelView:
    """The layer table (output shapes, parameters, mult-adds) and the MLP comparison."""
    from cnnlab.models import summary

    model = (model or "").strip()
    shape_text_in = (input_shape or "").strip() or None
    k = None if classes in (None, "", 0) else whole(classes, "classes", 1)
    if model and Path(model).is_dir():  # a run folder: its spec, shape and classes
        model, shape_text_in, k = _from_run(model, shape_text_in, None)
    shape, k = _shape_and_classes(model, shape_text_in, None, k)
    s = summary(model, shape, k)
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
    lines = "".join(f"<p>{esc(line)}</p>" for line in _footer(s, lang))
    return ModelView(table=html, lines=lines)


@functools.lru_cache(maxsize=4)
def _cached_run(folder: str, stamp: float):
    from cnnlab.train import load_run

    return load_run(folder)


def open_run(folder: str | None):
    """The run in ``folder`` (kept open while its weights file is unchanged), or None."""
    if not folder or not str(folder).strip():
        return None
    path = Path(str(folder).strip()).expanduser().resolve()
    weights = path / "model.safetensors"
    stamp = weights.stat().st_mtime if weights.is_file() else 0.0
    return _cached_run(str(path), stamp)


@shows_errors(DrawView)
def run_info(folder: str | None, lang: str = "en") -> DrawView:
    """One line about the run in ``folder``, or how to make one."""
    run = open_run(folder)
    if run is None:
        return DrawView(note=t("no_run", lang))
    text = t(
        "run_loaded",
        lang,
        path=run.path.name,
        spec=run.config["spec"],
        dataset=run.config["dataset"],
        k=run.num_classes,
        shape=shape_text(run.input_shape),
    )
    return DrawView(note=text)


@shows_errors(DrawView)
def predict_drawing(sketch: Any, folder: str | None, lang: str = "en") -> DrawView:
    """Class probabilities for a drawing: MNIST's preprocessing (as ``cnnlab predict``), then
    ``run.predict``. ``sketch`` is a Sketchpad value (dict with ``composite``), an array or
    None (an empty canvas)."""
    from cnnlab.train.images import load_image, style_for

    run = open_run(folder)
    if run is None:
        return DrawView(note=t("no_run", lang))
    picture = sketch.get("composite") if isinstance(sketch, dict) else sketch
    if picture is None or np.ptp(np.asarray(picture)) == 0:
        return DrawView(note=t("empty_canvas", lang))
    x = load_image(png_bytes(np.asarray(picture, np.uint8)), run.input_shape, style_for(run.config))
    if not x.any():  # nothing dark enough to count as ink
        return DrawView(note=t("empty_canvas", lang))
    probs = run.predict(x[None])[0]  # (K,)
    labels = {str(c): float(p) for c, p in zip(run.classes, probs, strict=True)}
    seen = to_screen(x[0] if x.shape[0] == 1 else x.mean(axis=0), side=168)
    return DrawView(probs=labels, seen=seen)


def error_box(view: Any, lang: str) -> str:
    """The view's message as a visible error box (empty when there is none)."""
    return error_html(view.message, lang)
