"""CLI commands for one convolution by hand: convolve, explain, pool, kernels, samples, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table, box

from cnnlab.cli.app import ForceOpt, LangOption, app, guarded, new_file
from cnnlab.cli.ops_render import matrix_table, show
from cnnlab.cli.transposed_render import show_spread
from cnnlab.i18n import N_, resolve_lang, shape_text, unknown_name
from cnnlab.inputs import load_input, save_kind, save_matrix
from cnnlab.ops import (
    ConvStep,
    PoolStep,
    avg_pool2d,
    explain_conv,
    explain_pool,
    explain_transposed,
    max_pool2d,
)
from cnnlab.ops.explain import convolve_image
from cnnlab.present.ops import (
    explain_head,
    fits_table,
    fmt_cell,
    parse_at,
    parse_padding,
    pool_words,
    position_labels,
    preview,
    size_lines,
    summary,
    t,
)
from cnnlab.samples import (
    KERNELS,
    SAMPLES,
    NamedKernel,
    deck_mismatches,
    get_kernel,
    get_sample,
    kernel_from_spec,
)

InputArg = Annotated[
    str, typer.Argument(help="A sample name (see `cnnlab samples`), a PNG/JPEG, CSV/TSV or .npy.")
]
DecimalOpt = Annotated[
    bool | None,
    typer.Option(
        "--decimal-comma/--decimal-point",
        help="Decimal mark of a text INPUT (default: read from the file).",
        show_default=False,
    ),
]


def decimal_mark(flag: bool | None) -> str | None:
    """``--decimal-comma`` → ``","``, ``--decimal-point`` → ``"."``, neither → None (found)."""
    return None if flag is None else "," if flag else "."


KernelOpt = Annotated[
    str,
    typer.Option(
        "--kernel", "-k", help='A kernel name (see `cnnlab kernels`) or "1,0,-1;1,0,1;1,1,1".'
    ),
]
StrideOpt = Annotated[int, typer.Option(help="Step between windows (s).")]
PaddingOpt = Annotated[
    str, typer.Option(help="Zeros around the input (p): a number, ROWS,COLS, valid, same or full.")
]
DilationOpt = Annotated[int, typer.Option(help="Spacing between kernel taps (d).")]
ModeOpt = Annotated[
    str, typer.Option(help="correlate (as in CNNs and the deck) or convolve (kernel flipped).")
]


def _header(
    name: str, image: np.ndarray, kernel: np.ndarray, out: np.ndarray, settings: dict, lang: str
) -> list[str]:
    line = (
        f"{t('input', lang)} {name}: {shape_text(image.shape)}   {t('kernel', lang)}: "
        f"{shape_text(kernel.shape)}   {t('feature_map_first', lang)}: {shape_text(out.shape)}"
    )
    mode_text = t(settings["mode"], lang)
    padding = settings["padding"]
    return [
        line,
        t(
            "settings",
            lang,
            stride=settings["stride"],
            padding=padding,
            dilation=settings["dilation"],
            mode=mode_text,
        ),
        *size_lines(
            image.shape,
            kernel.shape,
            settings["stride"],
            parse_padding(padding),
            settings["dilation"],
            lang,
            settings["mode"],
        ),
    ]


@app.command()
@guarded
def convolve(
    input: InputArg,
    kernel: KernelOpt = "deck",
    stride: StrideOpt = 1,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = 1,
    mode: ModeOpt = "correlate",
    out: Annotated[
        Path | None, typer.Option(help="Save the feature map: .png, .csv or .npy.")
    ] = None,
    force: ForceOpt = False,
    decimal_comma: DecimalOpt = None,
    lang: LangOption = None,
) -> None:
    """Slide a kernel over an image and print the feature map (mapa de características)."""
    lang = resolve_lang(lang)
    if out is not None:
        save_kind(out)  # refuse a bad suffix before any work
        new_file(out, force, lang)
    image = load_input(input, decimal=decimal_mark(decimal_comma))
    weights = kernel_from_spec(kernel)
    result = convolve_image(image, weights, stride, parse_padding(padding), dilation, mode)
    console = Console(highlight=False)
    settings = {"stride": stride, "padding": padding, "dilation": dilation, "mode": mode}
    show(console, *_header(input, image, weights, result, settings, lang))
    if fits_table(result.shape):
        show(console, matrix_table(result, f"{t('feature_map', lang)} {shape_text(result.shape)}"))
    else:
        show_large(console, result, lang)
        if out is None:
            show(console, t("too_big", lang, rows=32, cols=24))
    if out is not None:
        kind = save_matrix(out, result)
        show(
            console,
            t("saved", lang, path=out) + (" " + t("png_note", lang) if kind == "png" else ""),
        )


def show_large(console: Console, result: np.ndarray, lang: str) -> None:
    """A matrix too large for a table: one summary line and a text picture of it."""
    picture, (br, bc) = preview(result)
    lines = picture.splitlines()
    shape = f"{len(lines)}×{len(lines[0])}"
    show(console, summary(result, lang), t("preview", lang, shape=shape, r=br, c=bc))
    console.print(picture, markup=False, crop=False, soft_wrap=True)


def _explain_lines(step: ConvStep, lang: str, first: bool = False) -> list:
    """The window, the kernel and the dot product; ``first``: the map's first mention."""
    rows, cols = position_labels(step.input_positions)
    head = explain_head(step, lang, first)
    items: list = [head, matrix_table(step.window, t("window", lang), rows, cols)]
    if "pad" in rows + cols:
        items.append(t("pad_note", lang))
    items.append(matrix_table(step.kernel, t("kernel", lang)))
    items.append(f"{t('dot', lang)}: {step.formula()}")
    return items


