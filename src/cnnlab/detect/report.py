"""The report of a detection run: its score maps, its good finds and its misses, as one
self-contained HTML file (``detect-report.html`` in the run folder)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.patches import Rectangle

from cnnlab.detect.boxes import iou
from cnnlab.detect.core import DetectConfig, Detection, Detector, detect
from cnnlab.detect.figures import explain_figure
from cnnlab.fileio import atomic_write_text
from cnnlab.i18n import N_, fixed, tr
from cnnlab.viz._common import new_figure
from cnnlab.viz._html import esc, figure_html, page, section

TEXT = {
    "title": N_("Detection run {name}"),
    "maps": N_("Score maps"),
    "maps_note": N_(
        "One fully-convolutional pass per box size: each map is the classifier's score for "
        "every window of that size, the boxes are where it passes {threshold}."
    ),
    "finds": N_("Good finds and misses"),
    "finds_note": N_(
        "Green: a box that hits a true one (IoU ≥ 0.5); red: a false box; yellow: a true "
        "box nothing hit. {hits} hits, {false} false boxes, {missed} misses over {n} pictures."
    ),
}


def judged(found: Detection, truth: np.ndarray) -> tuple[list, list, list]:
    """(good boxes, false boxes, missed true boxes) at IoU 0.5, best-scored boxes first."""
    used = np.zeros(len(truth), bool)
    good, false = [], []
    for b in found.boxes:
        overlaps = np.where(used, -1.0, iou(np.array(b.box), truth)) if len(truth) else []
        j = int(np.argmax(overlaps)) if len(truth) else -1
        if j >= 0 and overlaps[j] >= 0.5:
            used[j] = True
            good.append(b.box)
        else:
            false.append(b.box)
    return good, false, [tuple(t) for t in truth[~used]]


def finds_figure(pictures: list[tuple[np.ndarray, np.ndarray]], found: list[Detection]):
    """Each picture with its good (green), false (red) and missed (yellow) boxes."""
    cols = min(4, len(pictures))
    rows = -(-len(pictures) // cols)
    fig = new_figure(3.2 * cols, 2.6 * rows)
    for k, ((pixels, truth), det) in enumerate(zip(pictures, found, strict=True)):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.imshow(pixels, cmap="gray" if pixels.ndim == 2 else None)
        for boxes, colour in zip(judged(det, truth), ("lime", "red", "yellow"), strict=True):
            for x0, y0, x1, y1 in boxes:
                ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color=colour))
        ax.axis("off")
    return fig


def write_report(detector: Detector, samples: list[str],
                 pictures: list[tuple[np.ndarray, np.ndarray]], lang: str = "en",
                 out: Path | None = None) -> Path:  # fmt: skip
    """Write the report: score maps of ``samples`` (names or files) and good finds and misses
    on ``pictures`` ((pixels, true boxes) pairs)."""
    threshold = detector.defaults.threshold
    maps = "".join(figure_html(explain_figure(detect(detector, s), lang), str(s)) for s in samples)
    found = [detect(detector, p, DetectConfig()) for p, _ in pictures]
    counts = [judged(d, t) for d, (_, t) in zip(found, pictures, strict=True)]
    note = tr(TEXT, "finds_note", lang, hits=sum(len(c[0]) for c in counts),
              false=sum(len(c[1]) for c in counts), missed=sum(len(c[2]) for c in counts),
              n=len(pictures))  # fmt: skip
    body = (
        f"<header><h1>{esc(tr(TEXT, 'title', lang, name=detector.run.path.name))}</h1></header>"
        + section("maps", tr(TEXT, "maps", lang),
                  f"<p>{esc(tr(TEXT, 'maps_note', lang, threshold=fixed(threshold, 2, lang)))}"
                  f"</p>{maps}")
        + section("finds", tr(TEXT, "finds", lang),
                  f"<p>{esc(note)}</p>" + (figure_html(finds_figure(pictures, found), "finds")
                                           if pictures else ""))
    )  # fmt: skip
    target = out or detector.run.path / "detect-report.html"
    atomic_write_text(target, page(tr(TEXT, "title", lang, name=detector.run.path.name), lang,
                                   body))  # fmt: skip
    return target
