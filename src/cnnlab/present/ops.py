"""Words and numbers of the convolution and pooling views, shared by the CLI (``convolve``,
``explain``, ``pool``, ``demo``) and the browser lab: bilingual text, table cells, the output-size
formula filled in, and the parsing of padding and positions typed by people."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, local_number, shape_text, tr
from cnnlab.ops import size_formula
from cnnlab.ops._args import positions, resolve_padding
from cnnlab.ops.explain import format_number

TEXT = {
    "input": N_("Input"),
    "kernel": N_("Kernel (filter)"),
    "feature_map": N_("Feature map"),
    # the deck's wording: "feature maps (mapas de activación)", said once per command
    "feature_map_first": N_("Feature map (activation map)"),
    "fmap": N_("feature map"),
    "fmap_first": N_("feature map (activation map)"),
    "pooled": N_("Pooled map"),
    "window": N_("Window"),
    "size_rule": N_("Output size ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1:"),
    "rows": N_("rows"),
    "cols": N_("columns"),
    "settings": N_("stride {stride}, padding {padding}, dilation {dilation}, {mode}"),
    "correlate": N_("cross-correlation (kernel as written)"),
    "convolve": N_("true convolution (kernel flipped)"),
    "summary": N_("{shape}: min {min}, max {max}, mean {mean}"),
    "too_big": N_(
        "Too large to print as a table (more than {rows}×{cols}); save it with --out "
        "FILE.png to see it in full, or .csv/.npy for the exact values."
    ),
    "preview": N_(
        "Preview ({shape} characters, each the mean of a {r}×{c} block; darkest ' ', "
        "brightest '@'):"
    ),
    "saved": N_("Saved {path}"),
    "png_note": N_(
        "(PNG scaled to 0–255 for viewing: min → 0, max → 255; .csv/.npy keep exact values)"
    ),
    "explain_head": N_(
        "Output value ({row}, {col}) of the {shape} {fmap}: the window starting at "
        "input ({r0}, {c0}), multiplied cell by cell with the kernel and summed (dot product):"
    ),
    "dot": N_("Dot product"),
    "pad_note": N_("(pad = a zero added by padding)"),
    "max_won": N_("max = {value}: the value at window ({wr}, {wc}), input ({ir}, {ic}) wins"),
    "mean_is": N_("mean = ({terms}) / {n} = {value}"),
    "pool_head": N_("{kind} pooling {k}×{k}, stride {s}: output value ({row}, {col}) of {shape}"),
    "max": N_("Max"),
    "avg": N_("Average"),
    "demo_title": N_(
        "The deck's worked example (Convolución 2D): the 3×3 kernel slides over the Bidoof "
        "picture; each output value is the dot product of the kernel with the window under it."
    ),
    "deck_ok": N_(
        "Checked against the deck: all {n} values it prints (row 0: 17 values, row 1: the "
        "first 7) are reproduced exactly."
    ),
    "deck_bad": N_("Checked against the deck: {bad} of {n} printed values differ: {details}"),
    "name": N_("name"),
    "matrix": N_("matrix"),
    "description": N_("description"),
    "shape": N_("shape"),
}


def t(key: str, lang: str, **fmt) -> str:
    """This module's text ``key`` in ``lang``."""
    return tr(TEXT, key, lang, **fmt)


def fmt_cell(value: float) -> str:
    """A number for a table: ``750.0 -> "750"``, ``0.0625 -> "0.0625"``, ``149.4375 -> "149.4"``."""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.1f}" if abs(v) >= 1000 else f"{v:.4g}"


def fits_table(shape: Sequence[int], rows: int = 32, cols: int = 24) -> bool:
    """Whether a matrix is small enough to print in full."""
    return shape[0] <= rows and shape[1] <= cols


def summary(arr: np.ndarray, lang: str) -> str:
    """Shape, min, max and mean of a matrix in one line (decimal comma in Spanish)."""
    nums = {
        k: local_number(fmt_cell(v), lang)
        for k, v in (("min", arr.min()), ("max", arr.max()), ("mean", round(float(arr.mean()), 4)))
    }
    return t("summary", lang, shape=shape_text(arr.shape), **nums)


RAMP = " .:-=+*#%@"  # darkest to brightest, as the PNG maps min → 0 and max → 255


