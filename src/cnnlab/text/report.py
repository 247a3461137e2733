"""The report sections of a text run: accuracy by text length, the character windows each
first-layer kernel answers to, test sentences coloured by the kernels that decided, and the most
confident mistakes. ``cnnlab train`` and ``cnnlab report`` add them to a text run's report.

>>> from cnnlab.text.report import write_text_report  # doctest: +SKIP
>>> write_text_report(load_run("runs/languages-char-cnn"), lang="es")  # RUN/report.html
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from cnnlab.data.textsets import decode
from cnnlab.i18n import N_, fixed, group, tr
from cnnlab.text.figures import plot_kernel_view, plot_top_ngrams
from cnnlab.text.kernels import kernel_view, top_ngrams
from cnnlab.text.predict import accuracy_by_length, is_text_run
from cnnlab.train import load_run
from cnnlab.viz import _html as H
from cnnlab.viz.report import write_report
from cnnlab.viz.text import REPORT

N_SENTENCES = 3  # test sentences shown coloured by their top kernels
N_MISTAKES = 10  # most confident mistakes listed
NGRAM_TEXTS = 2000  # test sentences searched for each kernel's most exciting windows

TEXT = {
    "lengths": N_("Accuracy by text length"),
    "lengths_note": N_(
        "The test sentences cut into pieces of whole words (the same cut for every model, "
        "seed 0): short texts are harder, a few words carry little of a language."
    ),
    "length": N_("length (characters)"),
    "accuracy": N_("accuracy"),
    "texts": N_("texts"),
    "ngrams": N_("What each kernel answers to"),
    "ngrams_note": N_(
        "Each first-layer kernel slides over the characters like the deck's kernel over "
        "a picture; these are the windows of the test sentences that excite it most."
    ),
    "sentences": N_("Sentences and their kernels"),
    "sentences_note": N_(
        "Test sentences, each character coloured by the response of the kernels that "
        "added most to the predicted language."
    ),
    "none": N_("No test sentence is misclassified."),
    "text": N_("text"),
    "true": N_("true"),
    "predicted": N_("predicted"),
    "prob": N_("its probability"),
    "no_conv": N_(
        "This model has no convolution over the characters (a bag of n-grams), so no "
        "kernel slides over the text."
    ),
}


def _t(key: str, lang: str, **fmt: Any) -> str:
    return tr(TEXT, key, lang, **fmt)


def text_sections(run: Any, ev: Any, lang: str) -> list[tuple[str, str, str]]:
    """The text run's own report sections, ``[(id, title, body html), ...]``."""
    ds = run.dataset()
    texts = [decode(row) for row in ds.test.x]
    return [
        ("lengths", _t("lengths", lang), _lengths(run, texts, ds.test.y, lang)),
        ("kernels", _t("ngrams", lang), _ngrams(run, texts, lang)),
        ("features", _t("sentences", lang), _sentences(run, texts, lang)),
        ("mistakes", tr(REPORT, "mistakes", lang), _mistakes(run, ev, texts, lang)),
    ]


def write_text_report(run: Any, out: str | os.PathLike | None = None, lang: str | None = None,
                      ) -> Path:  # fmt: skip
    """The report of any run (a Run or a run folder), with the text sections when it is a text
    run."""
    run = run if hasattr(run, "config") else load_run(run)
    return write_report(run, out, lang, text_sections if is_text_run(run) else None)


def _lengths(run: Any, texts: list[str], labels: np.ndarray, lang: str) -> str:
    rows = [(name, f"{fixed(100 * acc, 2, lang)} %", group(n, lang))
            for name, acc, n in accuracy_by_length(run, texts, labels)]  # fmt: skip
    heads = [_t(k, lang) for k in ("length", "accuracy", "texts")]
    note = f"<p class=note>{H.esc(_t('lengths_note', lang))}</p>"
    return note + H.table(heads, rows, [False, True, True])


def _has_kernels(run: Any) -> bool:
    return str(run.config.get("spec", "")).split("(")[0].split()[0] == "embedding" and any(
        type(m).__name__ == "Conv1d" for m in run.model.modules()
    )


def _ngrams(run: Any, texts: list[str], lang: str) -> str:
    if not _has_kernels(run):
        return f"<p class=note>{H.esc(_t('no_conv', lang))}</p>"
    grams = top_ngrams(run, texts[:NGRAM_TEXTS])
    note = f"<p class=note>{H.esc(_t('ngrams_note', lang))}</p>"
    return note + H.figure_html(plot_top_ngrams(grams, lang), _t("ngrams", lang))


def _sentences(run: Any, texts: list[str], lang: str) -> str:
    if not _has_kernels(run):
        return f"<p class=note>{H.esc(_t('no_conv', lang))}</p>"
    body = f"<p class=note>{H.esc(_t('sentences_note', lang))}</p>"
    step = max(1, len(texts) // N_SENTENCES)  # spread over the (class-ordered) test split
    for text in texts[::step][:N_SENTENCES]:
        body += H.figure_html(plot_kernel_view(kernel_view(run, text), lang), text)
    return body


def _mistakes(run: Any, ev: Any, texts: list[str], lang: str) -> str:
    wrong = np.flatnonzero(ev.y_pred != ev.y_true)
    if not len(wrong):
        return f"<p>{H.esc(_t('none', lang))}</p>"
    confidence = ev.probs[wrong, ev.y_pred[wrong]]
    picked = wrong[np.argsort(-confidence, kind="stable")[:N_MISTAKES]]
    rows = [
        (texts[i], run.classes[int(ev.y_true[i])], run.classes[int(ev.y_pred[i])],
         f"{fixed(100 * float(ev.probs[i, ev.y_pred[i]]), 1, lang)} %")
        for i in picked
    ]  # fmt: skip
    heads = [_t(k, lang) for k in ("text", "true", "predicted", "prob")]
    return H.table(heads, rows, [False, False, False, True])
