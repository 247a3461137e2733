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

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, suggest, unknown_name
from cnnlab.models.gen_layers import LabelChannels, Latent
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


TEMPERATURE = 0.8  # cnnlab's default scale of drawn codes (1: the plain prior N(0, I))


class GenerativeSpecModel(SpecModel):
    """A conditional VAE from a spec with a ``latent(z)`` layer: the layers before it encode an
    image, the layers after it decode [z, one-hot label] back into an image of the input's shape.

    ``model(x, y)`` gives (reconstruction, mean, log-variance), drawing z in training and taking
    the mean in eval mode; ``model.decode(z, y)`` makes images from codes and labels.
    """

    generative = True

    @property
    def cut(self) -> int:
        """Index of the latent layer among the children."""
        return next(i for i, m in enumerate(self) if isinstance(m, Latent))

    @property
    def latent(self) -> Latent:
        return list(self)[self.cut]

    def encode(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mean, log-variance) of the code of normalized images ``x`` with labels ``y``."""
        return self.latent.encode(self._through(x, y, 0, self.cut), y)  # (N, z) each

    def decode(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Images (N, *input_shape) from codes ``z`` (N, z) and labels ``y`` (N,)."""
        return self._through(self.latent.condition(z, y), y, self.cut + 1, len(self))

    @torch.inference_mode()
    def sample(self, y: torch.Tensor, seed: int = 0, temperature: float = 1.0) -> torch.Tensor:
        """Images of labels ``y`` (N,) from codes drawn from N(0, temperature² I) with ``seed``
        (own generator: the global random state is untouched). A temperature below 1 keeps the
        codes nearer the prior's centre: clearer digits, less variety."""
        gen = torch.Generator().manual_seed(int(seed))
        z = torch.randn(len(y), self.latent.size, generator=gen)
        return self.decode(z * float(temperature), y)

    @torch.inference_mode()
    def morph(self, start: int, end: int, steps: int, seed: int = 0, temperature: float = 1.0,
              ) -> torch.Tensor:  # fmt: skip
        """``steps`` images from label ``start`` to ``end``: the code walks a straight line
        between two draws while the label blends from one-hot(start) to one-hot(end)."""
        t = torch.linspace(0, 1, steps)[:, None]  # (S, 1)
        gen = torch.Generator().manual_seed(seed)
        ends = torch.randn(2, self.latent.size, generator=gen) * float(temperature)
        eye = torch.eye(self.latent.num_classes)
        return self.decode((1 - t) * ends[0] + t * ends[1], (1 - t) * eye[start] + t * eye[end])

    @torch.inference_mode()
    def reconstruct(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Normalized images ``x`` rebuilt through their code's mean."""
        return self.decode(self.encode(x, y)[0], y)

    def _through(self, h: torch.Tensor, y: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        for module in list(self)[start:stop]:
            h = module(h, y) if isinstance(module, LabelChannels) else module(h)
        return h

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, ...]:  # type: ignore[override]
        mean, logvar = self.encode(x, y)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp() if self.training else mean
        return self.decode(z, y), mean, logvar  # (N, *input_shape), (N, z), (N, z)


def is_generative(planned: list[PlannedLayer]) -> bool:
    """A spec with a ``latent`` layer makes pictures instead of scores."""
    return any(p.kind == "latent" for p in planned)


def _check_generative(planned: list[PlannedLayer], spec: str, shape, k: int | None) -> None:
    """A generative spec needs labels and must end where it began: an image of the input's shape."""
    latent = next(p for p in planned if p.kind == "latent")
    if k is None:
        why = _(
            "latent needs the number of labels it is conditioned on; expected num_classes, "
            "e.g. 10. Received: None"
        )
        raise shape_error(latent.layer, spec, why)
    if planned[-1].out_shape != tuple(shape):
        why = _(
            "a generative model must give back an image of the input's shape; expected "
            "{shape} at the end. Received: {out_shape}",
            shape=fmt_shape(tuple(shape)),
            out_shape=fmt_shape(planned[-1].out_shape),
        )
        raise shape_error(planned[-1].layer, spec, why)


def resolve_spec(model: str) -> str:
    """A preset name gives its spec; anything else is taken as a spec string."""
    text = model.strip() if isinstance(model, str) else model
    if not isinstance(text, str) or not text:
        raise InvalidArgumentError(
            _(
                "model is empty; expected a preset name ({presets}) or a spec such as "
                "'conv(16,3) relu flatten dense(10)'. Received: {model!r}",
                presets=", ".join(PRESETS),
                model=model,
            )
        )
    if text.lower() in PRESETS:
        return PRESETS[text.lower()].spec
    word = text.lower()
    if _WORD.fullmatch(text) and word not in LAYER_KINDS and word not in ALIASES:
        if suggest(text.lower(), PRESETS):
            raise unknown_name(N_("model preset"), text, PRESETS)
        raise unknown_name(N_("model (preset or layer)"), text, [*PRESETS, *LAYER_KINDS])
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
            _(
                "input shape must be 1 to 3 positive sizes without the batch; expected "
                "e.g. 1x28x28 (C×H×W), 1x40 (C×L) or 784 (features). Received: {shape!r}",
                shape=shape,
            )
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
            _(
                "num_classes must be a whole number >= 1; expected e.g. 10. Received: "
                "num_classes={num_classes!r}",
                num_classes=num_classes,
            )
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
    if is_generative(planned):
        _check_generative(planned, spec, shape, num_classes)
    elif num_classes is not None and planned[-1].out_shape != (num_classes,):
        last = planned[-1]
        if last.kind == "dense":
            raise shape_error(
                last.layer,
                spec,
                _(
                    "the output layer gives {out_shape} scores but there are "
                    "{num_classes} classes; expected dense({num_classes}) or a bare "
                    "dense. Received: {canonical}",
                    out_shape=fmt_shape(last.out_shape),
                    num_classes=num_classes,
                    canonical=last.canonical,
                ),
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
    kind = GenerativeSpecModel if is_generative(planned) else SpecModel
    if seed is None:
        return kind(planned, spec, shape, k)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return kind(planned, spec, shape, k)
