"""CLI commands for training: ``cnnlab train``, ``cnnlab evaluate RUN``, ``cnnlab predict RUN IMG``.

Thin: parse, call :mod:`cnnlab.train`, render with rich. The progress bar is driven by the
callback that :func:`cnnlab.train.fit` calls; the library itself never prints.
"""

from __future__ import annotations

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

from cnnlab.cli.app import LangOption, app, fail, guarded
from cnnlab.errors import unknown_name
from cnnlab.experiments.report import num
from cnnlab.i18n import tr
from cnnlab.present.models import parse_size
from cnnlab.train import TrainConfig, fit, load_run
from cnnlab.train import evaluate as evaluate_run
from cnnlab.train.images import predict_files
from cnnlab.viz import report as viz_report

TEXT = {
    "epoch": {"en": "epoch {epoch}/{epochs}", "es": "época {epoch}/{epochs}"},
    "epoch_line": {
        "en": "epoch {epoch}: train loss {train_loss}, acc {train_acc}; test acc {test}; "
        "{seconds} s",
        "es": "época {epoch}: pérdida {train_loss}, exactitud {train_acc}; "
        "exactitud en prueba {test}; {seconds} s",
    },
    "done": {
        "en": "run saved in {path}: test accuracy {acc}, {seconds} s of training",
        "es": "ejecución guardada en {path}: exactitud en prueba {acc}, {seconds} s de "
        "entrenamiento",
    },
    "report_failed": {
        "en": "warning: the report could not be written ({error}); the run is safe in {path}",
        "es": "aviso: no se pudo escribir el informe ({error}); la ejecución está a salvo en "
        "{path}",
    },
    "need_model": {
        "en": "--model and --dataset are required for a new run; expected e.g. --model small-cnn "
        "--dataset digits (or --resume --out RUN). Received: model={model!r}, dataset={dataset!r}",
        "es": "--model y --dataset son obligatorios para una ejecución nueva; se esperaba p. ej. "
        "--model small-cnn --dataset digits (o --resume --out RUN). Recibido: model={model!r}, "
        "dataset={dataset!r}",
    },
    "accuracy": {"en": "accuracy", "es": "exactitud"},
    "loss": {"en": "loss", "es": "pérdida"},
    "class": {"en": "class", "es": "clase"},
    "precision": {"en": "precision", "es": "precisión"},
    "recall": {"en": "recall", "es": "exhaustividad"},
    "support": {"en": "support", "es": "soporte"},
    "confusion": {
        "en": "confusion matrix (rows: true class, columns: predicted)",
        "es": "matriz de confusión (filas: clase real, columnas: predicha)",
    },
    "image": {"en": "image", "es": "imagen"},
    "prob": {"en": "probability", "es": "probabilidad"},
}


def _n(value: float | None, spec: str, lang: str | None) -> str:
    """``value`` with ``spec`` in ``lang``'s marks: ``_n(0.2012, ".1%", "es") == "20,1%"``."""

    return "-" if value is None else num(format(value, spec), lang)


