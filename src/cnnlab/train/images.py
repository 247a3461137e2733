"""Turn a user's picture (PNG/JPEG) into the input a run's model expects.

For digit models (MNIST, 28×28 gray) this repeats MNIST's own preprocessing on the picture's
ink, estimated apart from its paper (:func:`cnnlab.train.paper.ink_map`: gray or tinted paper,
uneven light, coloured ink, JPEG noise, light ink on a dark screen); crop to the ink's
bounding box; scale the longer side to 20 pixels keeping the aspect ratio (antialiased); paste
into 28×28 so the ink's center of mass sits at the center. Fashion-MNIST pictures are inverted,
cropped and scaled to fill 28 pixels. Other models get the picture resized to their input shape.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from scipy import ndimage
from skimage.transform import resize

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.imageio import read_image
from cnnlab.train.paper import ink_map

#: box the longer side of the ink is scaled into, as a fraction of the side (MNIST: 20 of 28)
_BOX = {"mnist": 20 / 28, "digits": 1.0, "fashion-mnist": 1.0}


def style_for(config: dict[str, Any]) -> str:
    """``"digit"`` (MNIST-like), ``"fashion"`` or ``"resize"`` for a run's config."""
    name = str(config.get("dataset", ""))
    if name in ("mnist", "digits"):
        return "digit"
    if name == "fashion-mnist":
        return "fashion"
    return "resize"


def load_image(
    path: str | os.PathLike | bytes | np.ndarray, input_shape: tuple[int, ...], style: str
) -> np.ndarray:
    """Read a PNG/JPEG (or take one already decoded: uint8 (H, W) or (H, W, 3)) and return
    float32 (C, H, W) in [0, 1] for a model of ``input_shape``."""
    if len(input_shape) != 3 or input_shape[0] not in (1, 3):
        raise InvalidArgumentError(
            _(
                "predicting from an image needs a model for images; expected input shape "
                "(1 or 3, H, W). Received: {shape}",
                shape=tuple(input_shape),
            )
        )
    channels, height, width = input_shape
    if style == "digit" and channels == 1:
        pixels = path if isinstance(path, np.ndarray) else read_image(path, mode="RGB")
        box = _BOX["mnist"] if height == 28 else 1.0
        return center_ink(ink_map(pixels), height, width, box, by_mass=True)[None]  # (1, H, W)
    mode = "L" if channels == 1 else "RGB"
    pixels = path if isinstance(path, np.ndarray) else read_image(path, mode=mode)
    if mode == "RGB" and pixels.ndim == 2:
        pixels = np.repeat(pixels[..., None], 3, axis=2)
    elif mode == "L" and pixels.ndim == 3:
        pixels = np.rint(pixels @ np.array([0.299, 0.587, 0.114])).astype(np.uint8)  # Pillow's L
    img = pixels.astype(np.float32) / 255.0
    if style == "resize" or channels != 1:
        out = resize(img, (height, width), anti_aliasing=True, preserve_range=True)
        out = out[None] if channels == 1 else np.moveaxis(out, -1, 0)  # (C, H, W)
        return np.clip(out, 0.0, 1.0).astype(np.float32)
    return center_ink(light_on_dark(img), height, width, 1.0, by_mass=False)[None]  # (1, H, W)


def light_on_dark(img: np.ndarray) -> np.ndarray:
    """Invert a gray picture in [0, 1] when its border is light (dark ink on light paper).

    >>> light_on_dark(np.array([[1.0, 1.0], [1.0, 0.0]])).tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    return 1.0 - img if border.mean() > 0.5 else img


def center_ink(ink: np.ndarray, height: int, width: int, box: float, by_mass: bool) -> np.ndarray:
    """Crop to the ink, scale its longer side to ``box``·side, center it in height × width."""
    mask = ink > 0.1 * max(float(ink.max()), 1e-6)
    if not mask.any():
        return np.zeros((height, width), np.float32)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]  # (h, w)
    scale = box * min(height, width) / max(crop.shape)
    new_h = max(1, min(height, round(crop.shape[0] * scale)))
    new_w = max(1, min(width, round(crop.shape[1] * scale)))
    small = resize(crop, (new_h, new_w), anti_aliasing=True, preserve_range=True)
    small = np.clip(small, 0.0, 1.0)
    if by_mass and small.sum() > 0:
        cy, cx = ndimage.center_of_mass(small)
    else:
        cy, cx = (new_h - 1) / 2, (new_w - 1) / 2
    top = int(np.clip(round((height - 1) / 2 - cy), 0, height - new_h))
    left = int(np.clip(round((width - 1) / 2 - cx), 0, width - new_w))
    out = np.zeros((height, width), np.float32)
    out[top : top + new_h, left : left + new_w] = small
    return out


def predict_files(
    run: Any, paths: list[str], top: int = 3, engine: str = "torch"
) -> list[dict[str, Any]]:
    """Top-``top`` classes with probabilities for each image file."""
    if top < 1:
        raise InvalidArgumentError(_("top must be at least 1. Received: top={top!r}", top=top))
    style = style_for(run.config)
    x = np.stack([load_image(p, run.input_shape, style) for p in paths])  # (N, C, H, W)
    probs = run.predict(x, engine=engine)  # (N, K)
    results = []
    for path, p in zip(paths, probs, strict=True):
        order = np.argsort(-p, kind="stable")[: min(top, len(p))]
        results.append(
            {
                "image": str(path),
                "top": [
                    {"class": run.classes[i], "index": int(i), "prob": float(p[i])} for i in order
                ],
            }
        )
    return results
