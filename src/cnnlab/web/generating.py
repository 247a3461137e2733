"""The Generate tab: digits of a chosen label from a trained conditional VAE, or a morph from
one label to another, drawn with a chosen seed. Every number is checked against the lab's
limits before anything is decoded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.generate import grid_labels, morph, sample
from cnnlab.i18n import N_, _, group
from cnnlab.viz.gen_report import tile
from cnnlab.web import limits as L
from cnnlab.web.handlers import shows_errors, whole
from cnnlab.web.text import t

SCALE = 3  # screen pixels per digit pixel (28 → 84)


@dataclass(frozen=True)
class GenerateView:
    grid: np.ndarray | None = None  # (H, W) uint8: the digits, or the morph's steps in a row
    frames: tuple[np.ndarray, ...] = ()  # the morph, one enlarged digit per frame
    note: str = ""
    message: str = ""


def _label(value: Any, name: str, k: int) -> int:
    number = whole(value, name)
    if number >= k:
        raise InvalidArgumentError(
            _("{name} must be one of the generator's labels 0..{last}. Received: {name}={value}",
              name=name, last=k - 1, value=number)
        )  # fmt: skip
    return number


@shows_errors(GenerateView)
def generate_digits(run: Any, label: Any, morph_to: Any, seed: Any, count: Any, lang: str,
                    limits: L.Limits = L.LIMITS) -> GenerateView:  # fmt: skip
    """``count`` digits of ``label``, or with ``morph_to`` (a label, or empty) the walk between."""
    if run is None:
        raise InvalidArgumentError(t("gen_none", lang))
    k = run.num_classes
    first = _label(label, "label", k)
    seed_n = L.check_at_most(N_("the seed"), whole(seed, "seed"), limits.gen_seed)
    if str(morph_to if morph_to is not None else "").strip():
        end = _label(morph_to, "morph_to", k)
        steps = limits.gen_steps
        frames = morph(run, first, end, steps, seed_n)  # (S, 1, 28, 28)
        pictures = tuple(tile(f[None], 1, SCALE, gap=0) for f in frames)
        note = t("gen_morph_note", lang, a=first, b=end, n=steps, seed=seed_n)
        return GenerateView(tile(frames, steps, 2), pictures, note)
    n = L.check_at_most(N_("the number of digits"), whole(count, "count", 1),
                        limits.gen_count)  # fmt: skip
    images = sample(run, grid_labels(n, first, k), seed=seed_n)  # (n, 1, 28, 28)
    note = t("gen_note", lang, n=group(n, lang), label=first, seed=seed_n, run=run.path.name)
    return GenerateView(tile(images, min(n, 8), SCALE), (), note)
