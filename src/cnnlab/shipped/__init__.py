"""The trained models cnnlab ships, so that the lab, ``detect``, ``read``, ``generate`` and
``predict --text`` answer at once instead of training first.

Each is an ordinary run folder (``config.json``, ``metrics.jsonl``, ``model.safetensors``; the
detectors also ``detect.json``) read by the same safe loader as any run (safetensors, no pickle),
with ``card.json``: its recipe, data, parameters, measured quality and training time. ``make
models`` (scripts/make_models.py) makes them all again from cnnlab's own recipes with fixed
seeds; docs/models.md shows their cards.

>>> [name for name in NAMES]
['lab-small-cnn', 'lab-mlp', 'conv-vae', 'faces', 'digits', 'char-cnn']
"""

from __future__ import annotations

import json
from pathlib import Path

from cnnlab.errors import CheckpointError
from cnnlab.i18n import N_, _, unknown_name

#: every shipped model, by the name its folder has here
NAMES = ("lab-small-cnn", "lab-mlp", "conv-vae", "faces", "digits", "char-cnn")
HERE = Path(__file__).resolve().parent
WEIGHTS = "model.safetensors"


def folder(name: str) -> Path:
    """The run folder of the shipped model ``name``; CheckpointError when it is not installed."""
    if name not in NAMES:
        raise unknown_name(N_("shipped model"), name, NAMES)
    path = HERE / name
    if not (path / WEIGHTS).is_file():
        raise CheckpointError(
            _(
                "the shipped model {name} is missing; expected {path} (make models writes it, "
                "or reinstall cnnlab). Received: no {weights} there",
                name=name,
                path=path,
                weights=WEIGHTS,
            )
        )
    return path


def available(name: str) -> bool:
    """Whether the shipped model ``name`` is installed."""
    return name in NAMES and (HERE / name / WEIGHTS).is_file()


def card(name: str) -> dict:
    """The model card of ``name``: recipe, data, parameters, measured quality, training time."""
    return json.loads((folder(name) / "card.json").read_text(encoding="utf-8"))


__all__ = ["NAMES", "available", "card", "folder"]