@app.command()
@guarded
def explain(
    input: InputArg,
    at: Annotated[str, typer.Option("--at", help="Output position ROW,COL, e.g. 0,0.")],
    kernel: KernelOpt = "deck",
    stride: StrideOpt = 1,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = 1,
    mode: ModeOpt = "correlate",
    transposed: Annotated[
        bool, typer.Option("--transposed", help="Transposed convolution: --at is an INPUT cell.")
    ] = False,
    decimal_comma: DecimalOpt = None,
    lang: LangOption = None,
) -> None:
    """Show how one value of the feature map is computed: window · kernel = value."""
    lang = resolve_lang(lang)
    image = load_input(input, decimal=decimal_mark(decimal_comma))
    weights = kernel_from_spec(kernel)
    row, col = parse_at(at)
    if transposed:  # the mirror: one input value spread over an output window
        pad = parse_padding(padding)
        show_spread(explain_transposed(image, weights, row, col, stride, pad), lang)
        return
    step = explain_conv(image, weights, row, col, stride=stride, padding=parse_padding(padding),
                        dilation=dilation, mode=mode)  # fmt: skip
    console = Console(highlight=False)
    show(console, *_explain_lines(step, lang, first=True))
    show(
        console,
        *size_lines(
            image.shape, weights.shape, stride, parse_padding(padding), dilation, lang, mode
        ),
    )


@app.command()
@guarded
def pool(
    input: InputArg,
    kind: Annotated[str, typer.Option(help="max or avg.")] = "max",
    size: Annotated[int, typer.Option(help="Window side k (k×k).")] = 2,
    stride: Annotated[
        int | None, typer.Option(help="Step between windows (default: size).")
    ] = None,
    padding: Annotated[int, typer.Option(help="Padding on each side, at most size/2.")] = 0,
    at: Annotated[str | None, typer.Option("--at", help="Explain output ROW,COL.")] = None,
    decimal_comma: DecimalOpt = None,
    lang: LangOption = None,
) -> None:
    """Max- or average-pool an image and print the reduced map."""
    lang = resolve_lang(lang)
    image = load_input(input, decimal=decimal_mark(decimal_comma))
    if kind not in ("max", "avg"):
        raise unknown_name(N_("pooling kind"), kind, ("max", "avg"))
    op = max_pool2d if kind == "max" else avg_pool2d
    result = op(image[None], size, stride, padding)[0]  # (H_out, W_out)
    step = None if at is None else explain_pool(image, *parse_at(at), kind, size, stride, padding)
    console = Console(highlight=False)
    if fits_table(result.shape):
        show(console, matrix_table(result, f"{t('pooled', lang)} {shape_text(result.shape)}"))
    else:
        show_large(console, result, lang)
    if step is not None:  # checked before anything is printed
        show(console, *_pool_lines(step, size, stride or size, lang))


def _pool_lines(step: PoolStep, size: int, stride: int, lang: str) -> list:
    head, verdict = pool_words(step, size, stride, lang)
    rows, cols = position_labels(step.input_positions)
    return [head, matrix_table(step.window, t("window", lang), rows, cols), verdict]


def _kernel_text(entry: NamedKernel) -> str:
    """The weights as rows of numbers, with a common divisor in front: ``1/16 ×`` then 1 2 1 …"""
    divisor, whole = entry.as_fraction()
    cells = [[fmt_cell(v) for v in row] for row in whole]
    width = max(len(c) for row in cells for c in row)
    rows = "\n".join(" ".join(c.rjust(width) for c in row) for row in cells)
    return rows if divisor == 1 else f"1/{divisor} ×\n{rows}"


@app.command()
@guarded
def kernels(lang: LangOption = None) -> None:
    """List the built-in kernels (filters)."""
    lang = resolve_lang(lang)
    table = Table(box=box.SIMPLE, show_lines=True)
    for key in ("name", "matrix", "description"):
        table.add_column(t(key, lang))
    for name, entry in KERNELS.items():
        table.add_row(name, _kernel_text(entry), entry.description(lang))
    show(Console(highlight=False), table)


@app.command()
@guarded
def samples(lang: LangOption = None) -> None:
    """List the built-in images: the deck's pixel art and offline photos."""
    lang = resolve_lang(lang)
    table = Table(box=box.SIMPLE)
    for key in ("name", "shape", "description"):
        table.add_column(t(key, lang))
    for name, entry in SAMPLES.items():
        table.add_row(name, shape_text(get_sample(name).shape), entry.description(lang))
    show(Console(highlight=False), table)


@app.command()
@guarded
def demo(lang: LangOption = None) -> None:
    """Reproduce the deck's worked convolution and check it against the values the deck prints."""
    lang = resolve_lang(lang)
    console = Console(highlight=False)
    image, kernel = get_sample("bidoof-worked"), get_kernel("deck")
    result = convolve_image(image, kernel, 1, 0, 1, "correlate")
    settings = {"stride": 1, "padding": "0", "dilation": 1, "mode": "correlate"}
    show(console, t("demo_title", lang), "")
    show(console, *_header("bidoof-worked", image, kernel, result, settings, lang))
    show(console, matrix_table(kernel, t("kernel", lang)))
    show(console, matrix_table(result, f"{t('feature_map', lang)} {shape_text(result.shape)}"))
    show(console, *_explain_lines(explain_conv(image, kernel, 0, 0), lang), "")
    checked, bad = deck_mismatches(result)
    if not bad:
        show(console, t("deck_ok", lang, n=checked))
        return
    details = ", ".join(f"({r}, {c}): {fmt_cell(d)} ≠ {fmt_cell(g)}" for r, c, d, g in bad)
    show(console, t("deck_bad", lang, bad=len(bad), n=checked, details=details))
    raise typer.Exit(1)
