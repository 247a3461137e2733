"""``cnnlab compare``: the deck's conclusion (CNN vs MLP) measured on one data set.

Thin: parse the lists, call :func:`cnnlab.experiments.compare`, draw its tables with rich and
write the output folder. Training progress is the same bar ``cnnlab train`` shows.
"""

from __future__ import annotations

import dataclasses
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cnnlab.cli.app import BatchOpt, DataDirOpt, DeviceOpt, LangOption, ThreadsOpt, app, guarded
from cnnlab.cli.train_cmds import EpochProgress, _n
from cnnlab.errors import InvalidArgumentError
from cnnlab.experiments import CompareConfig, tables, write_outputs
from cnnlab.experiments import compare as run_compare
from cnnlab.i18n import N_, _, resolve_lang, tr

TEXT = {
    "trial": N_("[{index}/{total}] {model} · {variant} · seed {seed}"),
    "trial_done": N_("  test accuracy {acc}{reused}"),
    "reused": N_(" (finished run read back, not retrained)"),
    "written": N_("written: {files}"),
}


def split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses: ``"mlp,conv(8,3)"`` → ``["mlp", "conv(8,3)"]``."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    return [*items, text[start:]]


def parse_list(text: str, name: str, kind: type = str) -> tuple:
    """``"0,1,2"`` → ``(0, 1, 2)``; blanks dropped; a bad item raises InvalidArgumentError.

    Commas inside parentheses belong to a spec string, so model specs can be listed too.
    """
    items = [p.strip() for p in split_top_level(text) if p.strip()]
    try:
        return tuple(kind(p) for p in items)
    except ValueError:
        raise InvalidArgumentError(
            _(
                "--{name} must be a comma-separated list of {kind} values; expected e.g. "
                "{example}. Received: {text!r}",
                name=name,
                kind=kind.__name__,
                example="0,1,2" if kind is int else "0.1,0.5" if kind is float else "mlp,small-cnn",
                text=text,
            )
        ) from None


def trial_progress(console: Console, lang: str | None):
    """Print a header per trained run and drive ``cnnlab train``'s progress bar inside it."""
    state: dict[str, Any] = {"fit": None}

    def callback(event: str, info: dict[str, Any]) -> None:
        if event == "trial":
            console.print(escape(tr(TEXT, "trial", lang, **info)))
            state["fit"] = EpochProgress(console, lang)
        elif event == "trial_done":
            reused = tr(TEXT, "reused", lang) if info["reused"] else ""
            console.print(
                tr(TEXT, "trial_done", lang, acc=_n(info["test_acc"], ".2%", lang), reused=reused)
            )
        elif state["fit"] is not None:
            state["fit"](event, info)

    def stop() -> None:
        if state["fit"] is not None and state["fit"].progress.live.is_started:
            state["fit"].progress.stop()

    return callback, stop


C = CompareConfig()  # every default below comes from the config dataclass

DatasetOpt = Annotated[str, typer.Option(help="mnist, digits, fashion-mnist, mnist1d, ...")]
ModelsOpt = Annotated[
    str | None,
    typer.Option(help="Comma-separated presets (default: mlp,small-cnn; mlp1d,cnn1d on 1-D)."),
]
EpochsOpt = Annotated[int, typer.Option(help="Training epochs, the same for every model.")]
SeedsOpt = Annotated[str, typer.Option(help="Comma-separated seeds, one run each.")]
ShiftOpt = Annotated[int, typer.Option(help="Shift test images by 0..N pixels.")]
PermuteOpt = Annotated[bool, typer.Option(help="Also train and test on pixel-permuted images.")]
PermSeedOpt = Annotated[int, typer.Option(help="Seed of the one pixel permutation.")]
FractionsOpt = Annotated[
    str, typer.Option(help="Extra runs on these shares of the training data, e.g. 0.1.")
]
SameStepsOpt = Annotated[
    bool,
    typer.Option(help="Repeat a smaller share 1/share times: as many steps as all the images."),
]
LrOpt = Annotated[float, typer.Option(help="Peak learning rate (one-cycle).")]
OutOpt = Annotated[Path | None, typer.Option(help="Output folder (runs/compare-DATASET).")]


@app.command()
@guarded
def compare(
    dataset: DatasetOpt = C.dataset,
    models: ModelsOpt = None,
    epochs: EpochsOpt = C.epochs,
    seeds: SeedsOpt = ",".join(map(str, C.seeds)),
    max_shift: ShiftOpt = C.max_shift,
    permute: PermuteOpt = C.permute,
    perm_seed: PermSeedOpt = C.perm_seed,
    fractions: FractionsOpt = ",".join(map(str, C.fractions)),
    same_steps: SameStepsOpt = C.same_steps,
    batch_size: BatchOpt = C.batch_size,
    lr: LrOpt = C.lr,
    device: DeviceOpt = C.device,
    threads: ThreadsOpt = C.threads,
    data_dir: DataDirOpt = C.data_dir,
    out: OutOpt = None,
    lang: LangOption = None,
) -> None:
    """Train MLPs and CNNs the same way and measure the deck's claims (CNN vs MLP): parameters,
    accuracy, time, pixel permutation and shifted test images (results.json, summary.md)."""
    lang = resolve_lang(lang)
    options = {k: v for k, v in locals().items() if k in COMPARE_OPTIONS}
    cfg = CompareConfig(
        **options,
        models=None if models is None else parse_list(models, "models"),
        seeds=parse_list(seeds, "seeds", int),
        fractions=parse_list(fractions, "fractions", float),
    )
    folder = out or Path("runs") / f"compare-{dataset.replace(':', '-').replace('/', '-')}"
    command = "cnnlab " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    callback, stop = trial_progress(Console(stderr=True), lang)
    try:
        result = run_compare(cfg, folder, callback=callback, command=command)
    finally:
        stop()
    show = Console(width=120)
    for table in tables(result, lang):
        _print_table(show, table)
    files = write_outputs(result, folder, lang, command)
    typer.echo(tr(TEXT, "written", lang, files=", ".join(str(f) for f in files)))


#: options of ``compare`` passed to CompareConfig as they are
COMPARE_OPTIONS = {f.name for f in dataclasses.fields(CompareConfig)} - {"models", "seeds",
                                                                          "fractions"}  # fmt: skip


def _print_table(console: Console, table: Any) -> None:
    """One :class:`cnnlab.experiments.TextTable` as a rich table, its note below."""
    rich_table = Table(title=escape(table.title), title_justify="left")
    for i, header in enumerate(table.headers):
        rich_table.add_column(escape(header), justify="left" if i == 0 else "right")
    for row in table.rows:
        rich_table.add_row(*(escape(c) for c in row))
    console.print(rich_table)
    if table.note:
        console.print(escape(table.note), style="dim")
    console.print()
