"""Build a ``torch.nn.Sequential`` from a spec string or preset name.

Output head rule: a classifier ends in K scores. If ``num_classes`` is given and the spec's last
output is not a flat vector of K, cnnlab appends ``flatten`` (when needed) and ``dense`` (K
outputs), so ``conv(8,3) relu maxpool(2)`` becomes ``conv(8,3) relu maxpool(2) flatten dense(10)``.
An explicit last ``dense(n)`` with n ≠ K is an error. ``model.spec`` is always the expanded,
canonical spec, so ``build(model.spec, model.input_shape, model.num_classes)`` rebuilds the same
architecture with the same parameter names.
"""

from __future__ import annotations

import operator
import re
from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import nn

from cnnlab.errors import InvalidArgumentError, suggest, unknown_name
from cnnlab.models.layers import PlannedLayer, fmt_shape, make_module, plan_layers, shape_error
from cnnlab.models.presets import PRESETS
from cnnlab.models.spec import ALIASES, LAYER_KINDS, parse_spec

_WORD = re.compile(r"[A-Za-z0-9_-]+")


class SpecModel(nn.Sequential):
    """An ``nn.Sequential`` built from a spec; children are named ``conv1``, ``relu1``, ``pool1``...

    Extra attributes: ``spec`` (expanded canonical spec), ``input_shape`` (without batch),
    ``num_classes`` and ``plan`` (the :class:`PlannedLayer` records with shapes and counts).
    """

    def __init__(
        self, plan: list[PlannedLayer], spec: str, input_shape: tuple[int, ...], num_classes
    ) -> None:
        super().__init__(OrderedDict((p.name, make_module(p)) for p in plan))
        self.spec = spec
        self.input_shape = input_shape
        self.num_classes = num_classes
        self.plan = plan

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.plan[-1].out_shape

    @property
    def config(self) -> dict:
        """What rebuilds this architecture: ``build(**model.config)``."""
        return {
            "model": self.spec,
            "input_shape": list(self.input_shape),
            "num_classes": self.num_classes,
        }


def resolve_spec(model: str) -> str:
    """A preset name gives its spec; anything else is taken as a spec string."""
    text = model.strip() if isinstance(model, str) else model
    if not isinstance(text, str) or not text:
        raise InvalidArgumentError(
            f"model is empty; expected a preset name ({', '.join(PRESETS)}) or a spec such as "
            f"'conv(16,3) relu flatten dense(10)'. Received: {model!r}"
        )
    if text.lower() in PRESETS:
        return PRESETS[text.lower()].spec
    word = text.lower()
    if _WORD.fullmatch(text) and word not in LAYER_KINDS and word not in ALIASES:
        if suggest(text.lower(), PRESETS):
            raise unknown_name("model preset", text, PRESETS)
        raise unknown_name("model (preset or layer)", text, [*PRESETS, *LAYER_KINDS])
    return text


def parse_shape(shape: str | Sequence[int]) -> tuple[int, ...]:
    """``"1x28x28"``, ``"1×28×28"``, ``"1,28,28"`` or ``(1, 28, 28)`` → ``(1, 28, 28)``."""
    parts = re.split(r"[x×,\s]+", shape.strip()) if isinstance(shape, str) else list(shape)
    try:
        dims = tuple(int(p) for p in parts if p != "")
    except (TypeError, ValueError):
        dims = ()
    if not 1 <= len(dims) <= 3 or any(d < 1 for d in dims):
        raise InvalidArgumentError(
            "input shape must be 1 to 3 positive sizes without the batch; expected e.g. 1x28x28 "
            f"(C×H×W), 1x40 (C×L) or 784 (features). Received: {shape!r}"
        )
    return dims


def _classes(num_classes: object) -> int | None:
    """``None`` or a whole number >= 1 (NumPy integers accepted) as a plain int."""
    if num_classes is None:
        return None
    try:
        k = operator.index(num_classes)  # type: ignore[arg-type]
    except TypeError:
        k = 0
    if isinstance(num_classes, bool) or k < 1:
        raise InvalidArgumentError(
            f"num_classes must be a whole number >= 1; expected e.g. 10. "
            f"Received: num_classes={num_classes!r}"
        )
    return k


def plan(
    model: str, input_shape: str | Sequence[int], num_classes: int | None = None
) -> tuple[str, list[PlannedLayer]]:
    """Resolve, parse and shape-check ``model`` without allocating weights.

    Returns ``(expanded canonical spec, planned layers)``; cheap even for 1024×1024 inputs.
    """
    shape = parse_shape(input_shape)
    num_classes = _classes(num_classes)
    spec = resolve_spec(model)
    planned = plan_layers(parse_spec(spec), spec, shape, num_classes)
    if num_classes is not None and planned[-1].out_shape != (num_classes,):
        last = planned[-1]
        if last.kind == "dense":
            raise shape_error(
                last.layer,
                spec,
                f"the output layer gives {fmt_shape(last.out_shape)} scores but there are "
                f"{num_classes} classes; expected dense({num_classes}) or a bare dense. "
                f"Received: {last.canonical}",
            )
        spec = f"{spec} {'flatten ' if len(last.out_shape) > 1 else ''}dense"
        planned = plan_layers(parse_spec(spec), spec, shape, num_classes)
    return " ".join(p.canonical for p in planned), planned


def build(
    model: str,
    input_shape: str | Sequence[int],
    num_classes: int | None = None,
    *,
    seed: int | None = None,
) -> SpecModel:
    """Build ``model`` (preset name or spec string) for inputs of ``input_shape`` (no batch).

    >>> m = build("lenet5", (1, 28, 28), 10)
    >>> sum(p.numel() for p in m.parameters()), m.spec.split()[0]
    (61706, 'conv(6,5,padding=2)')

    ``seed`` makes the initial weights reproducible without touching the global RNG state.
    Weights are created on the CPU in float32; move the model with ``.to(device)``.
    """
    spec, planned = plan(model, input_shape, num_classes)
    shape, k = parse_shape(input_shape), _classes(num_classes)
    if seed is None:
        return SpecModel(planned, spec, shape, k)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return SpecModel(planned, spec, shape, k)
