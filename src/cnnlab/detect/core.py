"""Find things in a picture with a classifier trained on crops: one fully-convolutional pass per
scale of an image pyramid, boxes where the object score passes a threshold, then non-maximum
suppression.

>>> det = load_detector("runs/faces")            # doctest: +SKIP
>>> detect(det, "astronaut").boxes[0].to_dict()   # doctest: +SKIP
{'box': [172.0, 68.0, 268.0, 164.0], 'class': 'face', 'score': 0.99}
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from cnnlab.detect.boxes import nms
from cnnlab.detect.fcn import FullyConv, fully_convolutional
from cnnlab.detect.ink import join_stacked, second_look, tight
from cnnlab.errors import InputFileError, InvalidArgumentError, ShapeError
from cnnlab.i18n import _, shape_text
from cnnlab.imageio import read_image
from cnnlab.samples import get_sample, sample_names
from cnnlab.train import Run, load_run
from cnnlab.train.images import style_for
from cnnlab.train.paper import ink_map

#: class names that mean "nothing here"; every other class is a thing to find
BACKGROUND = ("non-face", "background", "none")
#: what a run folder records about how it detects (written beside config.json)
META = "detect.json"
INPUTS = ("gray", "ink", "rgb")


@dataclass(frozen=True)
class DetectConfig:
    """Settings of one search; None takes the model's own (its detect.json, else generic)."""

    threshold: float | None = None  # lowest object probability a box keeps, in (0, 1)
    min_size: int | None = None  # smallest box side searched, in picture pixels
    max_size: int | None = None  # largest box side searched (at most the picture's shorter side)
    step: float = 1.25  # ratio between neighbouring scales of the pyramid (> 1)
    overlap: float = 0.3  # NMS: a box overlapping a better one by IoU above this is dropped
    max_boxes: int = 200  # boxes kept per picture, best first

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0 < self.threshold < 1:
            raise InvalidArgumentError(
                _("threshold must be in (0, 1); expected e.g. {example}. Received: {value!r}",
                  example=0.5, value=self.threshold)
            )
        for name in ("min_size", "max_size"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 4):
                raise InvalidArgumentError(
                    _("{name} must be a whole number of pixels >= 4. Received: {value!r}",
                      name=name, value=value)
                )
        if self.min_size and self.max_size and self.min_size > self.max_size:
            raise InvalidArgumentError(
                _("min_size is larger than max_size; expected min_size <= max_size. Received: "
                  "min_size={low}, max_size={high}", low=self.min_size, high=self.max_size)
            )
        if not self.step > 1 or not 0 <= self.overlap < 1:
            raise InvalidArgumentError(
                _("step must be > 1 and overlap in [0, 1). Received: step={step!r}, "
                  "overlap={overlap!r}", step=self.step, overlap=self.overlap)
            )


@dataclass(frozen=True)
class Detector:
    """A run opened for detection: its fully-convolutional twin and how it reads pictures."""

    run: Run
    net: FullyConv
    what: str  # "faces", "digits" or "run"
    input: str  # "gray", "ink" (a photo of writing: ink estimated from its paper) or "rgb"
    defaults: DetectConfig  # the model's own threshold and sizes
    background: int | None  # index of the background class, None when every class is a thing
    reader: Run | None = None  # a classifier of centred characters that reads each box again
    mirror: bool = False  # average each window's scores with its mirror image's (faces)

    @property
    def window(self) -> int:
        return max(self.net.window.height, self.net.window.width)


@dataclass(frozen=True)
class Found:
    """One box: ``[x0, y0, x1, y1]`` in input pixels, its class and its score."""

    box: tuple[float, float, float, float]
    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"box": [round(v, 1) for v in self.box], "class": self.label,
                "score": round(self.score, 4)}  # fmt: skip


@dataclass(frozen=True)
class ScoreMap:
    """The object score of every window at one scale of the pyramid."""

    scale: float  # scaled picture side / picture side
    size: int  # box side in picture pixels that this scale finds
    scores: np.ndarray  # (h, w) object probability per cell, cells stride/scale pixels apart


@dataclass(frozen=True)
class Detection:
    """What one picture gave: its boxes (best first) and the score maps behind them."""

    image: str
    height: int
    width: int
    boxes: tuple[Found, ...]
    maps: tuple[ScoreMap, ...] = field(repr=False)
    seconds: float  # reading excluded: pyramid, passes, boxes and suppression
    picture: np.ndarray = field(repr=False)  # what the model looked at, (H, W) or (H, W, 3)

    def to_dict(self) -> dict[str, Any]:
        return {"image": self.image, "boxes": [b.to_dict() for b in self.boxes]}


