"""Exercises about whole layers: how many parameters, how far a cell sees (receptive field).
Answers come from :mod:`cnnlab.models` (counted from shapes) and the receptive-field rule."""

from __future__ import annotations

import math

import numpy as np

from cnnlab.exercises.core import Exercise
from cnnlab.i18n import shape_text
from cnnlab.ops import conv_output_size


def _conv_layer(rng: np.random.Generator, level: str) -> tuple[dict, int, str]:
    c_in = int(rng.choice((1, 3) if level == "easy" else (1, 3, 8, 16, 32)))
    c_out = int(rng.choice((4, 8, 16) if level == "easy" else (8, 16, 32, 64)))
    k = int(rng.choice((3, 5)))
    inputs_en = "1 input channel" if c_in == 1 else f"{c_in} input channels"
    inputs_es = "1 canal de entrada" if c_in == 1 else f"{c_in} canales de entrada"
    what_en = f"a conv layer with {inputs_en}, {c_out} filters of {k}×{k} and biases"
    what_es = f"una capa conv con {inputs_es}, {c_out} filtros de {k}×{k} y sesgos"
    formula = f"{c_out}·{c_in}·{k}·{k} + {c_out} = {c_out * c_in * k * k + c_out}"
    spec = dict(kind="conv", c_in=c_in, c_out=c_out, k=k)
    return {**spec, "what_en": what_en, "what_es": what_es}, c_out * c_in * k * k + c_out, formula


def _dense_layer(rng: np.random.Generator, level: str) -> tuple[dict, int, str]:
    f_in = int(rng.choice((10, 16, 64) if level == "easy" else (84, 120, 256, 784)))
    f_out = int(rng.choice((2, 10) if level == "easy" else (10, 84, 128)))
    what_en = f"a dense layer from {f_in} inputs to {f_out} outputs, with biases"
    what_es = f"una capa densa de {f_in} entradas a {f_out} salidas, con sesgos"
    formula = f"{f_in}·{f_out} + {f_out} = {f_in * f_out + f_out}"
    spec = dict(kind="dense", f_in=f_in, f_out=f_out)
    return {**spec, "what_en": what_en, "what_es": what_es}, f_in * f_out + f_out, formula


def _spec(rng: np.random.Generator, level: str) -> tuple[dict, int, str]:
    side = int(rng.choice((8, 12, 16, 28)))
    c1, c2 = (int(v) for v in rng.choice((4, 6, 8, 16), size=2))
    k = int(rng.choice((3, 5)) if side > 8 else 3)
    spec = f"conv({c1},{k}) relu maxpool(2) conv({c2},3) relu flatten dense"
    shape = (1, side, side)
    after = conv_output_size(conv_output_size(side, k) // 2, 3)  # side of conv2's maps
    counts = (c1 * k * k + c1, c2 * c1 * 9 + c2, c2 * after * after * 10 + 10)
    parts = " + ".join(str(n) for n in counts)
    what_en = (f"the model `{spec}` on {shape_text(shape)} inputs (convolutions without padding; "
               "the last dense has one output per class, 10 classes)")  # fmt: skip
    what_es = (f"el modelo `{spec}` con entradas de {shape_text(shape)} (convoluciones sin "
               "relleno; la última capa densa tiene una salida por clase, 10 clases)")  # fmt: skip
    data = dict(kind="spec", spec=spec, input=list(shape), classes=10)
    total = sum(counts)
    return {**data, "what_en": what_en, "what_es": what_es}, total, f"{parts} = {total}"


def _mlp(rng: np.random.Generator, level: str) -> tuple[dict, int, str]:
    side = int(rng.choice((8, 28, 32, 64)))
    inputs = side * side
    what_en = (f"the MLP preset (flatten, dense(256), relu, dense(256), relu, dense(10)) on "
               f"{side}×{side} gray images")  # fmt: skip
    what_es = (f"el MLP predefinido (flatten, dense(256), relu, dense(256), relu, dense(10)) "
               f"con imágenes grises de {side}×{side}")  # fmt: skip
    n = inputs * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
    formula = f"{inputs}·256 + 256 + 256·256 + 256 + 256·10 + 10 = {n}"
    return dict(kind="mlp", side=side, what_en=what_en, what_es=what_es), n, formula


def parameters(rng: np.random.Generator, level: str) -> Exercise:
    makers = (_conv_layer, _dense_layer) if level == "easy" else (_conv_layer, _dense_layer,
                                                                  _spec, _mlp)  # fmt: skip
    data, answer, formula = makers[int(rng.integers(0, len(makers)))](rng, level)
    steps = (("count", {"formula": formula}),)
    return Exercise("parameters", 0, level, data, answer, steps=steps)


def receptive_field(rng: np.random.Generator, level: str) -> Exercise:
    count = {"easy": 2, "medium": 3, "hard": 4}[level]
    layers = []
    for _ in range(count):
        if rng.random() < 0.35:
            layers.append(["maxpool", 2, 2])
        else:
            layers.append(["conv", int(rng.choice((3, 5))),
                           int(rng.choice((1,) if level == "easy" else (1, 2)))])  # fmt: skip
    field, jump, steps = 1, 1, [("rf_rule", {})]
    for name, k, s in layers:
        before, field = field, field + (k - 1) * jump
        steps.append(("rf_layer", {"layer": f"{name}({k}, stride={s})", "k": k, "jump": jump,
                                   "before": before, "field": field}))  # fmt: skip
        jump *= s
    data = dict(layers=layers,
                layers_en=", ".join(f"{n} {k}×{k} stride {s}" for n, k, s in layers),
                layers_es=", ".join(f"{n} {k}×{k} paso {s}" for n, k, s in layers))  # fmt: skip
    return Exercise("receptive-field", 0, level, {**data, "layers": layers}, field,
                    steps=tuple(steps))  # fmt: skip


def field_by_rule(layers) -> int:
    """The receptive field's side from (name, k, stride) layers: 1 + Σ (k − 1)·Π earlier strides."""
    return 1 + sum((k - 1) * math.prod(s for _, _, s in layers[:i])
                   for i, (_, k, _) in enumerate(layers))  # fmt: skip
