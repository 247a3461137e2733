"""Make digits with a trained conditional VAE, and measure how good they are.

>>> from cnnlab.generate import sample, write_samples  # doctest: +SKIP
>>> images = sample(load_run("runs/mnist-conv-vae"), labels=[3] * 8, seed=0)  # (8, 1, 28, 28)
>>> write_samples(images, "runs/sevens.png")                                   # a grid picture

``quality`` measures generated digits with a separately trained classifier (label agreement and
the Fréchet distance in its last hidden layer); ``study`` trains and measures the convolutional
and the dense generator side by side.
"""

from __future__ import annotations

from cnnlab.generate.quality import (
    Quality,
    frechet_distance,
    hidden_features,
    label_agreement,
    measure,
)
from cnnlab.generate.sampling import (
    TEMPERATURE,
    GenerateConfig,
    generator_run,
    grid_labels,
    morph,
    reconstruct,
    sample,
    tile,
    write_morph,
    write_samples,
)
from cnnlab.generate.study import StudyConfig, StudyResult, run_study

__all__ = [
    "TEMPERATURE",
    "GenerateConfig",
    "Quality",
    "StudyConfig",
    "StudyResult",
    "frechet_distance",
    "generator_run",
    "grid_labels",
    "hidden_features",
    "label_agreement",
    "measure",
    "morph",
    "reconstruct",
    "run_study",
    "sample",
    "tile",
    "write_morph",
    "write_samples",
]
