"""The walk-through page: one self-contained HTML file following the deck, slide by slide.

>>> path = build_deck(DeckConfig(quick=True, lang="es"))  # doctest: +SKIP
>>> path.name
'index.html'
"""

from __future__ import annotations

import datetime
import shlex
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cnnlab.deck import applications as A
from cnnlab.deck import sections as S
from cnnlab.deck import tables as T
from cnnlab.deck.studies import DeckConfig, Studies, run_studies
from cnnlab.deck.text import TEXT
from cnnlab.deck.verdicts import MIN_MARGIN, Verdict, pct, verdicts
from cnnlab.experiments.report import markdown_table
from cnnlab.fileio import atomic_write_text
from cnnlab.i18n import LANGS, local_number, resolve_lang, tr
from cnnlab.train.distributed import resolve_device
from cnnlab.train.record import hardware
from cnnlab.viz._html import CSS, esc, section

#: section id → builder, in the deck's order (the tests look for every id)
SECTIONS: dict[str, Callable[[Studies, Sequence[Verdict], str], str]] = {
    "mlp": S.mlp_section,
    "kernel": S.kernel_section,
    "worked": S.worked_section,
    "layer": S.layer_section,
    "pooling": S.pooling_section,
    "head": S.head_section,
}

DECK_CSS = (
    CSS
    + """
blockquote { border-left: 4px solid var(--accent); margin: 10px 0; padding: 4px 12px;
             background: #f3f6fb; }
blockquote ul { margin: 4px 0; }
p.good { color: #1b7a33; font-weight: bold; }
p.bad { color: #b00020; font-weight: bold; }
h3 { font-size: 15px; margin: 18px 0 4px; }
div.matrix table { font-size: 10px; }
div.matrix td, div.matrix th { padding: 1px 4px; }
img.anim { max-width: 100%; }
img.app-img { image-rendering: pixelated; max-width: 100%; }
table.verdicts td.v { font-weight: bold; white-space: nowrap; }
p.lang { margin: 0 0 8px; text-align: right; font-size: 14px; }
@media print { p.lang { display: none; } }
tr.supported td.v { color: #1b7a33; }
tr.partly td.v { color: #9a6700; }
tr.not_supported td.v { color: #b00020; }
tr.not_measurable td.v { color: var(--muted); }
"""
)


def t(key: str, lang: str, **fmt) -> str:
    return tr(TEXT, key, lang, **fmt)


def applications_section(s: Studies, _v: Sequence[Verdict], lang: str) -> str:
    """The four uses the deck lists: classification measured here, the others from their cached
    default runs, or the command that makes each."""
    acc = pct(s.cnn.accuracy.mean, lang)
    line = t("app_classified", lang, dataset=s.compare.dataset, model=s.cnn.model, acc=acc)
    items = [f'<div class="app" id="app-classification"><h3>{esc(t("app_classification", lang))}'
             f"</h3>{S.para(line)}</div>"]  # fmt: skip
    for key, (find, command) in A.FINDERS.items():
        found = find(lang)
        body = found if found else S.para(t("app_missing", lang)) + f"<pre>{esc(command)}</pre>"
        items.append(
            f'<div class="app" id="app-{key[4:]}"><h3>{esc(t(key, lang))}</h3>{body}</div>'
        )
    return S.para(t("apps_intro", lang)) + "".join(items)


def conclusion_section(s: Studies, verdicts_: Sequence[Verdict], lang: str) -> str:
    """Accuracy vs data size, the tables study, then every claim's verdict."""
    margin = local_number(f"{MIN_MARGIN * 100:.1f}", lang)
    return "".join([
        S.para(t("conclusion_intro", lang, margin=margin)),
        S.text_table(T.data_size(s, lang)),
        S.text_table(T.tabular(s, lang), [False, False, True, True, True, True]),
        f"<h3>{esc(t('t_verdicts', lang))}</h3>", S.verdict_table(verdicts_, lang),
    ])  # fmt: skip


def summary_markdown(studies: Studies, verdicts_: Sequence[Verdict], lang: str) -> str:
    """The studies' tables and the verdicts as Markdown (``summary.md`` beside the page)."""
    tables = [T.data_size(studies, lang), T.pool_arms(studies, lang),
              T.pool_by_share(studies, lang, "gap"), T.pool_by_share(studies, lang, "test"),
              T.tabular(studies, lang), T.verdict_rows(verdicts_, lang)]  # fmt: skip
    return "\n\n".join(markdown_table(x) for x in tables) + "\n"


