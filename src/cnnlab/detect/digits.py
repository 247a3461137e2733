"""Handwritten numbers: canvases of MNIST digits for training and for the held-out test, and
the reading of found digits as text.

Training crops come from MNIST's **training** digits laid out as numbers in "ink space" (ink 1,
paper 0, as :func:`cnnlab.train.paper.ink_map` gives from a photo). The test canvases use only
MNIST's **test** digits, drawn on paper of random shade and light, in black, blue or gray ink,
some as white on a black screen, some saved as JPEG, and go through the whole pipeline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from cnnlab.detect.ink import centred

WINDOW = 28  # MNIST's side: a digit's frame (its ink fills the central 20 pixels)
BACKGROUND = "background"
CLASSES = [str(d) for d in range(10)] + [BACKGROUND]
INKS = ((20.0, 20.0, 25.0), (30.0, 50.0, 160.0), (70.0, 70.0, 70.0), (150.0, 30.0, 30.0))


@dataclass(frozen=True)
class Canvas:
    """A number drawn from digits: ink (H, W) in [0, 1], its digits' boxes and labels."""

    ink: np.ndarray
    boxes: np.ndarray  # (n, 4) tight boxes of each digit's ink, [x0, y0, x1, y1]
    frames: np.ndarray  # (n, 4) each digit's 28×28 frame, scaled and placed
    labels: np.ndarray  # (n,) digit values

    @property
    def text(self) -> str:
        return "".join(str(int(v)) for v in self.labels)


def scaled_digit(digit: np.ndarray, side: int) -> np.ndarray:
    """A 28×28 digit resized to side × side (bilinear, Pillow)."""
    img = Image.fromarray(np.uint8(np.rint(np.clip(digit, 0, 1) * 255)))
    return np.asarray(img.resize((side, side), Image.BILINEAR), np.float32) / 255.0


def number(digits: np.ndarray, labels: np.ndarray, frame: float, rng: np.random.Generator,
           margin: float = 0.5) -> Canvas:  # fmt: skip
    """Lay ``digits`` (n, 28, 28) out left to right at about ``frame`` pixels per frame, with
    random size (±8 %), height (±6 %) and gaps between inks (5-40 % of the frame)."""
    sides = [max(8, round(frame * rng.uniform(0.92, 1.08))) for _ in digits]
    pad = int(frame * (margin + rng.uniform(0, 0.6)))
    glyphs = [scaled_digit(d, s) for d, s in zip(digits, sides, strict=True)]
    width = pad * 2 + sum(sides) + len(sides) * int(frame)
    height = int(frame * rng.uniform(1.3, 2.2)) + 2 * pad
    ink = np.zeros((height, width), np.float32)
    boxes, frames, cursor = [], [], float(pad)
    for glyph, side in zip(glyphs, sides, strict=True):
        cols = np.flatnonzero(glyph.max(axis=0) > 0.3)
        rows = np.flatnonzero(glyph.max(axis=1) > 0.3)
        left = round(cursor - cols[0])
        top = round((height - side) / 2 + frame * rng.uniform(-0.06, 0.06))
        region = ink[top : top + side, left : left + side]
        np.maximum(region, glyph[: region.shape[0], : region.shape[1]], out=region)
        boxes.append((left + cols[0], top + rows[0], left + cols[-1] + 1, top + rows[-1] + 1))
        frames.append((left, top, left + side, top + side))
        cursor = left + cols[-1] + 1 + frame * rng.uniform(0.05, 0.4)
    used = int(min(width, cursor + pad))
    return Canvas(ink[:, :used], np.array(boxes, np.float64), np.array(frames, np.float64),
                  np.asarray(labels, np.int64))  # fmt: skip


