"""Words and numbers of model summaries, shared by the CLI (``summary``, ``models``) and the
browser lab's Model tab: bilingual text, the footer lines, and the parsing of shapes, sizes and
data sets typed by people."""

from __future__ import annotations

import math

from cnnlab.data import loader
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, group, human_bytes, shape_text, tr
from cnnlab.models import PRESETS, parse_shape
from cnnlab.train import load_run

TEXT = {
    "title": N_("Model summary: {model}"),
    "layer": N_("layer"),
    "spec": N_("spec"),
    "output": N_("output shape"),
    "params": N_("parameters"),
    "macs": N_("mult-adds"),
    "input": N_("input"),
    "total": N_("Total"),
    "total_params": N_("Parameters: {n} ({trainable} trainable), {bytes} as float32"),
    "total_macs": N_(
        "Multiply-adds per image: {n} (≈ {flops} MFLOPs; pooling and activations count 0)"
    ),
    "activations": N_("Activations per image: {bytes} (float32, forward pass)"),
    "mlp": N_(
        "An MLP (hidden 256-256) on the same {inputs} inputs needs {n} parameters: "
        "{ratio} this model's."
    ),
    "spec_line": N_("Spec: {spec}"),
    "growth_title": N_("Parameters as the input grows: MLP vs {model}"),
    "size": N_("input"),
    "mlp_col": N_("MLP (256-256)"),
    "conv_col": N_("conv layers"),
    "cnn_col": N_("whole CNN"),
    "ratio_col": N_("MLP / CNN"),
    "growth_note": N_(
        "Conv layers keep the same weights at any size; the MLP's first layer grows with "
        "the number of pixels (size²), and so does a CNN's dense head unless it pools globally."
    ),
    "presets_title": N_("Model presets"),
    "name": N_("name"),
    "description": N_("description"),
    "presets_note": N_(
        "Or write a spec: cnnlab summary 'conv(16,3) relu maxpool(2) flatten dense'"
    ),
}


def shape_and_classes(
    model: str,
    input_shape: str | None,
    dataset: str | None,
    classes: int | None,
    image: tuple[str, str] = ("28", "gray"),
) -> tuple[tuple[int, ...], int]:
    if input_shape is not None and dataset is not None:
        raise InvalidArgumentError(
            _("--input and --dataset both give the input shape; expected one of them. "
              "Received: --input {shape} --dataset {dataset}", shape=input_shape, dataset=dataset)
        )
    if dataset is not None:
        shape, k = dataset_shape(dataset, *image)
        return shape, classes if classes is not None else k
    preset = PRESETS.get(model.strip().lower())
    default = preset.input_shape if preset is not None else (1, 28, 28)
    shape = parse_shape(input_shape) if input_shape is not None else default
    return shape, classes if classes is not None else 10


def from_run(folder: str, input_shape: str | None, dataset: str | None) -> tuple:
    """``(spec, input shape text, classes)`` of a run folder; ``--input`` may override the shape."""
    if dataset is not None:
        raise InvalidArgumentError(
            _("a run folder fixes its data set; expected no --dataset with a run folder. "
              "Received: --dataset {dataset}", dataset=dataset)
        )
    run = load_run(folder)
    return (
        run.config["spec"],
        input_shape or shape_text(run.input_shape).replace("×", "x"),
        run.num_classes,
    )


def dataset_shape(name: str, size: str = "28", color: str = "gray") -> tuple[tuple[int, ...], int]:
    """Input shape and class count of a data set, without loading it when it is a named one.

    ``size`` (N or HxW) and ``color`` (gray or rgb) apply to ``folder:`` sets, as in ``train``.
    """
    if name.startswith(loader.FOLDER_PREFIX):
        ds = loader.load(name, val_fraction=0.0, image_size=parse_size(size), color=color)
        return tuple(ds.input_shape), ds.num_classes
    source = loader.get_source(name)
    return tuple(source.input_shape), len(source.classes)


def footer(s, lang: str) -> list[str]:
    lines = [
        tr(TEXT, "spec_line", lang, spec=s.spec),
        tr(TEXT, "total_params", lang, n=group(s.total_params, lang),
           trainable=group(s.trainable_params, lang), bytes=human_bytes(s.param_bytes, lang)),
        tr(TEXT, "total_macs", lang, n=group(s.total_mult_adds, lang),
           flops=group(2 * s.total_mult_adds / 1e6, lang, 2)),
        tr(TEXT, "activations", lang, bytes=human_bytes(s.activation_bytes, lang)),
    ]  # fmt: skip
    if s.has_conv:
        ratio = f"{group(s.mlp_equivalent_params / s.total_params, lang)}×"
        inputs = group(math.prod(s.input_shape), lang)
        n = group(s.mlp_equivalent_params, lang)
        lines.append(tr(TEXT, "mlp", lang, inputs=inputs, n=n, ratio=ratio))
    return lines


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(p) for p in text.replace(" ", "").split(",") if p)
    except ValueError:
        sizes = ()
    if not sizes or any(s < 1 for s in sizes):
        raise InvalidArgumentError(
            _("sizes must be whole numbers >= 1 separated by commas; expected e.g. "
              "28,64,128,256. Received: --sizes {text}", text=text)
        )
    return sizes


def parse_size(text: str) -> tuple[int, int]:
    """``"32"`` → (32, 32); ``"32x48"`` (height × width) → (32, 48)."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        size = tuple(int(p) for p in parts)
    except ValueError:
        size = ()
    if len(size) not in (1, 2) or min(size) < 1:
        raise InvalidArgumentError(
            _("image size must be N or HxW with positive whole numbers; expected e.g. 28 or "
              "32x48. Received: --size {text}", text=text)
        )
    return (size[0], size[-1])
