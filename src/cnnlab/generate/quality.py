"""How good generated digits are, judged by a separately trained classifier.

- **Label agreement**: the share of digits made for label c that the classifier calls c.
- **Fréchet distance** between two sets of images in the classifier's last hidden layer (the
  features its output layer reads), with Gaussians fitted to each set::

      FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2·(Σ₁^½ Σ₂ Σ₁^½)^½)

  0 for identical sets; two sets of real digits give the scale a generator should reach.
  Example: one-dimensional features N(0, 1) and N(3, 4) are 3² + (1 + 4 − 2·2) = 10 apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from cnnlab.errors import InvalidArgumentError
from cnnlab.generate.sampling import TEMPERATURE, generator_run, sample
from cnnlab.i18n import _
from cnnlab.train import Run


@dataclass
class Quality:
    """A generator measured by a classifier."""

    agreement: float  # share of generated digits labelled as asked, in [0, 1]
    per_label: list[float]  # the same per label
    frechet: float | None  # Fréchet distance to the real digits (None when not asked)
    samples_per_s: float  # digits decoded per second (batches of 1,000, this process's threads)
    count: int  # digits judged
    extra: dict = field(default_factory=dict)


def _last_dense(model: nn.Module) -> nn.Linear:
    dense = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not dense:
        raise InvalidArgumentError(
            _(
                "the classifier has no dense output layer to read features from; expected a run "
                "ending in dense (e.g. small-cnn). Received: no dense layer"
            )
        )
    return dense[-1]


@torch.inference_mode()
def hidden_features(classifier: Run, images: np.ndarray, batch: int = 1000) -> np.ndarray:
    """What the classifier's output layer reads for each image: (N, F) float64."""
    model, found = classifier.model.eval(), []
    hook = _last_dense(model).register_forward_hook(lambda _m, inp, _o: found.append(inp[0]))
    try:
        for i in range(0, len(images), batch):
            model(classifier.preprocess(images[i : i + batch]))
    finally:
        hook.remove()
    return torch.cat(found).double().numpy()  # (N, F)


def _sqrt_psd(m: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (negative rounding clipped)."""
    values, vectors = np.linalg.eigh(m)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets ``a`` (N, F) and ``b`` (M, F)."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise InvalidArgumentError(
            _(
                "Fréchet distance needs two sets of at least 2 feature vectors of one length; "
                "expected (N, F) and (M, F). Received: {a} and {b}",
                a=a.shape,
                b=b.shape,
            )
        )
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)  # (F, F) each
    root_a = _sqrt_psd(np.atleast_2d(cov_a))
    middle = np.linalg.eigvalsh(root_a @ np.atleast_2d(cov_b) @ root_a)  # eigenvalues of Σ₁^½Σ₂Σ₁^½
    trace = np.trace(np.atleast_2d(cov_a)) + np.trace(np.atleast_2d(cov_b))
    value = float(
        np.sum((mu_a - mu_b) ** 2) + trace - 2 * np.sum(np.sqrt(np.clip(middle, 0, None)))
    )
    return max(value, 0.0)


def label_agreement(classifier: Run, images: np.ndarray, labels: np.ndarray) -> tuple[float, list]:
    """(share the classifier labels as asked, the share per label 0..K−1)."""
    predicted = classifier.predict(images, engine="torch").argmax(axis=1)  # (N,)
    labels = np.asarray(labels)
    hits = predicted == labels
    per = [float(hits[labels == k].mean()) if np.any(labels == k) else float("nan")
           for k in range(classifier.num_classes)]  # fmt: skip
    return float(hits.mean()), per


def measure(generator: Any, classifier: Run, real: np.ndarray | None = None,
            per_label: int = 1000, seed: int = 0, temperature: float = TEMPERATURE,
            ) -> Quality:  # fmt: skip
    """Judge ``generator``: ``per_label`` digits of each label (codes scaled by
    ``temperature``) for the agreement; with ``real`` images (e.g. the 10,000 test digits), the
    Fréchet distance of as many generated ones."""
    generator = generator_run(generator)
    labels = np.repeat(np.arange(generator.num_classes), per_label)  # (K·per_label,)
    t0 = time.perf_counter()
    images = sample(generator, labels, seed=seed, temperature=temperature)  # (N, 1, 28, 28)
    rate = len(labels) / max(time.perf_counter() - t0, 1e-9)
    agreement, per = label_agreement(classifier, images, labels)
    frechet = None
    if real is not None:
        mix = np.random.default_rng(seed).permutation(generator.num_classes * per_label)
        fake = images
        if len(images) != len(real):
            others = labels[mix[: len(real)] % len(labels)]
            fake = sample(generator, others, seed=seed + 1, temperature=temperature)
        frechet = frechet_distance(hidden_features(classifier, fake),
                                   hidden_features(classifier, real))  # fmt: skip
    return Quality(agreement, per, frechet, rate, len(labels))