def photograph(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ink on paper as a camera or a screen gives it: uint8 (H, W, 3)."""
    h, w = ink.shape
    if rng.random() < 0.15:  # white on a black screen
        rgb = np.repeat((ink * rng.uniform(180, 255) + rng.uniform(0, 40))[..., None], 3, axis=2)
    else:
        base = rng.uniform(150, 250)
        light = (base + rng.uniform(-35, 35) * np.linspace(-1, 1, w)[None, :]
                 + rng.uniform(-20, 20) * np.linspace(-1, 1, h)[:, None])  # fmt: skip
        tint = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.88, 1.0)])
        paper = np.clip(light, 0, 255)[..., None] * tint  # (H, W, 3)
        pen = np.array(INKS[rng.integers(len(INKS))])
        strength = ink[..., None] * rng.uniform(0.75, 1.0)
        rgb = paper * (1 - strength) + pen * strength
    rgb = rgb + rng.normal(0, rng.uniform(1, 5), rgb.shape)
    pixels = np.uint8(np.clip(np.rint(rgb), 0, 255))
    if rng.random() < 0.5:
        buf = io.BytesIO()
        Image.fromarray(pixels).save(buf, "JPEG", quality=int(rng.integers(60, 95)))
        pixels = np.asarray(Image.open(buf).convert("RGB"))
    return pixels


def test_canvases(x: np.ndarray, y: np.ndarray, count: int = 200, seed: int = 2):
    """``count`` photographed numbers of 1-6 of the digits ``x`` (MNIST's **test** digits to
    score, held-out training digits to calibrate), frames 28-84 px:
    a list of (pixels uint8 (H, W, 3), Canvas)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        pick = rng.choice(len(x), size=int(rng.integers(1, 7)), replace=False)
        canvas = number(x[pick], y[pick], rng.uniform(28, 84), rng)
        out.append((photograph(canvas.ink, rng), canvas))
    return out


def _window(padded: np.ndarray, cy: float, cx: float) -> np.ndarray:
    """The 28×28 window centred at (cy, cx) of a canvas padded by 28 zeros on every side (moved
    inside the padded canvas where it would stick out)."""
    top = min(max(round(cy - WINDOW / 2) + WINDOW, 0), padded.shape[0] - WINDOW)
    left = min(max(round(cx - WINDOW / 2) + WINDOW, 0), padded.shape[1] - WINDOW)
    return padded[top : top + WINDOW, left : left + WINDOW]


def training_crops(x: np.ndarray, y: np.ndarray, count: int, seed: int = 0):
    """About ``count`` labelled 28×28 crops from numbers of training digits: digits centred in
    their window (±2 px, ±12 % size; class = digit) and windows that are not one centred digit
    (between digits, on part of a digit or of a much larger one, over several small ones;
    class 10 = background)."""
    rng = np.random.default_rng(seed)
    crops, labels = [], []
    while len(crops) < count:
        n = int(rng.integers(1, 6))
        pick = rng.choice(len(x), size=n, replace=False)
        near = rng.random() < 0.8
        frame = WINDOW * (rng.uniform(0.89, 1.12) if near else rng.choice(
            [rng.uniform(0.35, 0.65), rng.uniform(1.6, 2.6)]))  # fmt: skip
        canvas = number(x[pick], y[pick], frame, rng, margin=rng.uniform(0.2, 1.0))
        ink = np.pad(_ink_like_a_photo(canvas.ink, rng), WINDOW)
        for (x0, y0, x1, y1), label in zip(canvas.frames, canvas.labels, strict=True):
            cy, cx = (y0 + y1) / 2, (x0 + x1) / 2
            if near:
                crops.append(_window(ink, cy + rng.uniform(-2, 2), cx + rng.uniform(-2, 2)))
                labels.append(int(label))
            else:  # a window on part of a much larger digit (a 9's loop is no 0) or on small ones
                dy, dx = rng.uniform(-0.3, 0.3) * (y1 - y0), rng.uniform(-0.2, 0.2) * (x1 - x0)
                crops.append(_window(ink, cy + dy, cx + dx))
                labels.append(10)
            off = (x1 - x0) * rng.uniform(0.3, 0.75) * rng.choice([-1, 1])
            crops.append(_window(ink, cy + rng.uniform(-0.3, 0.3) * (y1 - y0), cx + off))
            labels.append(10)
        if rng.random() < 0.3:
            h, w = canvas.ink.shape
            crops.append(_window(ink, rng.uniform(0, h), rng.uniform(0, w)))
            labels.append(10)
    return np.stack(crops)[:, None], np.array(labels, np.int64)  # (N, 1, 28, 28), (N,)


def reader_crops(x: np.ndarray, y: np.ndarray, count: int, seed: int = 0,
                 varied: bool = False):  # fmt: skip
    """About ``count`` digits as the second look sees them: numbers of the digits ``x`` inked like
    a photo's, each digit's tight box moved by up to 1/12 of its height on every side (cut short
    or holding a sliver of a neighbour), then re-centred: (N, 1, 28, 28), labels (N,).
    ``varied``: each digit is first turned, slanted, thickened or thinned and made fainter
    (:func:`varied_digit`), as hands and pens differ."""
    rng = np.random.default_rng(seed)
    crops, labels = [], []
    while len(crops) < count:
        pick = rng.choice(len(x), size=int(rng.integers(1, 6)), replace=False)
        glyphs = np.stack([varied_digit(d, rng) for d in x[pick]]) if varied else x[pick]
        canvas = number(glyphs, y[pick], rng.uniform(24, 84), rng)
        ink = _ink_like_a_photo(canvas.ink, rng)
        for box, label in zip(canvas.boxes, canvas.labels, strict=True):
            moved = box + rng.uniform(-1, 1, 4) * (box[3] - box[1]) / 12
            crops.append(centred(ink, moved))
            labels.append(int(label))
    return np.stack(crops)[:, None], np.array(labels, np.int64)


def varied_digit(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 28×28 digit written a little differently: turned up to 10°, slanted (shear up to 0.2),
    its width ±12 %, its strokes thicker or thinner (gamma 0.6-1.6, sometimes dilated) and,
    one time in four, fainter (40-100 % of its ink)."""
    angle, shear = np.deg2rad(rng.uniform(-10, 10)), rng.uniform(-0.2, 0.2)
    c, s, wide = np.cos(angle), np.sin(angle), rng.uniform(0.88, 1.12)
    matrix = np.array([[c, -s], [s, c]]) @ np.array([[1.0, 0.0], [shear, 1.0 / wide]])
    centre = np.array([13.5, 13.5])
    out = ndimage.affine_transform(digit, matrix, centre - matrix @ centre, order=1)
    if rng.random() < 0.15:
        out = ndimage.grey_dilation(out, size=(2, 2))
    out = np.clip(out, 0, 1) ** rng.uniform(0.6, 1.6)
    if rng.random() < 0.25:
        out = out * rng.uniform(0.4, 1.0)
    return out.astype(np.float32)


def _ink_like_a_photo(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The ink a photo gives back: weaker or stronger strokes, a little blur, a little noise."""
    out = ink * rng.uniform(0.7, 1.0)
    if rng.random() < 0.3:
        out = ndimage.gaussian_filter(out, rng.uniform(0.3, 0.8))
    out = out + np.abs(rng.normal(0, rng.uniform(0, 0.03), out.shape))
    return np.clip(out / max(float(out.max()), 1e-6), 0, 1).astype(np.float32)


def read_boxes(boxes: np.ndarray, labels: list[str]) -> str:
    """Digits' boxes read as text: lines top to bottom (a box whose centre is lower than the
    line's boxes by more than 0.6 of their height starts a new line), each left to right.

    >>> read_boxes(np.array([[30, 0, 40, 20], [0, 2, 10, 22], [0, 40, 10, 60.]]), ["2", "1", "3"])
    '12\\n3'
    """
    if len(boxes) == 0:
        return ""
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    height = float(np.median(boxes[:, 3] - boxes[:, 1]))
    lines: list[list[int]] = []
    for i in np.argsort(cy, kind="stable"):
        if lines and cy[i] - np.mean(cy[lines[-1]]) <= 0.6 * height:
            lines[-1].append(int(i))
        else:
            lines.append([int(i)])
    return "\n".join("".join(labels[i] for i in sorted(line, key=lambda k: boxes[k, 0]))
                     for line in lines)  # fmt: skip
