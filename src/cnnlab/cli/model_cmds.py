"""CLI commands for models: ``cnnlab summary`` (layers, growth table) and ``cnnlab models``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, group, resolve_lang, shape_text, tr
from cnnlab.models import PRESETS, parameter_growth, summary
from cnnlab.present.models import TEXT, footer, from_run, parse_sizes, shape_and_classes

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


def _layer_table(s, title: str, lang: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(tr(TEXT, "layer", lang))
    table.add_column(tr(TEXT, "spec", lang), overflow="fold")
    table.add_column(tr(TEXT, "output", lang), justify="right")
    table.add_column(tr(TEXT, "params", lang), justify="right")
    table.add_column(tr(TEXT, "macs", lang), justify="right")
    table.add_row(tr(TEXT, "input", lang), "", shape_text(s.input_shape), "", "")
    for row in s.rows:
        shape = shape_text(row.output_shape)
        table.add_row(
            row.name, row.layer, shape, group(row.params, lang), group(row.mult_adds, lang)
        )
    table.add_section()
    total, macs = group(s.total_params, lang), group(s.total_mult_adds, lang)
    table.add_row(tr(TEXT, "total", lang), "", "", total, macs)
    return table


def _growth_table(model: str, sizes: tuple[int, ...], shape, k: int, lang: str) -> Table:
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
    lang = resolve_lang(lang)
    if list_presets:
        models_cmd(lang)
        return
    if model is None and sizes is None:
        raise InvalidArgumentError(
            _(
                "summary needs a model; expected a preset name or a spec, e.g. cnnlab summary "
                "lenet5 (see cnnlab models). Received: nothing"
            )
        )
    title = model = model or "small-cnn"
    if Path(model).is_dir():  # a run folder: its spec, input shape and classes
        model, input_shape, classes = from_run(model, input_shape, dataset)
        dataset = None
    shape, k = shape_and_classes(model, input_shape, dataset, classes, (size, color))
    console = Console(highlight=False)
    if sizes is not None:
        console.print(_growth_table(model, parse_sizes(sizes), shape, k, lang))
        console.print(tr(TEXT, "growth_note", lang))
        return
    s = summary(model, shape, k)  # from shapes alone: no weights are allocated
    console.print(_layer_table(s, tr(TEXT, "title", lang, model=title), lang))
    for line in footer(s, lang):
        console.print(line)


@app.command("models")
@guarded
def models_cmd(lang: LangOption = None) -> None:
    """List the model presets with their parameter counts and descriptions."""
    lang = resolve_lang(lang)
    table = Table(title=tr(TEXT, "presets_title", lang), title_justify="left")
    table.add_column(tr(TEXT, "name", lang))
    table.add_column(tr(TEXT, "input", lang), justify="right")
    table.add_column(tr(TEXT, "params", lang), justify="right")
    table.add_column(tr(TEXT, "description", lang))
    for name, preset in PRESETS.items():
        params = group(summary(name).total_params, lang)
        shape = shape_text(preset.input_shape)
        table.add_row(name, shape, params, preset.describe(lang))
    console = Console(highlight=False)
    console.print(table)
    console.print(tr(TEXT, "presets_note", lang))
