"""CLI commands for pictures: ``cnnlab animate``, ``cnnlab visualize RUN``, ``cnnlab report RUN``.

Thin: parse, call :mod:`cnnlab.viz`, print the paths written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from PIL import Image
from torch import nn

from cnnlab import viz
from cnnlab.cli import text_render
from cnnlab.cli.app import ForceOpt, LangOption, app, guarded, new_file, output_name
from cnnlab.cli.ops_cmds import (
    DecimalOpt,
    DilationOpt,
    InputArg,
    KernelOpt,
    ModeOpt,
    PaddingOpt,
    StrideOpt,
    decimal_mark,
)
from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import N_, _, resolve_lang, tr, unknown_name
from cnnlab.inputs import load_input
from cnnlab.present.ops import parse_padding
from cnnlab.samples import kernel_from_spec
from cnnlab.text import is_text_run
from cnnlab.text.report import write_text_report
from cnnlab.train import load_run
from cnnlab.viz._video import check_output
from cnnlab.viz.animate import animate_conv
from cnnlab.viz.animate_transposed import animate_transposed
from cnnlab.viz.layers import layers_of

TEXT = {
    "wrote_spread": N_("wrote {path} ({n} frames: each input cell spread over its output window)"),
    "wrote_anim": N_("wrote {path} ({n} frames for {cells} output cells, {every} per frame)"),
    "wrote_report": N_("wrote {path}"),
}
WHATS = ("kernels", "features", "cam", "growth", "all")
RunArg = Annotated[str, typer.Argument(help="A run folder written by `cnnlab train`.")]


AnimOutOpt = Annotated[Path | None, typer.Option(
    "--out", "-o", help="A .gif, or .mp4 with ffmpeg (default runs/INPUT-conv.gif).")]  # fmt: skip
PicturesOutOpt = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Folder for the PNGs (default RUN/pictures).")]  # fmt: skip
TransposedOpt = Annotated[
    bool, typer.Option("--transposed", help="Spread each input value over the output instead.")
]


@app.command()
@guarded
def animate(
    input: InputArg,
    kernel: KernelOpt,
    stride: StrideOpt = 1,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = 1,
    mode: ModeOpt = "correlate",
    every: Annotated[
        int | None, typer.Option(help="One frame every N output cells (default: fit max-frames).")
    ] = None,
    max_frames: Annotated[
        int | None,
        typer.Option(help="Most frames allowed (default: 400 on small grids, 120 on large ones)."),
    ] = None,
    fps: Annotated[float, typer.Option(help="Frames per second.")] = 8.0,
    out: AnimOutOpt = None,
    transposed: TransposedOpt = False,
    force: ForceOpt = False,
    decimal_comma: DecimalOpt = None,
    lang: LangOption = None,
) -> None:
    """Animate a kernel sliding over an input while the feature map fills in (GIF or MP4)."""

    out = _animation_target(input, out, transposed, fps, force, lang)
    image = load_input(input, decimal=decimal_mark(decimal_comma))
    if transposed:  # the mirror: each input value added onto an output window
        return _spread(image, kernel, stride, padding, fps, out, lang)
    anim = animate_conv(image, kernel_from_spec(kernel), stride, parse_padding(padding), dilation,
                        mode=mode, every=every, max_frames=max_frames, lang=lang)  # fmt: skip
    path = anim.save(out, fps=fps)
    n, cells, every = anim.n_frames, anim.output.size, anim.cells_per_frame
    typer.echo(tr(TEXT, "wrote_anim", lang, path=path, n=n, cells=cells, every=every))


def _animation_target(input: str, out: Path | None, transposed: bool, fps: float, force: bool,
                      lang: str | None) -> Path:  # fmt: skip
    """``--out`` or ``runs/INPUT-conv.gif``; a bad suffix, fps or an existing file is refused
    before any work."""
    kind = "transposed" if transposed else "conv"
    out = out or Path("runs") / f"{output_name(input)}-{kind}.gif"
    check_output(out, fps)
    return new_file(out, force, lang)


def _spread(image: np.ndarray, kernel: str, stride: int, padding: str, fps: float, out: Path,
            lang: str | None) -> None:  # fmt: skip
    """``animate --transposed``: each input value spread over its output window."""
    spread = animate_transposed(image, kernel_from_spec(kernel), stride,
                                parse_padding(padding), resolve_lang(lang))  # fmt: skip
    path = spread.save(out, fps=fps)
    typer.echo(tr(TEXT, "wrote_spread", lang, path=path, n=spread.n_frames))


def image_for_run(run: Any, spec: str, invert: bool = False) -> np.ndarray:
    """An image file or sample as the run's input: (C, H, W) in [0, 1], resized to fit."""

    c, h, w = run.input_shape
    img = load_input(spec)  # (H, W) float
    if img.max() > 1.0:
        img = img / 255.0
    if img.shape != (h, w):
        pil = Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8))
        img = np.asarray(pil.resize((w, h), Image.Resampling.LANCZOS), dtype=np.float64) / 255.0
    if invert:
        img = 1.0 - img
    return np.repeat(img[None], c, axis=0).astype(np.float32)  # (C, H, W)