def _progress_callback(console: Console, lang: str | None):
    """A fit() callback that draws a rich progress bar per epoch and one line per epoch."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f} acc {task.fields[acc]:.2%}"),
        TextColumn("{task.fields[rate]:,.0f} img/s"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    state: dict[str, Any] = {"task": None, "epochs": 0}

    def callback(event: str, info: dict[str, Any]) -> None:
        if event == "start":
            state["epochs"] = info["epochs"]
            progress.start()
        elif event == "step":
            if state["task"] is None or state["epoch"] != info["epoch"]:
                if state["task"] is not None:
                    progress.remove_task(state["task"])
                desc = tr(TEXT, "epoch", lang, epoch=info["epoch"], epochs=state["epochs"])
                state["task"] = progress.add_task(
                    desc, total=info["steps"], loss=0.0, acc=0.0, rate=0.0
                )
                state["epoch"] = info["epoch"]
            progress.update(
                state["task"],
                completed=info["step"],
                loss=info["loss"],
                acc=info["acc"],
                rate=info["images_per_s"],
            )
        elif event == "epoch":
            nums = {
                "train_loss": _n(info["train_loss"], ".4f", lang),
                "train_acc": _n(info["train_acc"], ".2%", lang),
                "test": _n(info["test_acc"], ".2%", lang),
                "seconds": _n(info["seconds"], ".1f", lang),
            }
            progress.console.print(tr(TEXT, "epoch_line", lang, **{**info, **nums}))
        elif event == "end":
            progress.stop()

    return callback, progress


@app.command()
@guarded
def train(
    model: Annotated[str | None, typer.Option(help="Preset name or spec string.")] = None,
    dataset: Annotated[str | None, typer.Option(help="digits, mnist, fashion-mnist, ...")] = None,
    epochs: Annotated[int, typer.Option(help="Passes over the training data (most).")] = 5,
    batch_size: Annotated[int, typer.Option(help="Images per step.")] = 256,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 0.02,
    optimizer: Annotated[str, typer.Option(help="adamw or sgd (Nesterov).")] = "adamw",
    schedule: Annotated[str, typer.Option(help="onecycle, cosine or constant.")] = "onecycle",
    label_smoothing: Annotated[float, typer.Option(help="In [0, 1).")] = 0.1,
    weight_decay: Annotated[float, typer.Option(help="Weight decay, >= 0.")] = 5e-4,
    shift: Annotated[int, typer.Option(help="Random shift augmentation, pixels.")] = 0,
    target_accuracy: Annotated[
        float | None, typer.Option(help="Stop after the first epoch at this test accuracy.")
    ] = None,
    val_fraction: Annotated[
        float, typer.Option(help="Share of training data for validation.")
    ] = 0.1,
    seed: Annotated[int, typer.Option(help="Seed for weights, batch order, augmentation.")] = 0,
    device: Annotated[str, typer.Option(help="auto, cpu, cuda or mps.")] = "auto",
    threads: Annotated[int | None, typer.Option(help="torch CPU threads.")] = None,
    data_dir: Annotated[str | None, typer.Option(help="Data cache folder.")] = None,
    size: Annotated[
        str, typer.Option("--size", help="folder: sets only: image size, N or HxW.")
    ] = "28",
    color: Annotated[str, typer.Option("--color", help="folder: sets only: gray or rgb.")] = "gray",
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default runs/DATASET-MODEL).")
    ] = None,
    resume: Annotated[bool, typer.Option(help="Continue the run in --out.")] = False,
    nproc: Annotated[int, typer.Option(help="Processes for data-parallel training.")] = 1,
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip report.html.")] = False,
    lang: LangOption = None,
) -> None:
    """Train a model and write a run folder (config.json, metrics.jsonl, model.safetensors)."""

    if resume and out is not None and model is None:
        saved = load_run(out).config
        cfg = TrainConfig.from_dict({**saved, "device": device, "threads": threads})
    elif model is None or dataset is None:
        raise fail(tr(TEXT, "need_model", lang, model=model, dataset=dataset))
    else:
        cfg = TrainConfig(
            model=model,
            dataset=dataset,
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=optimizer,
            schedule=schedule,
            label_smoothing=label_smoothing,
            weight_decay=weight_decay,
            augment_shift=shift,
            target_accuracy=target_accuracy,
            val_fraction=val_fraction,
            seed=seed,
            device=device,
            threads=threads,
            data_dir=data_dir,
            image_size=parse_size(size),
            color=color,
        )
    console = Console(stderr=True)
    callback, progress = _progress_callback(console, lang)
    command = "cnnlab " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    try:
        run = fit(cfg, out, resume=resume, callback=callback, command=command, nproc=nproc)
    finally:
        if progress.live.is_started:
            progress.stop()
    if run is None:
        return
    last = run.metrics[-1] if run.metrics else {}
    acc = _n(last.get("test_acc"), ".2%", lang)
    seconds = _n(last.get("seconds", 0.0), ".1f", lang)
    typer.echo(tr(TEXT, "done", lang, path=run.path, acc=acc, seconds=seconds))
    if not no_report:
        _write_report(run, lang)


def _write_report(run: Any, lang: str | None) -> None:
    """Write the run's report; never lose the run over it."""
    try:
        viz_report.write_report(run, lang=lang)
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
        raise unknown_name("split", split, ("test", "val"))
    ev = evaluate_run(load_run(run), dataset=dataset, split=split)
    console = Console(width=max(100, 8 * len(ev.classes) + 20))
    console.print(
        escape(f"{ev.dataset} [{ev.split}]: {tr(TEXT, 'accuracy', lang)} ")
        + f"{_n(ev.accuracy, '.2%', lang)}, "
        + f"{tr(TEXT, 'loss', lang)} {_n(ev.loss, '.4f', lang)}, n={len(ev.y_true)}"
    )
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
    run: Annotated[Path, typer.Argument(help="Run folder.")],
    images: Annotated[list[Path], typer.Argument(help="PNG or JPEG files.")],
    top: Annotated[int, typer.Option(help="How many classes to show.")] = 3,
    engine: Annotated[str, typer.Option(help="auto, torch or onnx (onnxruntime).")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    lang: LangOption = None,
) -> None:
    """Classify pictures with a trained run (digits get MNIST's own preprocessing)."""

    results = predict_files(load_run(run), [str(p) for p in images], top=top, engine=engine)
    if as_json:
        typer.echo(json.dumps(results, indent=2))
        return
    table = Table()
    table.add_column(tr(TEXT, "image", lang))
    for k in range(1, max(len(r["top"]) for r in results) + 1):
        table.add_column(f"#{k} {tr(TEXT, 'class', lang)} ({tr(TEXT, 'prob', lang)})")
    for r in results:
        table.add_row(Path(r["image"]).name, *(f"{t['class']} ({t['prob']:.1%})" for t in r["top"]))
    Console(width=120).print(table)
