"""Pictures of a detection: the boxes on the picture, and the score maps (heat maps) of the
pyramid's scales beside them, as matplotlib Figures (never shown, never saved here)."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image, ImageDraw

from cnnlab.detect.core import Detection
from cnnlab.i18n import N_, fixed, tr
from cnnlab.viz._common import figure_bytes, new_figure

TEXT = {
    "boxes": N_("{n} boxes"),
    "size": N_("boxes of {size} px"),
}
COLOR = (230, 40, 40)


def boxed(detection: Detection, pixels: np.ndarray) -> np.ndarray:
    """The picture (uint8 (H, W) or (H, W, 3)) with each box drawn and labelled: uint8 RGB."""
    img = Image.fromarray(pixels).convert("RGB")
    draw = ImageDraw.Draw(img)
    width = max(2, round(min(img.size) / 200))
    for found in detection.boxes:
        x0, y0, x1, y1 = found.box
        draw.rectangle([x0, y0, x1, y1], outline=COLOR, width=width)
        draw.text((x0 + 2, max(0.0, y0 - 12)), f"{found.label} {fixed(found.score, 2)}", fill=COLOR)
    return np.asarray(img)


def png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG")
    return buf.getvalue()


def heat(detection: Detection) -> np.ndarray:
    """The highest object score over all scales at each place of the picture: (H, W) in [0, 1]."""
    out = np.zeros((detection.height, detection.width), np.float32)
    for m in detection.maps:
        step = detection.height / max(m.scores.shape[0], 1)
        rows = np.minimum((np.arange(detection.height) / step).astype(int), m.scores.shape[0] - 1)
        step = detection.width / max(m.scores.shape[1], 1)
        cols = np.minimum((np.arange(detection.width) / step).astype(int), m.scores.shape[1] - 1)
        np.maximum(out, m.scores[np.ix_(rows, cols)], out=out)
    return out


def explain_figure(detection: Detection, lang: str | None = None, most: int = 6) -> Figure:
    """The boxed picture and up to ``most`` score maps, one per scale of the pyramid."""
    maps = _spread(detection.maps, most)
    fig = new_figure(3.2 * (len(maps) + 1), 3.4)
    ax = fig.add_subplot(1, len(maps) + 1, 1)
    shown = detection.picture
    ax.imshow(shown, cmap="gray" if shown.ndim == 2 else None)
    for found in detection.boxes:
        x0, y0, x1, y1 = found.box
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="red", lw=1.5))
    ax.set_title(f"{detection.image}: {tr(TEXT, 'boxes', lang, n=len(detection.boxes))}")
    ax.axis("off")
    for k, m in enumerate(maps, start=2):
        ax = fig.add_subplot(1, len(maps) + 1, k)
        im = ax.imshow(m.scores, cmap="magma", vmin=0, vmax=1)
        top = fixed(m.scores.max(), 2, lang)
        ax.set_title(tr(TEXT, "size", lang, size=m.size) + f"\nmax {top}")
        ax.axis("off")
    if maps:
        fig.colorbar(im, ax=fig.axes[-1], fraction=0.046)
    return fig


def _spread(maps, most: int):
    if len(maps) <= most:
        return list(maps)
    picks = np.linspace(0, len(maps) - 1, most).round().astype(int)
    return [maps[i] for i in picks]


__all__ = ["boxed", "explain_figure", "figure_bytes", "heat", "png"]
