"""CLI commands for training: ``cnnlab train``, ``cnnlab evaluate RUN``, ``cnnlab predict RUN IMG``.

Thin: parse, call :mod:`cnnlab.train`, render with rich. The progress bar is driven by the
callback that :func:`cnnlab.train.fit` calls; the library itself never prints.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cnnlab import shipped
from cnnlab.cli import text_render
from cnnlab.cli.app import (
    DataDirOpt,
    DeviceOpt,
    LangOption,
    ThreadsOpt,
    app,
    fail,
    guarded,
)
from cnnlab.i18n import N_, _, number, tr, unknown_name
from cnnlab.present.models import parse_size
from cnnlab.text import is_text_run
from cnnlab.text.report import write_text_report
from cnnlab.train import TrainConfig, finished_run, fit, load_run
from cnnlab.train import evaluate as evaluate_run
from cnnlab.train.images import predict_files

TEXT = {
    "epoch": N_("epoch {epoch}/{epochs}"),
    "epoch_line": N_(
        "epoch {epoch}: train loss {train_loss}, acc {train_acc}; test acc {test}; {seconds} s"
    ),
    "epoch_line_gen": N_(
        "epoch {epoch}: train loss {train_loss}; test loss {test_loss} (nats per image); "
        "{seconds} s"
    ),
    "done_gen": N_(
        "run saved in {path}: test loss {loss} nats per image, {seconds} s of training; "
        "make digits with: cnnlab generate {path}"
    ),
    "done": N_("run saved in {path}: test accuracy {acc}, {seconds} s of training"),
    "already": N_(
        "the run in {path} is already complete ({epochs} epochs); nothing to resume, the "
        "folder is left as it is"
    ),
    "report_failed": N_(
        "warning: the report could not be written ({error}); the run is safe in {path}"
    ),
    "need_model": N_(
        "--model and --dataset are required for a new run; expected e.g. --model small-cnn "
        "--dataset digits (or --resume --out RUN). Received: model={model!r}, dataset={dataset!r}"
    ),
    "heading": N_("{dataset} [{split}]: accuracy {accuracy}, loss {loss}, n={n}"),
    "test": N_("test"),
    "val": N_("validation"),
    "class": N_("class"),
    "precision": N_("precision"),
    "recall": N_("recall"),
    "support": N_("support"),
    "confusion": N_("confusion matrix (rows: true class, columns: predicted)"),
    "image": N_("image"),
    "prob": N_("probability"),
}


def _n(value: float | None, spec: str, lang: str | None) -> str:
    """``value`` with ``spec`` in ``lang``'s marks (``"-"`` for None): ``_n(0.2012, ".1%",
    "es") == "20,1\u00a0%"``."""

    return "-" if value is None else number(value, spec, lang)


class EpochProgress:
    """A fit() callback that draws a rich progress bar per epoch and prints one line per epoch."""

    def __init__(self, console: Console, lang: str | None):
        self.lang, self.task, self.epoch, self.epochs = lang, None, None, 0
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[loss]} {task.fields[acc]}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event == "start":
            self.epochs = info["epochs"]
            self.progress.start()
        elif event == "step":
            self._step(info)
        elif event == "epoch":
            self._epoch_line(info)
        elif event == "end":
            self.progress.stop()

    def _step(self, info: dict[str, Any]) -> None:
        if self.task is None or self.epoch != info["epoch"]:
            if self.task is not None:
                self.progress.remove_task(self.task)
            desc = tr(TEXT, "epoch", self.lang, epoch=info["epoch"], epochs=self.epochs)
            self.task = self.progress.add_task(desc, total=info["steps"], loss="", acc="",
                                               rate="")  # fmt: skip
            self.epoch = info["epoch"]
        acc = "" if info["acc"] is None else _("acc {acc:.2%}", acc=info["acc"])  # None: generative
        self.progress.update(self.task, completed=info["step"],
                             loss=_("loss {loss:.4f}", loss=info["loss"]), acc=acc,
                             rate=_("{rate:,.0f} img/s", rate=info["images_per_s"]))  # fmt: skip

    def _epoch_line(self, info: dict[str, Any]) -> None:
        nums = {
            "train_loss": _n(info["train_loss"], ".4f", self.lang),
            "train_acc": _n(info["train_acc"], ".2%", self.lang),
            "test": _n(info["test_acc"], ".2%", self.lang),
            "seconds": _n(info["seconds"], ".1f", self.lang),
            "test_loss": _n(info.get("test_loss"), ".2f", self.lang),
        }
        key = "epoch_line_gen" if info["train_acc"] is None else "epoch_line"
        self.progress.console.print(tr(TEXT, key, self.lang, **{**info, **nums}))


D = TrainConfig()  # every default below comes from the config dataclass

ModelOpt = Annotated[str | None, typer.Option(help="Preset name or spec string.")]
DatasetOpt = Annotated[str | None, typer.Option(help="digits, mnist, fashion-mnist, ...")]
EpochsOpt = Annotated[
    int | None,
    typer.Option(help="Passes over the training data (most; default 5, 10 for conv-vae, mlp-vae)."),
]
LrOpt = Annotated[float, typer.Option(help="Peak learning rate.")]
OptimizerOpt = Annotated[str, typer.Option(help="adamw or sgd (Nesterov).")]
ScheduleOpt = Annotated[str, typer.Option(help="onecycle, cosine or constant.")]
TrainBatchOpt = Annotated[
    int | None, typer.Option(help="Images per step (default 256; 128 for a one-epoch run).")
]
SmoothingOpt = Annotated[
    float | None, typer.Option(help="In [0, 1) (default 0.1; 0.05 for a one-epoch run).")
]
DecayOpt = Annotated[float, typer.Option(help="Weight decay, >= 0.")]
ShiftOpt = Annotated[int, typer.Option(help="Random shift augmentation, pixels.")]
TargetOpt = Annotated[
    float | None, typer.Option(help="Stop after the first epoch at this test accuracy.")
]
ValOpt = Annotated[float, typer.Option(help="Share of training data for validation.")]
SeedOpt = Annotated[int, typer.Option(help="Seed for weights, batch order, augmentation.")]
SizeOpt = Annotated[str, typer.Option("--size", help="folder: sets only: image size, N or HxW.")]
ColorOpt = Annotated[str, typer.Option("--color", help="folder: sets only: gray or rgb.")]
OutOpt = Annotated[Path | None, typer.Option(help="Run folder (default runs/DATASET-MODEL).")]
ResumeOpt = Annotated[bool, typer.Option(help="Continue the run in --out.")]
NprocOpt = Annotated[int, typer.Option(help="Processes for data-parallel training.")]
NoReportOpt = Annotated[bool, typer.Option("--no-report", help="Skip report.html.")]
EngineOpt = Annotated[
    str, typer.Option(help="torch (autograd) or numpy (cnnlab.ops by hand, CPU, one process).")
]


@app.command()
@guarded
def train(
    model: ModelOpt = None,
    dataset: DatasetOpt = None,
    epochs: EpochsOpt = None,
    batch_size: TrainBatchOpt = None,
    lr: LrOpt = D.lr,
    optimizer: OptimizerOpt = D.optimizer,
    schedule: ScheduleOpt = D.schedule,
    label_smoothing: SmoothingOpt = None,
    weight_decay: DecayOpt = D.weight_decay,
    shift: ShiftOpt = D.augment_shift,
    target_accuracy: TargetOpt = D.target_accuracy,
    val_fraction: ValOpt = D.val_fraction,
    seed: SeedOpt = D.seed,
    device: DeviceOpt = D.device,
    threads: ThreadsOpt = D.threads,
    data_dir: DataDirOpt = D.data_dir,
    size: SizeOpt = "x".join(map(str, D.image_size)),
    color: ColorOpt = D.color,
    engine: EngineOpt = D.engine,
    out: OutOpt = None,
    resume: ResumeOpt = False,
    nproc: NprocOpt = 1,
    no_report: NoReportOpt = False,
    lang: LangOption = None,
) -> None:
    """Train a model and write a run folder (config.json, metrics.jsonl, model.safetensors)."""
    if resume and out is not None and model is None:
        saved = load_run(out).config
        cfg = TrainConfig.from_dict({**saved, "device": device, "threads": threads})
    elif model is None or dataset is None:
        raise fail(tr(TEXT, "need_model", lang, model=model, dataset=dataset))
    else:
        options = {k: v for k, v in locals().items() if k in TRAIN_OPTIONS}
        cfg = TrainConfig(**options, augment_shift=shift, image_size=parse_size(size))
    if resume and _says_complete(cfg, out, lang):
        return
    run = _fit_with_progress(cfg, out, resume, nproc, lang)
    if run is not None:
        _finish(run, no_report, lang)


#: options of ``train`` that are TrainConfig fields of the same name
TRAIN_OPTIONS = {f.name for f in dataclasses.fields(TrainConfig)} - {"augment_shift", "image_size"}


def _says_complete(cfg: TrainConfig, out: Path | None, lang: str | None) -> bool:
    """For --resume: when the run is already complete, say so (nothing is written) and True."""
    done = finished_run(cfg, out)
    if done is not None:
        epochs = (done.config.get("final") or {}).get("epochs_run") or len(done.metrics)
        typer.echo(tr(TEXT, "already", lang, path=done.path, epochs=epochs))
    return done is not None


def _finish(run: Any, no_report: bool, lang: str | None) -> None:
    """Say where the run is and how it did, then write its report."""
    last = run.metrics[-1] if run.metrics else {}
    acc = _n(last.get("test_acc"), ".2%", lang)
    seconds = _n(last.get("seconds", 0.0), ".1f", lang)
    if last.get("train_acc", 0.0) is None:  # a generative model: its loss, and what to do next
        loss = _n(last.get("test_loss"), ".2f", lang)
        typer.echo(tr(TEXT, "done_gen", lang, path=run.path, loss=loss, seconds=seconds))
    else:
        typer.echo(tr(TEXT, "done", lang, path=run.path, acc=acc, seconds=seconds))
    if not no_report:
        _write_report(run, lang)


def _fit_with_progress(cfg: TrainConfig, out, resume: bool, nproc: int, lang: str | None):
    """fit() with a progress bar on stderr; the command line is recorded in the run."""
    callback = EpochProgress(Console(stderr=True), lang)
    command = "cnnlab " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        return fit(cfg, out, resume=resume, callback=callback, command=command, nproc=nproc)
    finally:
        if callback.progress.live.is_started:
            callback.progress.stop()


def _write_report(run: Any, lang: str | None) -> None:
    """Write the run's report; never lose the run over it."""
    try:
        write_text_report(run, lang=lang)
    except Exception as exc:  # a figure failing must not turn a finished run into an error
        error = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        typer.echo(tr(TEXT, "report_failed", lang, error=error, path=run.path), err=True)