ALL_SECTIONS = {**SECTIONS, "applications": applications_section, "conclusion": conclusion_section}


def page_name(lang: str, main: str) -> str:
    """``index.html`` for the page in the language asked, ``index-es.html`` for the other."""
    return "index.html" if lang == main else f"index-{lang}.html"


def other_language(cfg: DeckConfig, lang: str, command: str) -> str:
    """The top line naming the other language in its own words: a link to the same page in it
    when both were written, else the command that writes both."""
    main = resolve_lang(cfg.lang)
    other = next(code for code in LANGS if code != lang)
    if cfg.both_languages:
        words = esc(t("other_link", other))
        link = f'<a href="{page_name(other, main)}" hreflang="{other}">{words}</a>'
        return f'<p class="lang" lang="{other}">{link}</p>'
    both = f"{command} --both-languages"
    return f'<p class="lang" lang="{other}">{esc(t("other_hint", other, command=both))}</p>'


def _header(cfg: DeckConfig, lang: str, seconds: float, command: str) -> str:
    hw = hardware(resolve_device(cfg.device))
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    made = t("made", lang, command=command, seconds=local_number(f"{seconds:.0f}", lang),
             cpu=hw.get("cpu", "?"), threads=hw.get("threads", "?"), when=when)  # fmt: skip
    mode = t("mode_quick" if cfg.quick else "mode_full", lang)
    links = "".join(
        f'<li><a href="#{k}">{esc(t(f"s_{k}", lang)[3:])}</a></li>' for k in ALL_SECTIONS
    )
    return (f"{other_language(cfg, lang, command)}<header><h1>{esc(t('title', lang))}</h1>"
            f"<p class=sub>{esc(t('subtitle', lang))}"
            f" · {esc(mode)}</p><p class=note>{esc(made)}</p></header>"
            f"<nav><b>{esc(t('contents', lang))}</b><ol>{links}</ol></nav>")  # fmt: skip


def build_html(
    cfg: DeckConfig, studies: Studies, seconds: float, command: str,
    progress: Callable[[str, dict[str, Any]], None], lang: str | None = None,
) -> str:  # fmt: skip
    """The page's HTML for studies already run, in ``lang`` (default: the config's);
    ``progress`` gets one "section" per section."""
    lang = resolve_lang(lang or cfg.lang)
    judged = verdicts(studies, lang)
    body = [_header(cfg, lang, seconds, command)]
    for i, (key, build) in enumerate(ALL_SECTIONS.items(), 1):
        progress("section", {"index": i, "total": len(ALL_SECTIONS), "name": key})
        body.append(section(key, t(f"s_{key}", lang), build(studies, judged, lang), key != "mlp"))
    body.append(f"<footer>{esc(t('footer', lang, folder=str(studies.folder)))}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(t('title', lang))}</title><style>{DECK_CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")  # fmt: skip


def build_deck(
    cfg: DeckConfig,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
    argv: Sequence[str] | None = None,
) -> Path:
    """Run (or read back) the studies, write ``OUT/index.html`` atomically, return its path."""
    emit = progress or (lambda _e, _i: None)
    t0 = time.perf_counter()
    studies = run_studies(cfg, emit)
    command = "cnnlab " + " ".join(shlex.quote(a) for a in (argv or ["deck"]))
    spent = sum(r.environment.get("seconds", 0.0) for r in (studies.compare, studies.pooling,
                                                            studies.tabular))  # fmt: skip
    seconds = spent or time.perf_counter() - t0
    lang = resolve_lang(cfg.lang)
    atomic_write_text(
        Path(cfg.out) / "summary.md", summary_markdown(studies, verdicts(studies, lang), lang)
    )
    path = Path(cfg.out) / "index.html"
    atomic_write_text(path, build_html(cfg, studies, seconds, command, emit))
    if cfg.both_languages:  # the same measured studies, read once, in the other language
        other = next(code for code in LANGS if code != lang)
        html = build_html(cfg, studies, seconds, command, lambda _e, _i: None, other)
        atomic_write_text(path.with_name(page_name(other, lang)), html)
    return path
