"""Faces: training crops, held-out scenes and the scikit-image cascade to compare with.

Faces come from the ``faces`` data set (scikit-image's LFW subset, 25×25): its training split
trains, its test split's faces are kept for the scenes. Photos with no face are split too: the
``MINING`` ones give negative crops and hard negatives, the ``SCENE`` ones are the backgrounds
of the held-out scenes, so neither the faces nor the backgrounds of a scene were seen in training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from cnnlab import data
from cnnlab.samples import get_sample

WINDOW = 25  # the faces data set's side, pixels
MINING = ("chelsea", "rocket", "moon", "brick", "grass", "gravel", "text", "page", "clock",
          "cell", "checkerboard")  # fmt: skip
SCENE = ("coffee", "coins", "horse")
#: every photo the lab can offer, with the boxes of the faces a person sees in it
PHOTO_FACES = {"astronaut": ((170.0, 60.0, 270.0, 165.0),),
               "camera": ((195.0, 100.0, 270.0, 190.0),)}  # fmt: skip


def face_split() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(training faces, training non-faces, held-out faces), each (N, 25, 25) in [0, 1]."""
    ds = data.load("faces", val_fraction=0.0)
    x, y = ds.train.x[:, 0], ds.train.y
    return x[y == 1], x[y == 0], ds.test.x[ds.test.y == 1][:, 0]


def photo(name: str) -> np.ndarray:
    """A built-in photo, gray float32 in [0, 1]."""
    return (get_sample(name) / 255.0).astype(np.float32)


def resized(img: np.ndarray, side: tuple[int, int]) -> np.ndarray:
    """``img`` resized to (rows, cols) with linear interpolation (smoothed first when shrinking)."""
    factor = (side[0] / img.shape[0], side[1] / img.shape[1])
    if min(factor) < 1:
        img = ndimage.gaussian_filter(img, sigma=[max(0.0, 0.5 / f - 0.5) for f in factor])
    return ndimage.zoom(img, factor, order=1, mode="nearest", grid_mode=True)[: side[0], : side[1]]


def feather(side: int) -> np.ndarray:
    """An alpha mask (side, side): 1 inside, falling to 0 over the outer sixth."""
    edge = np.minimum(np.arange(side), np.arange(side)[::-1]) + 0.5
    ramp = np.clip(edge / max(side / 6, 1.0), 0, 1)
    return np.minimum.outer(ramp, ramp)


def paste(canvas: np.ndarray, face: np.ndarray, top: int, left: int) -> None:
    """Blend ``face`` into ``canvas`` in place with soft edges."""
    side = face.shape[0]
    alpha = feather(side)
    region = canvas[top : top + side, left : left + side]
    region[...] = alpha * face + (1 - alpha) * region