@app.command()
@guarded
def evaluate(
    run: Annotated[Path, typer.Argument(help="Run folder.")],
    dataset: Annotated[str | None, typer.Option(help="Another data set of the same shape.")] = None,
    split: Annotated[str, typer.Option(help="test or val.")] = "test",
    lang: LangOption = None,
) -> None:
    """Accuracy, per-class precision/recall/F1 and the confusion matrix of a run."""

    if split not in ("test", "val"):
        raise unknown_name(N_("split"), split, ("test", "val"))
    opened = load_run(run)
    ev = evaluate_run(opened, dataset=dataset, split=split)
    console = Console(width=max(100, 8 * len(ev.classes) + 20))
    heading = tr(TEXT, "heading", lang, dataset=ev.dataset, split=tr(TEXT, ev.split, lang),
                 accuracy=_n(ev.accuracy, ".2%", lang), loss=_n(ev.loss, ".4f", lang),
                 n=len(ev.y_true))  # fmt: skip
    console.print(escape(heading))
    table = Table()
    for key in ("class", "precision", "recall"):
        table.add_column(tr(TEXT, key, lang), justify="left" if key == "class" else "right")
    table.add_column("F1", justify="right")
    table.add_column(tr(TEXT, "support", lang), justify="right")
    for i, name in enumerate(ev.classes):
        table.add_row(
            name,
            _n(ev.precision[i], ".3f", lang),
            _n(ev.recall[i], ".3f", lang),
            _n(ev.f1[i], ".3f", lang),
            str(int(ev.support[i])),
        )
    console.print(table)
    _print_confusion(console, ev, lang)
    if is_text_run(opened) and split == "test" and dataset is None:
        text_render.print_length_table(opened, opened.dataset(), lang)


