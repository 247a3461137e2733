"""CLI commands for data sets: ``cnnlab data list | show | fetch``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from cnnlab.cli.app import DataDirOpt, ForceOpt, LangOption, app, guarded, new_file, output_name
from cnnlab.data import load
from cnnlab.data.loader import IDX_SETS, fetch, get_source, is_cached
from cnnlab.data.preview import sample_grid
from cnnlab.data.sources import SOURCES
from cnnlab.i18n import N_, group, resolve_lang, shape_text, tr
from cnnlab.present.models import parse_size
from cnnlab.viz import save_figure

data_app = typer.Typer(help="List, fetch and look at data sets.", no_args_is_help=True)
app.add_typer(data_app, name="data")

TEXT = {
    "title": N_("Data sets"),
    "name": N_("name"),
    "kind": N_("kind"),
    "shape": N_("input shape"),
    "train": N_("train"),
    "test": N_("test"),
    "classes": N_("classes"),
    "cached": N_("cached"),
    "yes": N_("yes"),
    "no": N_("no"),
    "shipped": N_("shipped"),
    "image": N_("image"),
    "sequence": N_("sequence"),
    "text": N_("text"),
    "folder": N_(
        "Your own images: folder:PATH with one subfolder per class. Your own texts: "
        "textfolder:PATH with one CLASS.txt (a text per line) or CLASS/ folder per class."
    ),
    "grid": N_("{name}: training samples per class"),
    "wrote": N_("wrote {path}"),
    "done": N_("{name} ready in {seconds:.1f} s"),
}


@data_app.callback()
def _data_options(lang: LangOption = None) -> None:
    # --lang here is passed on to the sub-command (cnnlab.main.run reads it before parsing)
    pass


def _classes_text(classes: tuple[str, ...]) -> str:
    return ", ".join(classes) if len(classes) <= 4 else f"{len(classes)}: {', '.join(classes[:3])}…"


@data_app.command("list")
@guarded
def list_cmd(lang: LangOption = None) -> None:
    """Show every data set with its shape, train/test counts, classes and cache state."""

    lang = resolve_lang(lang)
    table = Table(title=tr(TEXT, "title", lang))
    for key in ("name", "kind", "shape", "train", "test", "classes", "cached"):
        justify = "right" if key in ("train", "test") else "left"
        table.add_column(tr(TEXT, key, lang), justify=justify)
    for source in SOURCES.values():
        cached = is_cached(source.name)
        state = "shipped" if cached is None else ("yes" if cached else "no")
        table.add_row(
            source.name,
            tr(TEXT, source.kind, lang),
            shape_text(source.input_shape),
            group(source.n_train, lang),
            group(source.n_test, lang),
            _classes_text(source.classes),
            tr(TEXT, state, lang),
        )
    console = Console(width=120)
    console.print(table)
    console.print(tr(TEXT, "folder", lang))


@data_app.command("fetch")
@guarded
def fetch_cmd(
    name: Annotated[str, typer.Argument(help="Data set name, e.g. mnist.")],
    data_dir: DataDirOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if cached.")] = False,
    lang: LangOption = None,
) -> None:
    """Download (or generate) a data set into the cache, showing each step and a progress bar."""

    name = get_source(name).name  # an unknown name fails here, before any progress display
    start = time.perf_counter()

    def note(message: str) -> None:
        typer.echo(message, err=True)

    if name not in IDX_SETS:
        fetch(name, data_dir, note=note, force=force)
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
        columns += (TransferSpeedColumn(),)
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(name, total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            fetch(name, data_dir, progress=progress, note=note, force=force)
    typer.echo(tr(TEXT, "done", lang, name=name, seconds=time.perf_counter() - start))


@data_app.command("show")
@guarded
def show_cmd(
    name: Annotated[str, typer.Argument(help="Data set name or folder:PATH.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="PNG file to write (default runs/NAME-grid.png).")
    ] = None,
    per_class: Annotated[int, typer.Option("--per-class", help="Samples per class.")] = 8,
    seed: Annotated[int, typer.Option("--seed", help="Seed choosing the samples.")] = 0,
    size: Annotated[
        str, typer.Option("--size", help="folder: sets only: image size, N or HxW.")
    ] = "28",
    color: Annotated[str, typer.Option("--color", help="folder: sets only: gray or rgb.")] = "gray",
    data_dir: DataDirOpt = None,
    force: ForceOpt = False,
    lang: LangOption = None,
) -> None:
    """Write a picture of training samples, one row per class, to a PNG file."""

    out = new_file(out or Path("runs") / f"{output_name(name)}-grid.png", force, lang)
    image_size = parse_size(size)
    ds = load(name, data_dir=data_dir, val_fraction=0.0, image_size=image_size, color=color)
    fig = sample_grid(ds, per_class=per_class, seed=seed, title=tr(TEXT, "grid", lang, name=name))
    save_figure(fig, out)
    typer.echo(tr(TEXT, "wrote", lang, path=out))
