"""Model spec strings: parse ``conv(16,3) relu maxpool(2) flatten dense(10)`` into layer records.

Grammar (whitespace, ``,`` or ``->`` separate layers)::

    spec  := layer (sep layer)*
    layer := NAME [ "(" [arg ("," arg)*] ")" ]
    arg   := VALUE | KEY "=" VALUE

Names are case-insensitive; aliases such as ``linear``/``fc`` (dense) and ``conv2d`` (conv) are
accepted and written back in canonical form. Every mistake raises a :class:`SpecError` whose text
shows the spec with a caret ``^`` under the bad token and its position (0-based character index)::

    >>> parse_spec("conv(16,3) relu")[0].args
    ('16', '3')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from cnnlab.errors import CnnlabError, InvalidArgumentError, UnknownNameError, clip
from cnnlab.i18n import N_, _, unknown_name

# kind -> (parameter names in positional order, how many are required, defaults)
SIGNATURES: dict[str, tuple[tuple[str, ...], int, dict[str, object]]] = {
    "conv": (
        ("out", "k", "stride", "padding", "dilation", "groups", "bias"),
        2,
        {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True},
    ),
    "maxpool": (("k", "stride", "padding"), 1, {"stride": None, "padding": 0}),
    "globalavgpool": ((), 0, {}),
    "batchnorm": ((), 0, {}),
    "dropout": (("p",), 0, {"p": 0.5}),
    "flatten": ((), 0, {}),
    "dense": (("n", "bias"), 0, {"n": None, "bias": True}),
    "relu": ((), 0, {}),
    "tanh": ((), 0, {}),
    "sigmoid": ((), 0, {}),
    "gelu": ((), 0, {}),
    # generative models: transposed convolution, flat vector to feature map, the latent code
    "convt": (
        ("out", "k", "stride", "padding", "output_padding", "bias"),
        2,
        {"stride": 1, "padding": 0, "output_padding": 0, "bias": True},
    ),
    "reshape": (("c", "h", "w"), 3, {}),
    "latent": (("z",), 1, {}),
    "label": ((), 0, {}),
    "embedding": (("d", "vocab"), 1, {"vocab": 1024}),  # text: character ids -> d channels
    "globalmaxpool": ((), 0, {}),
    "ngrambag": (("n", "buckets"), 0, {"n": 3, "buckets": 1024}),  # text: bag of n-grams
}
SIGNATURES["conv1d"] = SIGNATURES["conv"]
SIGNATURES["avgpool"] = SIGNATURES["maxpool"]

ALIASES = {
    "conv2d": "conv",
    "linear": "dense",
    "fc": "dense",
    "maxpool2d": "maxpool",
    "avgpool2d": "avgpool",
    "gap": "globalavgpool",
    "bn": "batchnorm",
    "convtranspose": "convt",
    "convtranspose2d": "convt",
    "deconv": "convt",
    "unflatten": "reshape",
    "embed": "embedding",
    "gmp": "globalmaxpool",
}
LAYER_KINDS = tuple(SIGNATURES)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VALUE = re.compile(r"[^\s,()=]+")
_SEP = re.compile(r"(?:\s|,|->|→)+")


class SpecError(InvalidArgumentError):
    """A model spec string is malformed; ``position`` is the index of the bad character."""


class UnknownLayerError(SpecError, UnknownNameError):
    """A spec names a layer (or a layer argument) that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


#: a spec up to this long is shown whole under its error; a longer one (the lab takes 1,000
#: characters) only CONTEXT characters on either side of the bad position
WHOLE = 80
CONTEXT = 30


def spec_window(spec: str, position: int) -> tuple[str, int]:
    """``(the part of spec around position, position in that part)``: at most ``2·CONTEXT``
    characters, ``…`` where cut.

    >>> spec_window("relu " * 20, 50)
    ('…relu relu relu relu relu relu relu relu relu relu relu relu …', 31)
    """
    if len(spec) <= WHOLE:
        return spec, position
    start, end = max(0, position - CONTEXT), min(len(spec), position + CONTEXT)
    head = "…" if start else ""
    part = head + spec[start:end] + ("…" if end < len(spec) else "")
    return part, position - start + len(head)


def caret_block(spec: str, position: int) -> str:
    """Two lines: the spec (around ``position``) and a caret under it (indented by 4 spaces)."""
    part, at = spec_window(spec, position)
    return f"\n    {part}\n    {' ' * at}^"


E = TypeVar("E", bound=CnnlabError)


def located(cls: type[E], message: str, spec: str, position: int) -> E:
    """``cls(message + caret picture)`` with ``spec``, ``position``, ``headline``, ``one_line``
    (for one-line displays such as the CLI, the bad token marked with » instead of a caret)."""
    one_line = _(
        "{message} (at position {position}: {before}»{after})",
        message=message,
        position=position,
        before=spec_window(spec[:position], position)[0] if position > WHOLE else spec[:position],
        after=spec[position:] if len(spec) - position <= WHOLE else spec[position:][:CONTEXT] + "…",
    )
    where = _("{message} (at position {position})", message=message, position=position)
    return cls(where + caret_block(spec, position),
               one_line=one_line, spec=spec, position=position, headline=message)  # fmt: skip