def _print_confusion(console: Console, ev: Any, lang: str | None) -> None:
    conf = Table(title=tr(TEXT, "confusion", lang))
    conf.add_column("")
    for name in ev.classes:
        conf.add_column(name[:6], justify="right")
    for i, name in enumerate(ev.classes):
        conf.add_row(name[:10], *(str(int(v)) for v in ev.confusion[i]))
    console.print(conf)


@app.command()
@guarded
def predict(
    run: Annotated[
        Path | None,
        typer.Argument(help="Run folder (with --text or --lines alone: the shipped char-cnn)."),
    ] = None,
    images: Annotated[list[str] | None, typer.Argument(help="PNG or JPEG files.")] = None,
    text: Annotated[
        list[str] | None, typer.Option("--text", help="A text to classify (repeatable).")
    ] = None,
    lines: Annotated[Path | None, typer.Option(help="A UTF-8 file: one text per line.")] = None,
    top: Annotated[int, typer.Option(help="How many classes to show.")] = 3,
    engine: Annotated[str, typer.Option(help="auto, torch or onnx (onnxruntime).")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    lang: LangOption = None,
) -> None:
    """Classify pictures (digits get MNIST's own preprocessing) or texts with a trained run."""

    if run is None and not (text or lines is not None):
        raise fail(tr(text_render.TEXT, "need_run", lang))
    opened = load_run(run if run is not None else shipped.folder("char-cnn"))
    if text or lines is not None or (not images and is_text_run(opened)):
        texts = text_render.texts_from(text, lines, lang)
        text_render.print_predictions(opened, texts, top, as_json, lang)
        return
    if not images:
        raise fail(tr(text_render.TEXT, "need_text", lang))
    results = predict_files(opened, images, top=top, engine=engine)  # paths as typed
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    _print_image_table(results, lang)


def _print_image_table(results: list[dict[str, Any]], lang: str | None) -> None:
    table = Table()
    table.add_column(tr(TEXT, "image", lang), overflow="fold")  # a long path wraps, whole
    for k in range(1, max(len(r["top"]) for r in results) + 1):
        table.add_column(f"#{k} {tr(TEXT, 'class', lang)} ({tr(TEXT, 'prob', lang)})")
    for r in results:
        cells = (f"{t['class']} ({number(t['prob'], '.1%', lang)})" for t in r["top"])
        table.add_row(escape(r["image"]), *cells)  # the path as given: two 1.png stay apart
    Console(width=120).print(table)
