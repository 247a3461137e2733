"""The Draw tab: a drawing read like ``cnnlab predict`` reads a photo, moved by the shift
sliders, and every chosen run's answer side by side, with the first CNN's feature maps."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from PIL import Image

from cnnlab.data.transforms import translate
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, shape_text
from cnnlab.imageio import read_image
from cnnlab.train.images import load_image, style_for
from cnnlab.viz.layers import layer_outputs
from cnnlab.web import limits as L
from cnnlab.web.handlers import shows_errors
from cnnlab.web.render import feature_grid, gray
from cnnlab.web.text import t


@dataclass(frozen=True)
class Prediction:
    """One model's answer for a drawing: its name and every class with its probability."""

    name: str
    kind: str  # "CNN" (has conv layers) or "MLP"
    probs: tuple[tuple[str, float], ...]  # (class, probability), most likely first


@dataclass(frozen=True)
class DrawView:
    predictions: tuple[Prediction, ...] = ()
    seen: np.ndarray | None = None  # (H, W) uint8: what the models see, shifted
    features: tuple[tuple[str, str, np.ndarray], ...] = ()  # (layer, shape, tiled maps)
    note: str = ""  # a friendly hint: empty canvas, which runs are loaded
    message: str = ""

    @property
    def probs(self) -> dict[str, float]:
        """The first model's probabilities by class."""
        return dict(self.predictions[0].probs) if self.predictions else {}


def run_note(run, lang: str = "en") -> str:
    """One line about a run, as plain text (the page escapes it): name, spec, data, classes."""
    return t(
        "run_loaded",
        lang,
        path=run.path.name,
        spec=str(run.config.get("spec", ""))[:300],
        dataset=str(run.config.get("dataset", ""))[:100],
        k=run.num_classes,
        shape=shape_text(run.input_shape),
    )


def is_cnn(run) -> bool:
    return any(isinstance(m, torch.nn.Conv2d | torch.nn.Conv1d) for m in run.model.modules())


#: layers whose outputs the Draw tab shows (batchnorm and dropout add little to look at)
SHOWN_LAYERS = (torch.nn.Conv2d, torch.nn.ReLU, torch.nn.Tanh, torch.nn.Sigmoid, torch.nn.GELU,
                torch.nn.MaxPool2d, torch.nn.AvgPool2d)  # fmt: skip


def feature_maps(run, x: np.ndarray, per_layer: int = 16) -> tuple:
    """``(layer name, shape text, tiled uint8 maps)`` for every shown layer of ``run`` on one
    image ``x`` (C, H, W) in [0, 1]: the model's own forward hooks, first ``per_layer`` maps."""
    out = []
    for name, module, act in layer_outputs(run.model, run.preprocess(x[None])):
        if isinstance(module, SHOWN_LAYERS) and act.dim() == 4:
            maps = act[0].numpy()  # (C, H, W)
            out.append((name, shape_text(maps.shape), feature_grid(maps[:per_layer])))
    return tuple(out)


@shows_errors(DrawView)
def predict_drawing(
    drawing: bytes | None,
    runs: Sequence[Any],
    dx: Any = 0,
    dy: Any = 0,
    lang: str = "en",
    limits: L.Limits = L.LIMITS,
) -> DrawView:
    """Every run's class probabilities for a drawing (PNG/JPEG bytes, dark ink on light paper),
    side by side: MNIST's preprocessing (as ``cnnlab predict``), then the picture moved ``dx``
    pixels right and ``dy`` down (zero fill), then ``run.predict``. The first CNN among the runs
    also shows its feature maps, layer by layer."""
    shift = (signed(dx, "dx", limits.shift), signed(dy, "dy", limits.shift))
    if not runs:
        return DrawView(note=t("no_run", lang))
    if not drawing:
        return DrawView(note=t("empty_canvas", lang))
    L.check_at_most(N_("the drawing"), len(drawing), limits.upload_bytes, N_("bytes"))
    pixels = read_image(drawing, "L", limits.pixels, "the drawing")  # decoded once, (H, W)
    L.check_picture(pixels.shape, limits)
    pixels = shrunk(pixels)
    predictions, seen, features = [], None, ()
    for run in runs:
        x = load_image(pixels, run.input_shape, style_for(run.config))  # (C, H, W)
        if not x.any():  # nothing dark enough to count as ink
            return DrawView(note=t("empty_canvas", lang))
        x = translate(x[None], *shift)[0]
        probs = run.predict(x[None])[0]  # (K,)
        ranked = sorted(zip(map(str, run.classes), map(float, probs), strict=True),
                        key=lambda item: -item[1])  # fmt: skip
        predictions.append(Prediction(run.path.name, "CNN" if is_cnn(run) else "MLP",
                                      tuple(ranked)))  # fmt: skip
        if seen is None:
            seen = gray(x[0] if x.shape[0] == 1 else x.mean(axis=0))
        if not features and is_cnn(run):
            features = feature_maps(run, x)
    return DrawView(predictions=tuple(predictions), seen=seen, features=features)


DRAW_SIDE = 512  # a drawing's longer side is cut to this before the preprocessing (a model reads
# 28 pixels; the canvas sends about 280): a 2-MP photo then costs tens of MB, not 200


def shrunk(pixels: np.ndarray, side: int = DRAW_SIDE) -> np.ndarray:
    """uint8 ``pixels`` (H, W) with the longer side at most ``side`` (area averaging)."""
    scale = side / max(pixels.shape)
    if scale >= 1:
        return pixels
    size = (max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale)))
    return np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.BOX))


def signed(value: Any, name: str, most: int) -> int:
    """A whole number between ``-most`` and ``most`` from a page field."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not number.is_integer() or abs(number) > most:
        raise InvalidArgumentError(
            _("{name} must be a whole number from {least} to {most}; expected e.g. {name}=2. "
              "Received: {name}={value!r}", name=name, least=-most, most=most,
              value=str(value)[:40])
        )  # fmt: skip
    return int(number)