@dataclass(frozen=True)
class LayerSpec:
    """One layer as written: canonical ``kind``, raw ``args``/``kwargs`` strings and positions."""

    kind: str
    args: tuple[str, ...] = ()
    kwargs: tuple[tuple[str, str], ...] = ()
    position: int = 0  # index of the layer's first character in the spec
    text: str = ""  # the layer as written, e.g. "conv(16, 3)"
    index: int = 1  # 1-based layer number
    arg_positions: tuple[int, ...] = field(default=(), compare=False)  # args then kwargs


def parse_spec(spec: str) -> list[LayerSpec]:
    """Split a spec string into :class:`LayerSpec` records (syntax and layer names only).

    Argument values are checked later, when shapes are propagated (see ``cnnlab.models.layers``).
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InvalidArgumentError(
            _(
                "model spec is empty; expected layers such as 'conv(16,3) relu flatten "
                "dense(10)' or a preset name. Received: {spec!r}",
                spec=clip(spec) if isinstance(spec, str) else type(spec).__name__,
            )
        )
    layers: list[LayerSpec] = []
    pos = _skip(spec, 0)
    while pos < len(spec):
        layer, pos = _parse_layer(spec, pos, len(layers) + 1)
        layers.append(layer)
        nxt = _skip(spec, pos)
        if nxt == pos and nxt < len(spec):
            if spec[pos] == ")":
                what = _("unmatched ')'")
            else:
                what = _("unexpected {char!r}", char=spec[pos])
            raise located(
                SpecError,
                _("{what} after layer {layer!r}; expected a space between layers", what=what,
                  layer=layer.text),
                spec,
                pos,
            )  # fmt: skip
        pos = nxt
    if not layers:  # only separators, such as "," or "->"
        raise InvalidArgumentError(
            _("model spec has no layers, only separators; expected layers such as 'conv(16,3) "
              "relu flatten dense(10)' or a preset name. Received: {spec!r}", spec=clip(spec))
        )  # fmt: skip
    return layers


def _skip(spec: str, pos: int) -> int:
    match = _SEP.match(spec, pos)
    return match.end() if match else pos


def _parse_layer(spec: str, pos: int, index: int) -> tuple[LayerSpec, int]:
    match = _NAME.match(spec, pos)
    if not match:
        raise located(
            SpecError,
            _(
                "unexpected {char!r} in model spec; expected a layer name such as conv, relu "
                "or dense",
                char=spec[pos],
            ),
            spec,
            pos,
        )
    name = match.group().lower()
    kind = ALIASES.get(name, name)
    if kind not in SIGNATURES:
        # the standard message ends "Received: 'name'" (Spanish "Recibido:"), as a located one does
        msg = str(unknown_name(N_("layer"), name, LAYER_KINDS))
        raise located(UnknownLayerError, msg, spec, pos)
    end = match.end()
    args: list[str] = []
    kwargs: list[tuple[str, str]] = []
    positions: list[int] = []
    look = end
    while look < len(spec) and spec[look] == " ":
        look += 1
    if look < len(spec) and spec[look] == "(":
        end = _parse_args(spec, look, args, kwargs, positions)
    layer = LayerSpec(kind, tuple(args), tuple(kwargs), pos, spec[pos:end], index, tuple(positions))
    return layer, end


def _parse_args(spec: str, open_pos: int, args: list, kwargs: list, positions: list) -> int:
    """Parse ``(a, b, key=value)`` starting at ``open_pos``; return the index after ``)``."""
    pos = open_pos + 1
    kw_pos: list[int] = []
    while True:
        pos = _skip_spaces(spec, pos)
        if pos >= len(spec):
            raise located(SpecError, _("unclosed '('; expected ')'"), spec, open_pos)
        if spec[pos] == ")" and not args and not kwargs:
            return pos + 1
        start = pos
        match = _VALUE.match(spec, pos)
        if not match:
            what = _("unexpected {char!r}; expected a value", char=spec[pos])
            raise located(SpecError, what, spec, pos)
        pos = _skip_spaces(spec, match.end())
        if pos < len(spec) and spec[pos] == "=":
            value = _VALUE.match(spec, _skip_spaces(spec, pos + 1))
            if not value:
                raise located(SpecError, _("missing value after '='"), spec, pos)
            kwargs.append((match.group().lower(), value.group()))
            kw_pos.append(start)
            pos = _skip_spaces(spec, value.end())
        elif kwargs:
            what = _("positional argument after key=value; expected key=value")
            raise located(SpecError, what, spec, start)
        else:
            args.append(match.group())
            positions.append(start)
        if pos < len(spec) and spec[pos] == ")":
            positions.extend(kw_pos)
            return pos + 1
        if pos >= len(spec) or spec[pos] != ",":
            where = min(pos, len(spec))
            shown = repr(spec[pos]) if pos < len(spec) else _("end of spec")
            what = _("unexpected {shown}; expected ',' or ')'", shown=shown)
            raise located(SpecError, what, spec, where)
        pos += 1


def _skip_spaces(spec: str, pos: int) -> int:
    while pos < len(spec) and spec[pos].isspace():
        pos += 1
    return pos
