"""CLI commands for models: ``cnnlab summary`` (layers, growth table) and ``cnnlab models``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import resolve_lang, tr

TEXT = {
    "title": {"en": "Model summary: {model}", "es": "Resumen del modelo: {model}"},
    "layer": {"en": "layer", "es": "capa"},
    "spec": {"en": "spec", "es": "especificación"},
    "output": {"en": "output shape", "es": "forma de salida"},
    "params": {"en": "parameters", "es": "parámetros"},
    "macs": {"en": "mult-adds", "es": "mult-sumas"},
    "input": {"en": "input", "es": "entrada"},
    "total": {"en": "Total", "es": "Total"},
    "total_params": {
        "en": "Parameters: {n} ({trainable} trainable), {bytes} as float32",
        "es": "Parámetros: {n} ({trainable} entrenables), {bytes} en float32",
    },
    "total_macs": {
        "en": "Multiply-adds per image: {n} (≈ {flops} MFLOPs; pooling and activations count 0)",
        "es": "Multiplicaciones-sumas por imagen: {n} (≈ {flops} MFLOPs; pooling y "
        "activaciones cuentan 0)",
    },
    "activations": {
        "en": "Activations per image: {bytes} (float32, forward pass)",
        "es": "Activaciones por imagen: {bytes} (float32, paso hacia adelante)",
    },
    "mlp": {
        "en": "An MLP (hidden 256-256) on the same {inputs} inputs needs {n} parameters: "
        "{ratio} this model's.",
        "es": "Un MLP (ocultas 256-256) sobre las mismas {inputs} entradas necesita {n} "
        "parámetros: {ratio} los de este modelo.",
    },
    "spec_line": {"en": "Spec: {spec}", "es": "Especificación: {spec}"},
    "growth_title": {
        "en": "Parameters as the input grows: MLP vs {model}",
        "es": "Parámetros según crece la entrada: MLP vs {model}",
    },
    "size": {"en": "input", "es": "entrada"},
    "mlp_col": {"en": "MLP (256-256)", "es": "MLP (256-256)"},
    "conv_col": {"en": "conv layers", "es": "capas conv"},
    "cnn_col": {"en": "whole CNN", "es": "CNN completa"},
    "ratio_col": {"en": "MLP / CNN", "es": "MLP / CNN"},
    "growth_note": {
        "en": "Conv layers keep the same weights at any size; the MLP's first layer grows with "
        "the number of pixels (size²), and so does a CNN's dense head unless it pools globally.",
        "es": "Las capas conv tienen los mismos pesos a cualquier tamaño; la primera capa del "
        "MLP crece con el número de píxeles (tamaño²), y también la cabeza densa de una CNN "
        "salvo que use pooling global.",
    },
    "presets_title": {"en": "Model presets", "es": "Modelos predefinidos"},
    "name": {"en": "name", "es": "nombre"},
    "description": {"en": "description", "es": "descripción"},
    "presets_note": {
        "en": "Or write a spec: cnnlab summary 'conv(16,3) relu maxpool(2) flatten dense'",
        "es": "O escribe una especificación: cnnlab summary 'conv(16,3) relu maxpool(2) "
        "flatten dense'",
    },
}

ModelArg = Annotated[
    str | None,
    typer.Argument(
        help="Preset name (see `cnnlab models`), spec ('conv(16,3) relu ...') or run folder."
    ),
]
InputOption = Annotated[
    str | None, typer.Option("--input", help="Input shape without batch: 1x28x28, 1x40, 784.")
]
DatasetOption = Annotated[
    str | None, typer.Option("--dataset", help="Take input shape and classes from a data set.")
]
ClassesOption = Annotated[int | None, typer.Option("--classes", help="Number of classes K.")]
SizesOption = Annotated[
    str | None,
    typer.Option("--sizes", help="Growth table for these input sides, e.g. 28,64,128,256."),
]
ListOption = Annotated[bool, typer.Option("--list", help="List the presets and exit.")]
ImageSizeOption = Annotated[
    str, typer.Option("--size", help="folder: sets only: image size, N or HxW.")
]
ColorOption = Annotated[str, typer.Option("--color", help="folder: sets only: gray or rgb.")]


def group(n: int | float, lang: str, digits: int = 1) -> str:
    """Thousands separators: ``61,706`` in English, ``61.706`` in Spanish."""
    text = f"{n:,}" if isinstance(n, int) else f"{n:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "es" else text


def human_bytes(n: int, lang: str = "en") -> str:
    """``246824`` → ``'241.0 KiB'`` (``'241,0 KiB'`` in Spanish); ``3 * 2**30`` → ``'3.0 GiB'``."""
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{group(value, lang)} {unit}"


def _shape_and_classes(
    model: str,
    input_shape: str | None,
    dataset: str | None,
    classes: int | None,
    image: tuple[str, str] = ("28", "gray"),
) -> tuple[tuple[int, ...], int]:
    from cnnlab.models import PRESETS, parse_shape

    if input_shape is not None and dataset is not None:
        raise InvalidArgumentError(
            "--input and --dataset both give the input shape; expected one of them. "
            f"Received: --input {input_shape} --dataset {dataset}"
        )
    if dataset is not None:
        shape, k = _dataset_shape(dataset, *image)
        return shape, classes if classes is not None else k
    preset = PRESETS.get(model.strip().lower())
    default = preset.input_shape if preset is not None else (1, 28, 28)
    shape = parse_shape(input_shape) if input_shape is not None else default
    return shape, classes if classes is not None else 10


def _from_run(folder: str, input_shape: str | None, dataset: str | None) -> tuple:
    """``(spec, input shape text, classes)`` of a run folder; ``--input`` may override the shape."""
    from cnnlab import load_run

    if dataset is not None:
        raise InvalidArgumentError(
            "a run folder fixes its data set; expected no --dataset with a run folder. "
            f"Received: --dataset {dataset}"
        )
    run = load_run(folder)
    return run.config["spec"], input_shape or "x".join(map(str, run.input_shape)), run.num_classes


def _dataset_shape(name: str, size: str = "28", color: str = "gray") -> tuple[tuple[int, ...], int]:
    """Input shape and class count of a data set, without loading it when it is a named one.

    ``size`` (N or HxW) and ``color`` (gray or rgb) apply to ``folder:`` sets, as in ``train``.
    """
    from cnnlab.cli.data_cmds import parse_size
    from cnnlab.data import loader

    if name.startswith(loader.FOLDER_PREFIX):
        ds = loader.load(name, val_fraction=0.0, image_size=parse_size(size), color=color)
        return tuple(ds.input_shape), ds.num_classes
    source = loader.get_source(name)
    return tuple(source.input_shape), len(source.classes)


def _layer_table(s, title: str, lang: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(tr(TEXT, "layer", lang))
    table.add_column(tr(TEXT, "spec", lang), overflow="fold")
    table.add_column(tr(TEXT, "output", lang), justify="right")
    table.add_column(tr(TEXT, "params", lang), justify="right")
    table.add_column(tr(TEXT, "macs", lang), justify="right")
    table.add_row(tr(TEXT, "input", lang), "", "×".join(map(str, s.input_shape)), "", "")
    for row in s.rows:
        shape = "×".join(map(str, row.output_shape))
        table.add_row(
            row.name, row.layer, shape, group(row.params, lang), group(row.mult_adds, lang)
        )
    table.add_section()
    total, macs = group(s.total_params, lang), group(s.total_mult_adds, lang)
    table.add_row(tr(TEXT, "total", lang), "", "", total, macs)
    return table


def _footer(s, lang: str) -> list[str]:
    import math

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


def _parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(p) for p in text.replace(" ", "").split(",") if p)
    except ValueError:
        sizes = ()
    if not sizes or any(s < 1 for s in sizes):
        raise InvalidArgumentError(
            "sizes must be whole numbers >= 1 separated by commas; expected e.g. "
            f"28,64,128,256. Received: --sizes {text}"
        )
    return sizes


def _growth_table(model: str, sizes: tuple[int, ...], shape, k: int, lang: str) -> Table:
    from cnnlab.models import parameter_growth

    rows = parameter_growth(sizes, cnn=model, channels=shape[0], num_classes=k)
    table = Table(title=tr(TEXT, "growth_title", lang, model=model), title_justify="left")
    for key in ("size", "mlp_col", "conv_col", "cnn_col", "ratio_col"):
        table.add_column(tr(TEXT, key, lang), justify="right")
    one_d = len(shape) == 2
    for r in rows:
        side = f"{shape[0]}×{r.size}" if one_d else f"{shape[0]}×{r.size}×{r.size}"
        ratio = f"{group(r.mlp_params / r.cnn_params, lang)}×"
        cells = (group(n, lang) for n in (r.mlp_params, r.conv_params, r.cnn_params))
        table.add_row(side, *cells, ratio)
    return table


@app.command("summary")
@guarded
def summary_cmd(
    model: ModelArg = None,
    input_shape: InputOption = None,
    dataset: DatasetOption = None,
    classes: ClassesOption = None,
    sizes: SizesOption = None,
    list_presets: ListOption = False,
    size: ImageSizeOption = "28",
    color: ColorOption = "gray",
    lang: LangOption = None,
) -> None:
    """Layer-by-layer table: output shapes, parameters, multiply-adds, memory, MLP comparison."""
    from cnnlab.models import summary

    lang = resolve_lang(lang)
    if list_presets:
        models_cmd(lang)
        return
    if model is None and sizes is None:
        raise InvalidArgumentError(
            "summary needs a model; expected a preset name or a spec, e.g. cnnlab summary lenet5 "
            "(see cnnlab models). Received: nothing"
        )
    title = model = model or "small-cnn"
    if Path(model).is_dir():  # a run folder: its spec, input shape and classes
        model, input_shape, classes = _from_run(model, input_shape, dataset)
        dataset = None
    shape, k = _shape_and_classes(model, input_shape, dataset, classes, (size, color))
    console = Console(highlight=False)
    if sizes is not None:
        console.print(_growth_table(model, _parse_sizes(sizes), shape, k, lang))
        console.print(tr(TEXT, "growth_note", lang))
        return
    s = summary(model, shape, k)  # from shapes alone: no weights are allocated
    console.print(_layer_table(s, tr(TEXT, "title", lang, model=title), lang))
    for line in _footer(s, lang):
        console.print(line)


@app.command("models")
@guarded
def models_cmd(lang: LangOption = None) -> None:
    """List the model presets with their parameter counts and descriptions."""
    from cnnlab.models import PRESETS, summary

    lang = resolve_lang(lang)
    table = Table(title=tr(TEXT, "presets_title", lang), title_justify="left")
    table.add_column(tr(TEXT, "name", lang))
    table.add_column(tr(TEXT, "input", lang), justify="right")
    table.add_column(tr(TEXT, "params", lang), justify="right")
    table.add_column(tr(TEXT, "description", lang))
    for name, preset in PRESETS.items():
        params = group(summary(name).total_params, lang)
        shape = "×".join(map(str, preset.input_shape))
        table.add_row(name, shape, params, preset.describe(lang))
    console = Console(highlight=False)
    console.print(table)
    console.print(tr(TEXT, "presets_note", lang))
