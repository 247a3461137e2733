"""``cnnlab deck``: the walk-through page, every claim of the deck computed.

Thin: build a :class:`cnnlab.deck.DeckConfig`, print one line per study and per section (and
the training bar while runs train), then the page's path.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from cnnlab.cli.app import DataDirOpt, DeviceOpt, LangOption, ThreadsOpt, app, guarded
from cnnlab.cli.experiment_cmds import trial_progress
from cnnlab.deck import DeckConfig, build_deck
from cnnlab.i18n import N_, resolve_lang, tr

TEXT = {
    "study": N_("deck: study {name}"),
    "section": N_("deck: section [{index}/{total}] {name}"),
    "written": N_("page written: {path}"),
}  # fmt: skip

D = DeckConfig()  # every default below comes from the config dataclass

QuickOpt = Annotated[
    bool,
    typer.Option(help="Small studies (1 seed, 1 epoch): about two minutes on two cores."),
]
DatasetOpt = Annotated[
    str, typer.Option(help="Images of the studies: mnist, fashion-mnist or digits (fast).")
]
OutOpt = Annotated[Path, typer.Option(help="Output folder; the page is OUT/index.html.")]
BothOpt = Annotated[
    bool,
    typer.Option(
        "--both-languages",
        help="Also write the page in the other language (OUT/index-es.html or index-en.html) "
        "from the same studies; each page links to the other.",
    ),
]


@app.command()
@guarded
def deck(
    quick: QuickOpt = D.quick,
    dataset: DatasetOpt = D.dataset,
    out: OutOpt = Path(D.out),
    device: DeviceOpt = D.device,
    threads: ThreadsOpt = D.threads,
    data_dir: DataDirOpt = D.data_dir,
    both_languages: BothOpt = D.both_languages,
    lang: LangOption = None,
) -> None:
    """Walk through the deck on one page: the MLP, the kernel, the worked example, pooling, the
    head, the applications and every claim's measured verdict (OUT/index.html)."""
    lang = resolve_lang(lang)
    cfg = DeckConfig(quick=quick, dataset=dataset, lang=lang, out=str(out), device=device,
                     threads=threads, data_dir=data_dir,
                     both_languages=both_languages)  # fmt: skip
    console = Console(stderr=True, highlight=False)
    trials, stop = trial_progress(console, lang)

    def progress(event: str, info: dict[str, Any]) -> None:
        if event in ("study", "section"):
            stop()
            console.print(escape(tr(TEXT, event, lang, **info)))
        else:
            trials(event, info)

    try:
        path = build_deck(cfg, progress, sys.argv[1:])
    finally:
        stop()
    typer.echo(tr(TEXT, "written", lang, path=path))
