"""The deck studies' tables as plain rows of text: the page draws them as HTML and
``summary.md`` writes them as Markdown, so both always show the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

from cnnlab.deck.studies import Studies
from cnnlab.deck.text import TEXT
from cnnlab.deck.verdicts import Verdict, pct, pts
from cnnlab.experiments.report import TextTable
from cnnlab.i18n import local_number, tr


def t(key: str, lang: str, **fmt) -> str:
    return tr(TEXT, key, lang, **fmt)


def share(f: float, lang: str) -> str:
    """``0.01`` → ``1 %``."""
    return local_number(f"{f * 100:g} %", lang)


def seeds(settings: dict) -> str:
    return ",".join(str(x) for x in settings["seeds"])


def pool_arms(s: Studies, lang: str) -> TextTable:
    p = s.pooling
    keys = ("col_form", "col_sizes", "col_head", "col_params", "col_macs", "col_seconds")
    n = lambda v: local_number(f"{v:,}", lang)  # noqa: E731
    rows = tuple((a.name, " → ".join(a.sizes), n(a.head_inputs), n(a.params), n(a.mult_adds),
                  local_number(f"{p.seconds(a.name).mean:.2f}", lang)) for a in p.arms)  # fmt: skip
    st = p.settings
    note = t("n_pool", lang, epochs=st["epochs"], batch=st["batch_size"], seeds=seeds(st),
             verdict="")  # fmt: skip
    title = t("t_pool_arms", lang, dataset=p.dataset)
    return TextTable("pool_arms", title, tuple(t(k, lang) for k in keys), rows,
                     note.strip())  # fmt: skip


def pool_by_share(s: Studies, lang: str, what: str) -> TextTable:
    """``what`` = "gap" (training minus test accuracy, points) or "test" (test accuracy)."""
    p, fractions = s.pooling, s.pooling.settings["fractions"]
    cols = (t("col_form", lang), *(t("col_share", lang, share=share(f, lang)) for f in fractions))
    if what == "gap":
        rows = tuple((a.name, *(pts(p.gap(a.name, f).mean, lang) for f in fractions))
                     for a in p.arms)  # fmt: skip
    else:
        rows = tuple((a.name, *(pct(p.test(a.name, f).mean, lang) for f in fractions))
                     for a in p.arms)  # fmt: skip
    return TextTable(f"pool_{what}", t(f"t_pool_{what}", lang), cols, rows)


def data_size(s: Studies, lang: str) -> TextTable:
    cols = ("%", s.mlp.model, s.cnn.model)
    rows = tuple((share(f, lang), pct(m.mean, lang), pct(c.mean, lang))
                 for f, m, c in s.data_size())  # fmt: skip
    note = t("n_data_size", lang, seeds=seeds(s.compare.settings))
    title = t("t_data_size", lang, dataset=s.compare.dataset)
    return TextTable("data_size", title, cols, rows, note)


def tabular(s: Studies, lang: str) -> TextTable:
    tab, st = s.tabular, s.tabular.settings
    cols = [t("col_table", lang), t("col_shape", lang)]
    for model in ("mlp", "cnn1d"):
        cols += [t("col_given", lang, model=model), t("col_shuffled", lang, model=model)]
    rows = []
    for info in tab.tables:
        shape = f"{info.rows_train + info.rows_test}×{info.columns}, {info.classes}"
        cells = [pct(tab.test(info.name, m, v).mean, lang) for m in ("mlp", "cnn1d")
                 for v in ("given", "shuffled")]  # fmt: skip
        rows.append((info.name, shape, *cells))
    passes = st["epochs"] * st["repeat"]
    note = t("n_tabular", lang, epochs=passes, batch=st["batch_size"], seeds=seeds(st))
    return TextTable("tabular", t("t_tabular", lang), tuple(cols), tuple(rows), note)


def verdict_rows(rows: Sequence[Verdict], lang: str) -> TextTable:
    keys = ("col_claim", "col_measured", "col_numbers", "col_verdict", "col_why")
    cells = tuple((v.claim, v.measured, v.numbers, v.label(lang), v.why) for v in rows)
    return TextTable("verdicts", t("t_verdicts", lang), tuple(t(k, lang) for k in keys), cells)