def preview(arr: np.ndarray, width: int = 64) -> tuple[str, tuple[int, int]]:
    """A small text picture of ``arr`` and the ``(rows, cols)`` block each character stands for.

    Each character is the mean of a block of cells, scaled like the PNG (min → " ", max → "@");
    a block is twice as tall as wide, since terminal characters are. A 510×510 map with
    ``width=64`` gives 32 lines of 64 characters, each the mean of a 16×8 block.
    """
    h, w = arr.shape
    bc = -(-w // width)  # columns per character (ceiling division)
    br = 2 * bc
    rows, cols = -(-h // br), -(-w // bc)
    padded = np.pad(arr, ((0, rows * br - h), (0, cols * bc - w)), mode="edge")
    blocks = padded.reshape(rows, br, cols, bc).mean(axis=(1, 3))  # (rows, cols)
    low, high = float(blocks.min()), float(blocks.max())
    scale = (len(RAMP) - 1) / (high - low) if high > low else 0.0
    levels = np.rint((blocks - low) * scale).astype(int)  # (rows, cols) in 0..9
    return "\n".join("".join(RAMP[i] for i in row) for row in levels), (br, bc)


def parse_at(text: str) -> tuple[int, int]:
    """``"3,4" -> (3, 4)``: an output position given as ROW,COL."""
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        return int(parts[0]), int(parts[1])
    except ValueError:
        raise InvalidArgumentError(
            _("--at must be two whole numbers ROW,COL; expected e.g. --at 0,0. Received: {text!r}",
              text=text)
        ) from None


def parse_padding(text: str) -> str | int | tuple[int, int]:
    """``"same"``/``"valid"``/``"full"`` stay words; ``"1"`` -> 1; ``"1,2"`` -> (1, 2)."""
    word = text.strip().lower()
    if word in ("valid", "same", "full"):
        return word
    try:
        parts = [int(p) for p in word.split(",")]
    except ValueError:
        parts = []
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise InvalidArgumentError(
        _("--padding must be a whole number, ROWS,COLS, valid, same or full; expected e.g. "
          "--padding 1 or --padding same. Received: {text!r}", text=text)
    )


def size_lines(
    size: Sequence[int],
    kernel: Sequence[int],
    stride: int,
    padding: str | int | tuple[int, int],
    dilation: int,
    lang: str,
    mode: str = "correlate",
) -> list[str]:
    """The output-size formula filled in for rows and columns (``mode`` places "same" padding)."""
    pair_s, pair_d = (stride, stride), (dilation, dilation)
    pads = resolve_padding(padding, tuple(kernel), pair_s, pair_d, mode == "convolve")
    lines = [t("size_rule", lang)]
    for name, n, k, (before, after) in zip(("rows", "cols"), size, kernel, pads, strict=True):
        if before == after:
            formula = size_formula(n, k, stride, before, dilation)
        else:  # "same" with an even span pads one more on one side
            out = positions(n + before + after, k, stride, dilation)
            formula = (
                f"⌊({n} + {before} + {after} − {dilation}·({k} − 1) − 1) / {stride}⌋ + 1 = {out}"
            )
        lines.append(f"  {t(name, lang)}: {formula}")
    return lines


def position_labels(positions: np.ndarray) -> tuple[list[str], list[str]]:
    """Row and column labels of a window: the input index of each tap, or "pad"."""
    # positions: (kH, kW, 2) input (r, c) of each tap, -1 for padding
    rows = [str(r) if r >= 0 else "pad" for r in positions[:, 0, 0]]
    cols = [str(c) if c >= 0 else "pad" for c in positions[0, :, 1]]
    return rows, cols


def explain_head(step, lang: str, first: bool = False) -> str:
    """The sentence above an explained convolution cell (``first``: the map's first mention)."""
    return t(
        "explain_head",
        lang,
        fmap=t("fmap_first" if first else "fmap", lang),
        row=step.row,
        col=step.col,
        shape=shape_text(step.output_shape),
        r0=step.input_origin[0],
        c0=step.input_origin[1],
    )


def pool_words(step, size: int, stride: int, lang: str) -> tuple[str, str]:
    """``(head, verdict)`` of an explained pooling cell: which window, and who won or the mean."""
    head = t("pool_head", lang, kind=t(step.kind, lang), k=size, s=stride, row=step.row,
             col=step.col, shape=shape_text(step.output_shape))  # fmt: skip
    if step.winner is not None and step.winner_input is not None:
        (wr, wc), (ir, ic) = step.winner, step.winner_input
        return head, t("max_won", lang, value=fmt_cell(step.value), wr=wr, wc=wc, ir=ir, ic=ic)
    terms = " + ".join(format_number(v) for v in step.window.ravel())
    mean = t("mean_is", lang, terms=terms, n=step.window.size, value=format_number(step.value))
    return head, mean
