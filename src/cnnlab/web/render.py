"""HTML and picture helpers for the browser lab: matrix tables like the deck's, error boxes, maps
scaled for the screen. Every text is escaped; nothing links outside the page."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from PIL import Image

from cnnlab.present.ops import fmt_cell
from cnnlab.viz._html import esc
from cnnlab.web.text import t

#: a picture is enlarged by a whole factor (nearest neighbour, so pixels stay square) until its
#: longer side reaches this many screen pixels
DISPLAY_SIDE = 320


def matrix_html(
    arr: np.ndarray,
    title: str | None = None,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    mark: tuple[int, int] | None = None,
) -> str:
    """A matrix as an HTML table with row and column indices; ``mark`` highlights one cell.

    >>> "<td class=\\"mark\\">750</td>" in matrix_html(np.array([[750.0]]), mark=(0, 0))
    True
    """
    rows = row_labels if row_labels is not None else [str(i) for i in range(arr.shape[0])]
    cols = col_labels if col_labels is not None else [str(j) for j in range(arr.shape[1])]
    head = "<th></th>" + "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for i, (label, row) in enumerate(zip(rows, arr, strict=True)):
        cells = "".join(
            f'<td class="mark">{fmt_cell(v)}</td>' if (i, j) == mark else f"<td>{fmt_cell(v)}</td>"
            for j, v in enumerate(row)
        )
        body.append(f"<tr><th>{esc(label)}</th>{cells}</tr>")
    caption = f"<caption>{esc(title)}</caption>" if title else ""
    return (
        f'<table class="matrix">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def error_html(message: str, lang: str) -> str:
    """A visible error box; multi-line messages (a spec's caret line) keep their layout."""
    if not message:
        return ""
    return (
        f'<div class="cnnlab-error" role="alert"><b>{esc(t("error", lang))}</b>'
        f"<pre>{esc(message)}</pre></div>"
    )


def gray(arr: np.ndarray) -> np.ndarray:
    """A 2-D map as uint8 gray, min → 0 and max → 255 (a constant map is black). (H, W)."""
    low, high = float(arr.min()), float(arr.max())
    scaled = (arr - low) * (255.0 / (high - low)) if high > low else np.zeros_like(arr)
    return np.rint(scaled).astype(np.uint8)


def to_screen(arr: np.ndarray, side: int = DISPLAY_SIDE) -> np.ndarray:
    """:func:`gray`, enlarged by a whole factor so a 18×17 map shows as crisp squares when
    the viewer does not scale pictures itself. (H, W) → (f·H, f·W)."""
    factor = max(1, side // max(arr.shape))
    return np.repeat(np.repeat(gray(arr), factor, axis=0), factor, axis=1)  # (f·H, f·W)


def feature_grid(maps: np.ndarray, cols: int = 8, gap: int = 1) -> np.ndarray:
    """Feature maps (C, H, W) tiled in rows of ``cols``, one gray scale for the whole layer,
    separated by ``gap`` pixels of mid-gray. → (rows·(H+gap)−gap, cols·(W+gap)−gap) uint8."""
    c, h, w = maps.shape
    cols = min(cols, c)
    rows = -(-c // cols)
    scaled = gray(maps)  # (C, H, W), one scale for the layer
    grid = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), 128, np.uint8)
    for i in range(c):
        r, q = divmod(i, cols)
        grid[r * (h + gap) : r * (h + gap) + h, q * (w + gap) : q * (w + gap) + w] = scaled[i]
    return grid


def png_bytes(gray: np.ndarray) -> bytes:
    """A uint8 (H, W) or (H, W, C) array encoded as PNG (fast setting: pictures are small)."""

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(gray)).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def png_data_uri(gray: np.ndarray | None) -> str:
    """``data:image/png;base64,...`` for a uint8 picture ("" for None). The same picture asked
    again (a student clicking cell after cell of one map) is encoded once."""
    if gray is None:
        return ""
    key = (gray.shape, hashlib.blake2b(np.ascontiguousarray(gray).data, digest_size=16).digest())
    with _ENCODED_LOCK:
        if key in _ENCODED:
            _ENCODED.move_to_end(key)
            return _ENCODED[key]
    uri = "data:image/png;base64," + base64.b64encode(png_bytes(gray)).decode("ascii")
    if gray.size <= ENCODED_PIXELS:
        with _ENCODED_LOCK:
            _ENCODED[key] = uri
            while len(_ENCODED) > ENCODED_ITEMS:
                _ENCODED.popitem(last=False)
    return uri


ENCODED_ITEMS, ENCODED_PIXELS = 32, 600_000  # at most ~32 × 0.6 MB of PNG text kept
_ENCODED: OrderedDict[tuple, str] = OrderedDict()
_ENCODED_LOCK = threading.Lock()


def kernel_text(kernel: np.ndarray) -> str:
    """A kernel as editable text with exact values: ``[[1, 0], [-1, 0.5]] → "1,0;-1,0.5"``."""
    return ";".join(
        ",".join(np.format_float_positional(float(v), trim="-") for v in row) for row in kernel
    )