def load_detector(run: str | os.PathLike | Run, what: str = "run") -> Detector:
    """Open a run folder (or Run) as a detector; NotImageClassifierError for other models."""
    run = run if isinstance(run, Run) else load_run(run)
    meta = _meta(run)
    net = fully_convolutional(run.model)
    classes = [str(c) for c in run.classes]
    background = next((i for i, c in enumerate(classes) if c in BACKGROUND), None)
    if background is not None and len(classes) < 2:
        background = None
    side = max(net.window.height, net.window.width)
    style = style_for(run.config)
    guess = "rgb" if run.input_shape[0] == 3 else "ink" if style == "digit" else "gray"
    defaults = DetectConfig(
        threshold=float(meta.get("threshold", 0.5)),
        min_size=int(meta.get("min_size", side)),
        max_size=int(meta.get("max_size", 8 * side)),
    )
    reader = load_run(run.path / meta["reader"]) if meta.get("reader") else None
    return Detector(run, net, str(meta.get("what", what)), str(meta.get("input", guess)),
                    defaults, background, reader, bool(meta.get("mirror", False)))  # fmt: skip


def _meta(run: Run) -> dict[str, Any]:
    path = run.path / META
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or meta.get("input", "gray") not in INPUTS:
        raise InputFileError(
            _("{path} is not a detection record cnnlab wrote; expected JSON with input one of "
              "{inputs}. Received: {meta}", path=path, inputs=", ".join(INPUTS),
              meta=str(meta)[:60])
        )
    return meta


def read_picture(image: Any) -> tuple[np.ndarray, str]:
    """A picture as uint8 (H, W) or (H, W, 3) and its name: a PNG/JPEG path, bytes, a sample
    name (``astronaut``, ``camera``, …) or an array already decoded."""
    if isinstance(image, np.ndarray):
        if image.ndim not in (2, 3) or image.dtype != np.uint8:
            raise ShapeError(
                _("a picture array must be uint8 (H, W) or (H, W, 3). Received: {dtype} {shape}",
                  dtype=str(image.dtype), shape=shape_text(image.shape))
            )
        return image, "<array>"
    if isinstance(image, bytes):
        return read_image(image, "RGB", label="<upload>"), "<upload>"
    text = str(image)
    if not Path(text).is_file() and text in sample_names():
        return np.uint8(np.clip(np.rint(get_sample(text, gray=False)), 0, 255)), text
    if not Path(text).is_file():
        raise InputFileError(
            _("{text} is neither a picture file nor a sample name; expected a PNG or JPEG file "
              "or a sample such as astronaut. Received: {text}", text=text)
        )
    return read_image(text, "RGB", label=text), text


def model_input(detector: Detector, pixels: np.ndarray) -> np.ndarray:
    """What the model looks at: float32 (C, H, W) in [0, 1]."""
    if detector.input == "ink":
        return ink_map(pixels)[None]  # (1, H, W) ink on black, like MNIST
    if detector.input == "rgb":
        rgb = pixels if pixels.ndim == 3 else np.repeat(pixels[..., None], 3, axis=2)
        return np.moveaxis(rgb.astype(np.float32) / 255.0, -1, 0)  # (3, H, W)
    gray = pixels if pixels.ndim == 2 else pixels[..., :3] @ np.array([0.299, 0.587, 0.114])
    return (np.asarray(gray, np.float32) / 255.0)[None]  # (1, H, W)


def detect(
    detector: Detector,
    image: Any,
    config: DetectConfig | None = None,
    between: Callable[[], None] | None = None,
) -> Detection:
    """Boxes of the things ``detector`` finds in ``image`` (see :func:`read_picture`);
    ``between`` is called before each scale of the pyramid (it may raise to stop the search,
    as the lab does when the page that asked has gone)."""
    pixels, name = read_picture(image)
    cfg = settled(detector, config or DetectConfig(), pixels.shape[:2])
    t0 = time.perf_counter()
    x = model_input(detector, pixels)  # (C, H, W)
    maps, cells = [], []
    for size in pyramid(cfg):
        if between is not None:
            between()
        found = _one_scale(detector, x, size, cfg.threshold)
        if found is not None:
            maps.append(found[0])
            cells.append(found[1])
    boxes = _suppress(detector, cells, cfg, x)
    seconds = time.perf_counter() - t0
    shown = x[0] if detector.input == "ink" else pixels
    return Detection(name, pixels.shape[0], pixels.shape[1], boxes, tuple(maps), seconds, shown)


def settled(detector: Detector, cfg: DetectConfig, shape: tuple[int, ...]) -> DetectConfig:
    """``cfg`` with the model's defaults filled in and the sizes fitted to the picture."""
    own = detector.defaults
    short = min(shape)
    if short < detector.window:
        raise ShapeError(
            _("the picture is {size} pixels but the model's window is {window} pixels; expected a "
              "picture at least {window} pixels a side. Received: {size}",
              size=shape_text(shape[::-1]), window=detector.window)
        )
    low = cfg.min_size or own.min_size or detector.window
    high = min(cfg.max_size or own.max_size or short, short)
    return replace(cfg, threshold=cfg.threshold or own.threshold, min_size=min(low, high),
                   max_size=high)  # fmt: skip


