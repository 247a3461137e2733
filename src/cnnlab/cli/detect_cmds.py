"""``cnnlab detect`` (boxes of faces, digits or a run's classes) and ``cnnlab read`` (the number
written in a picture). Thin: parse, call :mod:`cnnlab.detect`, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cnnlab.cli.app import ForceOpt, LangOption, app, guarded, new_file
from cnnlab.detect import DetectConfig, Detection, detector_for
from cnnlab.detect import read as read_number
from cnnlab.detect.core import detect as run_detect
from cnnlab.detect.figures import boxed, explain_figure, png
from cnnlab.errors import InvalidArgumentError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import N_, _, fixed, tr
from cnnlab.viz._common import figure_bytes

D = DetectConfig()
TEXT = {
    "training": N_("training the default {what} model (first use only; it is cached): {line}"),
    "epoch": N_("epoch {epoch}, test accuracy {acc}"),
    "found": N_("{image}: {n} boxes in {ms} ms"),
    "wrote": N_("wrote {path}"),
}

WhatOpt = Annotated[str | None, typer.Option("--what", help="faces or digits (default model).")]
RunOpt = Annotated[Path | None, typer.Option("--run", help="Run folder of an image classifier.")]
ThresholdOpt = Annotated[float | None, typer.Option(
    help="Lowest object probability a box keeps (default: the model's own).")]  # fmt: skip
MinOpt = Annotated[int | None, typer.Option(help="Smallest box side searched, pixels.")]
MaxOpt = Annotated[int | None, typer.Option(help="Largest box side searched, pixels.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
OutOpt = Annotated[Path | None, typer.Option(help="Write the picture with its boxes (PNG).")]
ExplainOpt = Annotated[bool, typer.Option(help="Write the score maps beside the boxes.")]
RetrainOpt = Annotated[bool, typer.Option(
    help="Train the default model again here (minutes; kept in the cache) instead of using the "
    "shipped one.")]  # fmt: skip


def _progress(what: str, lang: str | None):
    def callback(event: str, info: dict) -> None:
        if event == "epoch":
            acc = fixed(info.get("test_acc") or 0.0, 3, lang)
            line = tr(TEXT, "epoch", lang, epoch=info["epoch"], acc=acc)
            typer.echo(tr(TEXT, "training", lang, what=what, line=line), err=True)

    return callback


def _outputs(found: Detection, pixels_out: Path | None, explain: bool, many: bool, force: bool,
             lang: str | None) -> list[Path]:  # fmt: skip
    """Write the boxed picture and the --explain figure; return where."""
    written = []
    stem = Path(found.image).stem or "picture"
    if pixels_out is not None:
        path = pixels_out.with_name(f"{pixels_out.stem}-{stem}{pixels_out.suffix}") if many \
            else pixels_out  # fmt: skip
        atomic_write_bytes(new_file(path, force, lang), png(boxed(found, found.picture)))
        written.append(path)
    if explain:
        path = new_file(Path("runs") / "detect" / f"{stem}-explain.png", force, lang)
        atomic_write_bytes(path, figure_bytes(explain_figure(found, lang)))
        written.append(path)
    return written


@app.command()
@guarded
def detect(
    images: Annotated[list[str], typer.Argument(help="PNG/JPEG files or sample names.")],
    what: WhatOpt = None,
    run: RunOpt = None,
    threshold: ThresholdOpt = D.threshold,
    min_size: MinOpt = D.min_size,
    max_size: MaxOpt = D.max_size,
    out: OutOpt = None,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
    retrain: RetrainOpt = False,
    lang: LangOption = None,
) -> None:
    """Find faces, digits or a run's classes: a classifier slid over an image pyramid."""
    if what is None and run is None:
        raise InvalidArgumentError(
            _(
                "say what to find; expected --what faces, --what digits or --run RUN. "
                "Received: neither"
            )
        )
    detector = detector_for(what, run, _progress(what or "", lang), retrain)
    config = DetectConfig(threshold=threshold, min_size=min_size, max_size=max_size)
    results = []
    for image in images:
        found = run_detect(detector, image, config)
        results.append(found.to_dict())
        written = _outputs(found, out, explain, len(images) > 1, force, lang)
        if not as_json:
            ms = fixed(found.seconds * 1000, 0, lang)
            typer.echo(tr(TEXT, "found", lang, image=found.image, n=len(found.boxes), ms=ms))
            for b in found.boxes:
                box = ", ".join(fixed(v, 0, lang) for v in b.box)
                typer.echo(f"  {b.label:>10}  {fixed(b.score, 3, lang)}  [{box}]")
        for path in written:
            typer.echo(tr(TEXT, "wrote", lang, path=path), err=as_json)
    if as_json:
        typer.echo(json.dumps(results, indent=2))


@app.command()
@guarded
def read(
    image: Annotated[str, typer.Argument(help="PNG/JPEG file of a handwritten number.")],
    run: RunOpt = None,
    threshold: ThresholdOpt = D.threshold,
    as_json: JsonOpt = False,
    retrain: RetrainOpt = False,
    lang: LangOption = None,
) -> None:
    """Read a handwritten number (or lines of digits) left to right."""
    config = DetectConfig(threshold=threshold)
    reading = read_number(image, run, config, _progress("digits", lang), retrain)
    typer.echo(json.dumps(reading.to_dict(), indent=2) if as_json else reading.text)
