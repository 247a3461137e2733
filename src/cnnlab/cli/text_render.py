"""What ``predict``, ``evaluate`` and ``visualize`` show for text runs (character models).

Thin: the library (:mod:`cnnlab.text`) predicts and measures; this prints tables and writes the
figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from cnnlab.data.textsets import decode
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, fixed, tr
from cnnlab.text import kernel_view, predict_texts, read_lines, top_ngrams
from cnnlab.text.figures import plot_kernel_view, plot_top_ngrams
from cnnlab.text.predict import accuracy_by_length
from cnnlab.viz import save_figure

TEXT = {
    "text": N_("text"),
    "class": N_("class"),
    "need_run": N_(
        "predict needs a run folder for pictures; expected e.g. cnnlab predict runs/mnist-small-cnn"
        ' digit.png, or --text "..." alone for the shipped language model. Received: no RUN'
    ),
    "need_text": N_(
        'predict needs pictures, --text or --lines; expected e.g. --text "¿Dónde está la '
        'biblioteca?". Received: nothing to classify'
    ),
    "by_length": N_("accuracy by text length"),
    "length": N_("length (characters)"),
    "accuracy": N_("accuracy"),
    "texts": N_("texts"),
    "top": N_("kernel {k}: {grams}"),
}


def texts_from(text: list[str] | None, lines: Path | None, lang: str | None) -> list[str]:
    """The texts of ``--text`` (repeatable) and ``--lines FILE``, in that order."""
    texts = [t for t in (text or []) if t.strip()]
    if lines is not None:
        texts += read_lines(lines)
    if not texts:
        raise InvalidArgumentError(tr(TEXT, "need_text", lang))
    return texts


def print_predictions(run: Any, texts: list[str], top: int, as_json: bool,
                      lang: str | None) -> None:  # fmt: skip
    """Top classes with probabilities for each text, as a table or JSON."""
    found = predict_texts(run, texts, top=top)
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in found], indent=2, ensure_ascii=False))
        return
    table = Table()
    table.add_column(tr(TEXT, "text", lang), overflow="fold", max_width=60)
    for k in range(1, min(top, len(run.classes)) + 1):
        table.add_column(f"#{k} {tr(TEXT, 'class', lang)}")
    for p in found:
        cells = [f"{c} ({fixed(100 * prob, 1, lang)} %)" for c, prob in p.top]
        table.add_row(p.text, *cells)
    Console(width=120).print(table)


def print_length_table(run: Any, ds: Any, lang: str | None) -> None:
    """Accuracy of a text run on its test sentences cut to ≤ 20, 20-60 and > 60 characters."""
    texts = [decode(row) for row in ds.test.x]
    table = Table(title=tr(TEXT, "by_length", lang))
    for key in ("length", "accuracy", "texts"):
        table.add_column(tr(TEXT, key, lang), justify="left" if key == "length" else "right")
    for name, acc, n in accuracy_by_length(run, texts, ds.test.y):
        table.add_row(name, fixed(100 * acc, 2, lang) + " %", str(n))
    Console(width=100).print(table)


#: the files write_text_pictures() writes into its folder
TEXT_PICTURES = ("responses.png", "ngrams.png")


def write_text_pictures(run: Any, text: str | None, out: Path, lang: str | None) -> list[Path]:
    """The kernel responses to ``text`` (default: the first test sentence) and each first-layer
    kernel's most exciting n-grams over the test sentences."""
    ds = run.dataset()
    sentences = [decode(row) for row in ds.test.x]
    view = kernel_view(run, text if text else sentences[0])
    paths = [save_figure(plot_kernel_view(view, lang), out / TEXT_PICTURES[0])]
    grams = top_ngrams(run, sentences)
    paths.append(save_figure(plot_top_ngrams(grams, lang), out / TEXT_PICTURES[1]))
    for k in view.kernels:
        shown = ", ".join(repr(g) for g, _ in grams[k][:5])
        typer.echo(tr(TEXT, "top", lang, k=k, grams=shown))
    return paths
