"""Ink and paper in a photo of writing: how much ink each pixel holds, whatever the paper.

A photo of a handwritten digit is rarely black on white: the paper is gray or tinted, lit more
on one side, the ink may be blue, and JPEG adds noise. Taking "dark = ink" then reads the gray
paper as ink. Instead:

1. **Which is which.** The border of a photo is mostly paper: split the gray levels in two
   with Otsu's threshold; the side most of the border falls on is the paper. Light ink on a
   dark screen is inverted.
2. **The paper's brightness, place by place.** A smooth surface (a quadratic in x and y) is
   fitted by least squares to the pixels on the paper's side, then fitted again
   without the pixels the first fit still finds inky: uneven light is smooth, strokes are not.
   Done on a reduced copy (at most 128 pixels a side), so any picture takes a few milliseconds.
3. **Ink = the share of its paper's light a pixel loses**, ``1 − pixel / paper``, in brightness
   (Pillow's luma: blue, red or green ink is darker than its paper; JPEG keeps brightness at
   full resolution but colour at half, so colour differences would blur the strokes). Light
   falls on ink and paper alike, so the share does not depend on how lit that part of the page
   is.
4. **Noise away.** The paper's own spread (median + 4·MAD of the paper pixels' differences,
   JPEG ringing included) is taken off, the rest scaled so the strongest ink is 1, and specks
   far smaller than the largest stroke are erased.

>>> page = np.full((40, 40), 200, np.uint8); page[10:30, 18:22] = 40  # a gray page, a dark bar
>>> ink = ink_map(page)
>>> float(ink[20, 20]), float(ink[5, 5])
(1.0, 0.0)
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

#: longest side of the reduced copy the paper is estimated on (pixels): speed, not accuracy
_SMALL = 128
#: Pillow's "L" weights: JPEG keeps brightness at full resolution, colour at half
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)
#: specks smaller than this share of the largest ink component are erased
_SPECK = 0.02


def ink_map(pixels: np.ndarray) -> np.ndarray:
    """Ink strength in [0, 1] (1 = full ink, 0 = paper) of a uint8 picture (H, W) or (H, W, 3)."""
    rgb = np.asarray(pixels, np.float32) / 255.0
    gray = rgb if rgb.ndim == 2 else rgb[..., :3] @ _LUMA  # (H, W)
    if not _paper_is_light(gray):
        gray = 1.0 - gray  # light ink on a dark screen: make it dark ink on light paper
    paper = _paper(gray)  # (H, W)
    ink = np.clip(1.0 - gray / np.maximum(paper, 1e-3), 0.0, None)  # (H, W)
    return _clean(ink)


def otsu(values: np.ndarray, bins: int = 64) -> float:
    """Otsu's threshold of ``values`` in [0, 1]: the cut that makes the two sides' spread least.

    >>> otsu(np.array([0.1] * 5 + [0.9] * 5)) < 0.9
    True
    """
    hist, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    centers = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(hist)  # pixels at or below each cut
    mass = np.cumsum(hist * centers)
    total, total_mass = weight[-1], mass[-1]
    low = mass / np.maximum(weight, 1)
    high = (total_mass - mass) / np.maximum(total - weight, 1)
    between = weight * (total - weight) * (low - high) ** 2
    return float(edges[int(np.argmax(between)) + 1])


def _paper_is_light(gray: np.ndarray) -> bool:
    """True when most of the border sits on the light side of Otsu's cut."""
    if float(gray.max() - gray.min()) < 1e-6:
        return True
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return bool((border > otsu(gray)).mean() >= 0.5)


def _reduced(gray: np.ndarray) -> np.ndarray:
    """Block means of ``gray`` (H, W) so that its longer side is at most ``_SMALL``."""
    h, w = gray.shape
    f = min(max(1, int(np.ceil(max(h, w) / _SMALL))), h, w)
    return gray[: h // f * f, : w // f * f].reshape(h // f, f, w // f, f).mean(axis=(1, 3))


def _basis(rows: int, cols: int) -> np.ndarray:
    """1, x, y, x², xy, y² on a rows × cols grid spanning the picture → (rows·cols, 6)."""
    y, x = np.meshgrid(np.linspace(-1, 1, rows), np.linspace(-1, 1, cols), indexing="ij")
    x, y = x.ravel(), y.ravel()
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)


def _paper(gray: np.ndarray) -> np.ndarray:
    """The paper under the ink (H, W): a quadratic surface fitted twice to the pixels that look
    like paper (the second time without those the first fit still finds inky)."""
    small = _reduced(gray).ravel()
    basis = _basis(*_reduced(gray).shape)  # (h'·w', 6)
    paper = small > otsu(small)
    for _ in range(2):
        if paper.sum() < 12:
            return np.full(gray.shape, max(float(np.median(gray)), 1e-3), np.float32)
        coef, *_ = np.linalg.lstsq(basis[paper], small[paper], rcond=None)  # (6,)
        ink = basis @ coef - small
        paper = ink < max(otsu(np.clip(ink, 0.0, 1.0)), 0.02)
    surface = (_basis(*gray.shape) @ coef).reshape(gray.shape)  # (H, W)
    return np.maximum(surface, gray).astype(np.float32)


def _clean(ink: np.ndarray) -> np.ndarray:
    """Take off the paper's own spread, scale the strongest ink to 1, erase tiny specks."""
    paper = ink[ink < otsu(np.clip(ink, 0.0, 1.0))] if ink.max() > 0 else ink.ravel()
    median = float(np.median(paper)) if paper.size else 0.0
    spread = float(np.median(np.abs(paper - median))) if paper.size else 0.0
    floor = max(median + 4.0 * 1.4826 * spread, 0.04)
    top = max(float(np.percentile(ink, 99.5)), float(ink.max()) * 0.8)
    if top <= floor:
        return np.zeros(ink.shape, np.float32)
    scaled = np.clip((ink - floor) / (top - floor), 0.0, 1.0)
    labels, count = ndimage.label(scaled > 0.25)
    if count > 1:
        sizes = ndimage.sum_labels(np.ones_like(scaled), labels, index=np.arange(1, count + 1))
        specks = np.isin(labels, np.flatnonzero(sizes < _SPECK * sizes.max()) + 1)
        strokes = ndimage.binary_dilation((labels > 0) & ~specks, iterations=2)
        scaled[ndimage.binary_dilation(specks, iterations=1) & ~strokes] = 0.0
    return scaled.astype(np.float32)