def _pick_image(run: Any, input: str | None, index: int | None, invert: bool):
    """The image to show and its true label (None for a file)."""
    if input is not None and index is not None:
        raise InvalidArgumentError(
            _(
                "give --input or --index, not both. Received: --input {input} --index {index}",
                input=input,
                index=index,
            )
        )
    if input is not None:
        return image_for_run(run, input, invert), None
    test = run.dataset().test
    i = 0 if index is None else index
    if not 0 <= i < len(test.y):
        raise InvalidArgumentError(
            _(
                "--index is outside the test set; expected 0 <= index < {n}. "
                "Received: --index {index}",
                n=len(test.y),
                index=i,
            )
        )
    return np.asarray(test.x[i], dtype=np.float32), int(test.y[i])


def picture_plan(
    run: Any, image: np.ndarray, label: int | None, what: str, out: Path, lang: str | None
) -> list[tuple[Path, Callable[[], Any]]]:
    """The figures ``what`` asks for: ``(path in out, function drawing it)`` pairs, so every
    target can be checked before anything is drawn."""

    model, pre, plan = run.model, run.preprocess, []
    if what in ("kernels", "all"):
        for name, _ in layers_of(model, nn.Conv2d):
            plan.append(
                (out / f"kernels_{name}.png", partial(viz.plot_kernels, model, name, lang=lang))
            )
    if what in ("features", "all"):
        plan.append(
            (out / "features.png", partial(viz.plot_feature_maps, model, image, pre, lang=lang))
        )
        if layers_of(model, nn.MaxPool2d):
            plan.append(
                (out / "pooling.png", partial(viz.plot_pooling, model, image, pre, lang=lang))
            )
    if what in ("cam", "all"):
        labels = None if label is None else [label]
        cams = partial(viz.plot_cams, model, image[None], labels, run.classes, pre, lang)
        plan.append((out / "cam.png", cams))
    if what in ("growth", "all"):
        plan.append((out / "growth.png", partial(viz.plot_run_growth, run, lang)))
    return plan


def write_pictures(
    run: Any, image: np.ndarray, label: int | None, what: str, out: Path, lang: str | None,
    force: bool = False,
) -> list[Path]:  # fmt: skip
    """Write the figures ``what`` asks for into ``out``; return their paths. An existing file
    is refused (before any is written) unless ``force``."""
    plan = picture_plan(run, image, label, what, out, lang)
    for path, _draw in plan:
        new_file(path, force, lang)
    return [viz.save_figure(draw(), path) for path, draw in plan]


def _check_drawable(run, what: str) -> None:
    """Refuse a run visualize cannot draw: not images (C, H, W), or conv figures without convs."""
    if len(run.input_shape) != 3:
        raise ShapeError(_("visualize draws 2-D images and text; expected a run on (C, H, W) "
                           "inputs or text. Received: input shape {shape}",
                           shape=run.input_shape))  # fmt: skip
    if what != "growth" and not layers_of(run.model, nn.Conv2d):
        raise InvalidArgumentError(
            _("visualize --what {what} draws conv layers, and this model has none; expected a "
              "CNN run, or --what growth. Received: spec {spec!r}", what=what,
              spec=run.config["spec"])
        )  # fmt: skip


@app.command()
@guarded
def visualize(
    run_dir: RunArg,
    out: PicturesOutOpt = None,
    input: Annotated[
        str | None, typer.Option("--input", help="An image file or sample to look at.")
    ] = None,
    index: Annotated[int | None, typer.Option(help="Which test image (default 0).")] = None,
    what: Annotated[str, typer.Option(help="kernels, features, cam, growth or all.")] = "all",
    invert: Annotated[
        bool, typer.Option(help="Invert --input (dark digit on white paper -> MNIST style).")
    ] = False,
    text: Annotated[
        str | None, typer.Option("--text", help="Text runs: the sentence to look at.")
    ] = None,
    force: ForceOpt = False,
    lang: LangOption = None,
) -> None:
    """Draw a run's kernels, feature maps, class activation map and parameter growth as PNGs.

    Feature maps mark max pooling's winners; parameter growth compares an MLP with this CNN.
    Text runs: each character's response to the top kernels, and each kernel's top n-grams."""

    if what not in WHATS:
        raise unknown_name(N_("figure set"), what, WHATS)
    run = load_run(run_dir)
    out = out or run.path / "pictures"
    if is_text_run(run):
        return _text_pictures(run, text, out, force, lang)
    _check_drawable(run, what)
    image, label = _pick_image(run, input, index, invert)
    for path in write_pictures(run, image, label, what, out, lang, force):
        typer.echo(str(path))


def _text_pictures(run: Any, text: str | None, out: Path, force: bool, lang: str | None) -> None:
    """visualize for a text run: every target checked first, then written and listed."""
    for name in text_render.TEXT_PICTURES:
        new_file(out / name, force, lang)
    for path in text_render.write_text_pictures(run, text, out, lang):
        typer.echo(str(path))


@app.command()
@guarded
def report(
    run_dir: RunArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file (default RUN/report.html).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write one self-contained HTML report of a run (opens offline, prints well)."""

    path = write_text_report(run_dir, out, lang)
    typer.echo(tr(TEXT, "wrote_report", lang, path=path))