def jitter_light(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random gain, offset, gamma, blur and noise: the same face under other light and lenses."""
    out = np.clip(img, 0, 1) ** rng.uniform(0.7, 1.4)
    out = out * rng.uniform(0.5, 1.2) + rng.uniform(-0.1, 0.25)
    if rng.random() < 0.3:
        out = ndimage.gaussian_filter(out, rng.uniform(0.3, 1.0))
    out = out + rng.normal(0, rng.uniform(0, 0.03), out.shape)
    return np.clip(out, 0, 1).astype(np.float32)


def random_patch(photos: list[np.ndarray], side: int, rng: np.random.Generator) -> np.ndarray:
    """A square of ``side`` pixels from a random photo at a random scale."""
    img = photos[rng.integers(len(photos))]
    most = min(img.shape)
    span = int(rng.uniform(min(side, most), most + 1))
    top, left = rng.integers(0, img.shape[0] - span + 1), rng.integers(0, img.shape[1] - span + 1)
    return resized(img[top : top + span, left : left + span], (side, side))


def positive(face: np.ndarray, photos: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """A training face: flipped, tilted ±15°, rescaled ±12 %, often turned aside (one half
    narrowed to 40-100 %), sometimes partly hidden (:func:`hidden`), moved ±2 px over a random
    background."""
    face = face[:, ::-1] if rng.random() < 0.5 else face
    face = ndimage.rotate(face, rng.uniform(-15, 15), reshape=False, mode="nearest", order=1)
    face = turned(face, rng.uniform(0.4, 1.0)) if rng.random() < 0.5 else face
    face = hidden(face, rng) if rng.random() < 0.3 else face
    side = round(WINDOW * rng.uniform(0.89, 1.12))
    canvas = random_patch(photos, 2 * WINDOW, rng)
    top = WINDOW - side // 2 + rng.integers(-2, 3)
    left = WINDOW - side // 2 + rng.integers(-2, 3)
    paste(canvas, resized(face, (side, side)), top, left)
    crop = canvas[WINDOW - WINDOW // 2 :][:WINDOW, WINDOW - WINDOW // 2 :][:, :WINDOW]
    return jitter_light(crop, rng)


def turned(face: np.ndarray, far: float) -> np.ndarray:
    """A face turned a little aside: its right half narrowed to ``far`` of its width and its left
    half widened to fill the square (columns resampled; rows unchanged).

    >>> turned(np.tile(np.arange(4.0), (4, 1)), 1.0)[0].tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    side = face.shape[1]
    half = side / 2
    near = side - far * half  # pixels the left half now takes
    out = np.arange(side) + 0.5  # output column centres
    src = np.where(out < near, out * half / near, half + (out - near) / far)  # (side,)
    cols = np.clip(src - 0.5, 0, side - 1)
    return ndimage.map_coordinates(
        face, np.meshgrid(np.arange(face.shape[0]), cols, indexing="ij"), order=1, mode="nearest"
    )


def hidden(face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A face partly hidden (by a hand, a camera, a scarf): a dark or light block over 15-35 % of
    its width from one side, or over a lower corner, with a little texture.

    >>> hidden(np.full((4, 4), 0.5), np.random.default_rng(0)).shape
    (4, 4)
    """
    out, (h, w) = face.copy(), face.shape
    shade = rng.choice([rng.uniform(0.0, 0.25), rng.uniform(0.7, 1.0)])
    block = shade + rng.normal(0, 0.03, face.shape)
    cut = max(1, round(w * rng.uniform(0.15, 0.35)))
    low = h - max(1, round(h * rng.uniform(0.3, 0.5)))
    rows = slice(0, h) if rng.random() < 0.6 else slice(low, h)
    cols = slice(0, cut) if rng.random() < 0.5 else slice(w - cut, w)
    out[rows, cols] = block[rows, cols]
    return np.clip(out, 0, 1)


def near_miss(face: np.ndarray, photos: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """A window that is not one face: a face much smaller or larger than it, or far off-centre."""
    canvas = random_patch(photos, 3 * WINDOW, rng)
    kind = rng.integers(3)
    factor = [rng.uniform(0.35, 0.6), rng.uniform(1.7, 2.6), rng.uniform(0.95, 1.05)][kind]
    side = round(WINDOW * factor)
    off = [0, 0, WINDOW * rng.uniform(0.35, 0.7)][kind]
    angle = rng.uniform(0, 2 * np.pi)
    centre = 1.5 * WINDOW + off * np.array([np.sin(angle), np.cos(angle)])
    top, left = (round(v - side / 2) for v in centre)
    if kind == 1:
        top, left = top + rng.integers(-side // 4, side // 4 + 1), left
    top, left = np.clip([top, left], 0, 3 * WINDOW - side)
    paste(canvas, resized(face, (side, side)), top, left)
    start = WINDOW
    return jitter_light(canvas[start : start + WINDOW, start : start + WINDOW], rng)


@dataclass(frozen=True)
class Scene:
    """A held-out picture with faces pasted at known places: uint8 (H, W) and boxes (N, 4)."""

    pixels: np.ndarray
    boxes: np.ndarray


def scenes(count: int = 40, seed: int = 1, shape: tuple[int, int] = (240, 320),
           held_out: bool = True, varied: float = 0.0) -> list[Scene]:  # fmt: skip
    """Held-out scenes: 1-3 held-out faces, 30-100 px, in face-free backgrounds never mined
    (``held_out=False``: training faces on the mining photos, to fit the cascade's boxes);
    a ``varied`` share of the faces turned aside and half of those partly hidden."""
    rng, vary = np.random.default_rng(seed), np.random.default_rng(seed + 1000)
    faces = face_split()[2 if held_out else 0]
    backs = [photo(n) for n in (SCENE if held_out else MINING)]
    out = []
    for _ in range(count):
        canvas = random_patch(backs, max(shape), rng)[: shape[0], : shape[1]].copy()
        boxes: list[tuple[float, ...]] = []
        for _ in range(rng.integers(1, 4)):
            side = int(rng.uniform(30, 100))
            for _try in range(20):
                top = int(rng.integers(0, shape[0] - side))
                left = int(rng.integers(0, shape[1] - side))
                box = (left, top, left + side, top + side)
                if all(_apart(box, b) for b in boxes):
                    break
            else:
                continue
            face = jitter_light(faces[rng.integers(len(faces))][:, :: rng.choice([-1, 1])], rng)
            if vary.random() < varied:  # a separate stream: the plain scenes stay the same
                face = turned(face, vary.uniform(0.45, 0.8))
                face = hidden(face, vary) if vary.random() < 0.5 else face
            paste(canvas, resized(face, (side, side)), top, left)
            boxes.append(tuple(float(v) for v in box))
        out.append(Scene(np.uint8(np.rint(canvas * 255)), np.array(boxes).reshape(-1, 4)))
    return out


def _apart(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def cascade_boxes(pixels: np.ndarray, min_size: int, max_size: int) -> np.ndarray:
    """scikit-image's LBP frontal-face cascade on a gray uint8 picture: boxes (N, 4)."""
    from skimage.data import lbp_frontal_face_cascade_filename  # heavy: the anchor only
    from skimage.feature import Cascade  # heavy: the anchor only

    finder = Cascade(lbp_frontal_face_cascade_filename())
    found = finder.detect_multi_scale(img=pixels, scale_factor=1.2, step_ratio=1,
                                      min_size=(min_size, min_size),
                                      max_size=(max_size, max_size))  # fmt: skip
    rows = [(f["c"], f["r"], f["c"] + f["width"], f["r"] + f["height"]) for f in found]
    return np.array(rows, np.float64).reshape(-1, 4)
