"""Digits from a trained conditional VAE: draw codes from the prior N(0, I), scaled by a
temperature, decode them with the labels asked for, tile them into a grid, or walk from one
digit to another.

The **temperature** scales the drawn codes: 1 samples the prior as trained, lower values keep the
codes nearer its centre, where the decoder's digits are clearest, at the price of variety. The
default, 0.8, is the one `docs/experiments.md` measures beside 1 (label agreement and Fréchet
distance at both).

Layout as in the data sets: (N, 1, 28, 28) float32 in [0, 1]. The same seed gives the same
digits. Example: ``grid_labels(20, None, 10)`` is two of each label, one row per label.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from cnnlab.errors import InvalidArgumentError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import _
from cnnlab.models.build import TEMPERATURE
from cnnlab.train import Run, load_run
from cnnlab.train.objectives import is_generative
from cnnlab.viz._video import write_frames
from cnnlab.viz.gen_report import tile

OUTPUTS = (".png", ".npy")


@dataclass(frozen=True)
class GenerateConfig:
    """What ``cnnlab generate`` makes (the CLI's defaults come from here)."""

    count: int = 64  # digits in all; without a label, count // K of each label, one row each
    seed: int = 0  # draws the codes; the same seed gives the same digits
    steps: int = 24  # pictures in a morph from one label to the other (GIF frames)
    scale: int = 3  # each pixel drawn as scale × scale in pictures (28 → 84)
    fps: float = 8.0  # frames per second of a morph GIF
    temperature: float = TEMPERATURE  # scale of the drawn codes, in (0, 2]

    def __post_init__(self) -> None:
        check_temperature(self.temperature)
        for name, low, high in (("count", 1, 10_000), ("steps", 2, 200), ("scale", 1, 16)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidArgumentError(
                    _(
                        "{name} must be a whole number in [{low}, {high}]. Received: "
                        "{name}={value!r}",
                        name=name,
                        low=low,
                        high=high,
                        value=value,
                    )
                )


def check_temperature(value: Any) -> float:
    """``value`` as a temperature in (0, 2], or a clear error."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 2
    if not ok:
        raise InvalidArgumentError(
            _(
                "temperature must be a number in (0, 2]; expected e.g. 0.8 (1 samples the plain "
                "prior). Received: temperature={value!r}",
                value=value,
            )
        )
    return float(value)


def generator_run(run: Any) -> Run:
    """``run`` (a Run or a folder) checked to be a generative one."""
    run = run if isinstance(run, Run) else load_run(run)
    if not is_generative(run.model):
        raise InvalidArgumentError(
            _(
                "{path} holds a classifier; expected a run of a generative model (train one "
                "with cnnlab train --model conv-vae --dataset mnist). Received: {spec}",
                path=run.path,
                spec=run.config["spec"],
            )
        )
    return run


def _label(value: Any, k: int, name: str = "label") -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < k:
        shown = int(value) if isinstance(value, np.integer) else repr(value)
        raise InvalidArgumentError(
            _(
                "{name} must be one of the run's labels 0..{last}. Received: {name}={shown}",
                name=name,
                last=k - 1,
                shown=shown,
            )
        )
    return int(value)


def grid_labels(count: int, label: int | None, num_classes: int) -> np.ndarray:
    """The labels of a grid: ``count`` of ``label``, or ``count // K`` (at least 1) of each."""
    if label is not None:
        return np.full(count, _label(label, num_classes), dtype=np.int64)
    per = max(1, count // num_classes)
    return np.repeat(np.arange(num_classes, dtype=np.int64), per)  # (K·per,)


@torch.inference_mode()
def sample(run: Any, labels: Any, seed: int = 0, batch: int = 1000,
           temperature: float = TEMPERATURE) -> np.ndarray:  # fmt: skip
    """Digits of ``labels`` (N,), decoded from codes drawn with ``seed`` and scaled by
    ``temperature``: (N, 1, 28, 28).

    Batches use seeds ``seed``, ``seed + 1``, ... so any count is reproducible."""
    run = generator_run(run)
    temperature = check_temperature(temperature)
    y = torch.as_tensor(np.asarray([_label(v, run.num_classes) for v in np.ravel(labels)]))
    model = run.model.eval()
    out = [
        model.sample(y[i : i + batch], seed + i // batch, temperature)
        for i in range(0, len(y), batch)
    ]
    shape = (0, *run.input_shape)
    return torch.cat(out).numpy().astype(np.float32) if out else np.zeros(shape, np.float32)


def morph(run: Any, start: int, end: int, steps: int = 24, seed: int = 0,
          temperature: float = TEMPERATURE) -> np.ndarray:  # fmt: skip
    """A walk from label ``start`` to ``end``: the code goes in a straight line between two
    draws and the label from one-hot(start) to one-hot(end). (steps, 1, 28, 28)."""
    run = generator_run(run)
    k = run.num_classes
    a, b = _label(start, k, "start"), _label(end, k, "end")
    frames = run.model.eval().morph(a, b, steps, seed, check_temperature(temperature))
    return frames.numpy().astype(np.float32)


def reconstruct(run: Any, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The model's rebuilding of ``images`` (N, 1, 28, 28) through the code's mean."""
    run = generator_run(run)
    y = torch.as_tensor(np.asarray(labels, dtype=np.int64))
    return run.model.eval().reconstruct(run.preprocess(images), y).numpy().astype(np.float32)


def _png(picture: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, format="PNG")
    return buf.getvalue()


def write_samples(images: np.ndarray, path: str | os.PathLike, cols: int | None = None,
                  scale: int = 3) -> Path:  # fmt: skip
    """Write ``images`` as a grid ``.png`` or as a ``.npy`` array (N, 1, 28, 28) float32."""
    path = Path(path)
    suffix = _suffix(path, OUTPUTS)
    if suffix == ".npy":
        buf = io.BytesIO()
        np.save(buf, images.astype(np.float32), allow_pickle=False)
        atomic_write_bytes(path, buf.getvalue())
    else:
        cols = cols or math.ceil(math.sqrt(len(images)))
        atomic_write_bytes(path, _png(tile(images, cols, scale)))
    return path


def write_morph(frames: np.ndarray, path: str | os.PathLike, scale: int = 4, fps: float = 8.0,
                ) -> Path:  # fmt: skip
    """Write a morph as a looping ``.gif`` (each frame one digit, ``scale`` times larger)."""
    _suffix(Path(path), (".gif",))

    def rgb(img: np.ndarray) -> np.ndarray:
        return np.repeat(tile(img[None], 1, scale, gap=0)[..., None], 3, axis=2)  # (H, W, 3)

    return write_frames(path, lambda: (rgb(f) for f in frames), lambda: rgb(frames[-1]), fps)


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise InvalidArgumentError(
            _(
                "cannot write {name}; expected a file ending in {allowed}. Received: {suffix}",
                name=path.name,
                allowed=_(" or ").join(allowed),
                suffix=path.suffix or _("no suffix"),
            )
        )
    return suffix