def pyramid(cfg: DetectConfig) -> list[int]:
    """Box sides searched, from min_size to max_size, ``step`` apart.

    >>> pyramid(DetectConfig(min_size=24, max_size=60, step=1.5))
    [24, 36, 54]
    """
    count = math.floor(math.log(cfg.max_size / cfg.min_size) / math.log(cfg.step) + 1e-9)
    return [round(cfg.min_size * cfg.step**i) for i in range(count + 1)]


def _one_scale(detector: Detector, x: np.ndarray, size: int, threshold: float):
    """The score map at box side ``size`` and its cells above ``threshold`` as
    (boxes (n, 4), scores (n,), classes (n,))."""
    win = detector.net.window
    scale = detector.window / size
    h, w = round(x.shape[1] * scale), round(x.shape[2] * scale)
    if h < win.height or w < win.width:
        return None
    probs = class_maps(detector, x, (h, w))  # (K, h', w')
    score, label = object_scores(detector, probs)
    i, j = np.nonzero(score >= threshold)
    sy, sx = h / x.shape[1], w / x.shape[2]
    x0, y0 = j * win.stride / sx, i * win.stride / sy
    boxes = np.stack([x0, y0, x0 + win.width / sx, y0 + win.height / sy], axis=1)  # (n, 4)
    return ScoreMap(scale, size, score), (boxes, score[i, j], label[i, j])


def class_maps(detector: Detector, x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Class probabilities of every window of ``x`` resized to ``size``: (K, h', w')."""
    run = detector.run
    t = torch.from_numpy(np.ascontiguousarray(x))[None]  # (1, C, H, W)
    if tuple(t.shape[2:]) != size:
        t = F.interpolate(t, size=size, mode="bilinear", antialias=True, align_corners=False)
    view = (1, -1, 1, 1)
    mean = torch.tensor(run.config["mean"], dtype=torch.float32).view(view)
    std = torch.tensor(run.config["std"], dtype=torch.float32).view(view)
    t = (t - mean) / std
    with torch.no_grad():
        probs = torch.softmax(detector.net(t), dim=1)[0]  # (K, h', w')
        if detector.mirror:  # the same windows mirrored: cell j of the flipped map is w' - 1 - j
            seen = detector.net.window.width + detector.net.window.stride * (probs.shape[2] - 1)
            flipped = detector.net(t[..., :seen].flip(-1))
            probs = (probs + torch.softmax(flipped, dim=1)[0].flip(-1)) / 2
    return probs.numpy()


def object_scores(detector: Detector, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the probability that a thing is there and the index of the likeliest thing."""
    if detector.background is None:
        return probs.max(axis=0), probs.argmax(axis=0)
    things = probs.copy()
    things[detector.background] = -1.0
    return 1.0 - probs[detector.background], things.argmax(axis=0)


def _suppress(detector: Detector, cells: list, cfg: DetectConfig, x: np.ndarray):
    if not cells:
        return ()
    boxes = np.concatenate([c[0] for c in cells])
    scores = np.concatenate([c[1] for c in cells])
    labels = np.concatenate([c[2] for c in cells])
    top = np.argsort(-scores, kind="stable")[: 20 * cfg.max_boxes]  # bound the NMS work
    boxes, scores, labels = boxes[top], scores[top], labels[top]
    if detector.input == "ink":
        boxes = np.stack([tight(x[0], b) for b in boxes]) if len(boxes) else boxes
    # characters and faces do not nest: a box mostly inside a better one is part of the same one
    apart = detector.input == "ink" or detector.what == "faces"
    keep = nms(boxes, scores, cfg.overlap, of_smaller=apart)[: cfg.max_boxes]
    if detector.input == "ink":
        keep, boxes = join_stacked(boxes, keep)
        if detector.reader is not None:
            labels = labels.copy()
            labels[keep] = reread(detector.reader, detector.run.classes, x[0], boxes[keep])
    names = detector.run.classes
    return tuple(Found(tuple(float(v) for v in boxes[k]), str(names[labels[k]]),
                       float(scores[k])) for k in keep)  # fmt: skip


def reread(reader: Run, classes: list, ink: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The index in ``classes`` (the detector's) of each character in ``boxes`` as ``reader``
    sees it re-centred (:func:`cnnlab.detect.ink.second_look`)."""
    names = [str(c) for c in classes]
    index = np.array([names.index(str(c)) for c in reader.classes])  # reader class → ours
    return index[second_look(reader, ink, boxes).argmax(axis=1)]
