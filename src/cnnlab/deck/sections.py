"""The walk-through page's sections, in the deck's order, each as HTML built from the studies.

Every figure is an inline PNG (the animation an inline GIF), every table plain HTML; nothing
links outside the page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

from cnnlab.deck import tables as T
from cnnlab.deck.studies import Studies
from cnnlab.deck.text import TEXT
from cnnlab.deck.verdicts import Verdict, pct
from cnnlab.experiments import figures as F
from cnnlab.experiments.report import TextTable, tables
from cnnlab.experiments.results import fraction_variant
from cnnlab.i18n import local_number, shape_text, tr
from cnnlab.ops import explain_conv
from cnnlab.present.ops import fmt_cell
from cnnlab.samples import deck_mismatches, get_kernel, get_sample
from cnnlab.train import load_run
from cnnlab.viz import animate_conv, plot_feature_maps, plot_kernels, plot_pooling
from cnnlab.viz._html import esc, figure_html, table
from cnnlab.viz.gallery import plot_head, plot_kernel_gallery

EXAMPLE_INDEX = 0  # the test digit every figure of a trained network shows
ANIMATION_FRAMES = 36  # the worked example's GIF: one frame every 9 of the 306 cells


def t(key: str, lang: str, **fmt) -> str:
    return tr(TEXT, key, lang, **fmt)


def para(text: str, cls: str = "") -> str:
    return f"<p{f' class={cls}' if cls else ''}>{esc(text)}</p>"


def text_table(tt: TextTable, numeric: Sequence[bool] | None = None) -> str:
    """A compare-style table (title, headers, rows, note) as HTML; numbers right-aligned."""
    numeric = numeric or [False] + [True] * (len(tt.headers) - 1)
    note = para(tt.note, "note") if tt.note else ""
    return f"<h3>{esc(tt.title)}</h3>" + table(tt.headers, tt.rows, numeric) + note


def verdict_table(rows: Sequence[Verdict], lang: str) -> str:
    """The claims with their measurements and verdicts (the class names the verdict)."""
    heads = [
        t(k, lang) for k in ("col_claim", "col_measured", "col_numbers", "col_verdict", "col_why")
    ]
    body = "".join(
        f'<tr class="verdict {esc(v.verdict)}" id="claim-{esc(v.key)}"><td>{esc(v.claim)}</td>'
        f"<td>{esc(v.measured)}</td><td>{esc(v.numbers)}</td>"
        f'<td class="v">{esc(v.label(lang))}</td><td>{esc(v.why)}</td></tr>'
        for v in rows
    )
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    return f'<table class="verdicts"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def quote(lines: Sequence[str], lang: str) -> str:
    items = "".join(f"<li>{esc(x)}</li>" for x in lines)
    return f"<blockquote><b>{esc(t('deck_says', lang))}:</b><ul>{items}</ul></blockquote>"


def example(studies: Studies) -> np.ndarray:
    """The test digit shown by every figure of a trained network (1, 28, 28) in [0, 1]."""
    return studies.example_image


def _compare_run(studies: Studies, model: str):
    trial = next(x for x in studies.compare.trials if x.model == model and x.variant == "original")
    return load_run(studies.run_folder("compare", trial.run))


def mlp_section(s: Studies, verdicts: Sequence[Verdict], lang: str) -> str:
    r = s.compare
    n = {
        "n_train": local_number(f"{r.n_train:,}", lang),
        "n_test": local_number(f"{r.n_test:,}", lang),
    }
    claims = [v.claim for v in verdicts if v.slide == "mlp"]
    parts = [para(t("mlp_intro", lang, dataset=r.dataset, **n)), quote(claims, lang)]
    parts += [text_table(x) for x in tables(r, lang)]
    parts.append(figure_html(F.plot_permutation(r, lang), "permutation"))
    parts.append(figure_html(F.plot_shift(r, lang), "shift"))
    parts.append(figure_html(F.plot_parameters(r, lang), "parameters"))
    parts.append(verdict_table([v for v in verdicts if v.slide == "mlp"], lang))
    return "".join(parts)


def kernel_section(_s: Studies, _v: Sequence[Verdict], lang: str) -> str:
    photo = get_sample("camera")
    return para(t("kernel_intro", lang)) + figure_html(
        plot_kernel_gallery(photo, lang=lang), "kernels"
    )


def worked_section(_s: Studies, _v: Sequence[Verdict], lang: str) -> str:
    image, kernel = get_sample("bidoof-worked"), get_kernel("deck")
    n_cells = (image.shape[0] - 2) * (image.shape[1] - 2)
    every = -(-n_cells // ANIMATION_FRAMES)
    anim = animate_conv(image, kernel, every=every, lang=lang)
    gif = base64.b64encode(anim.gif(fps=6.0)).decode()
    checked, bad = deck_mismatches(anim.output)
    if bad:
        details = ", ".join(f"({r}, {c}): {local_number(fmt_cell(d), lang)} ≠ "
                            f"{local_number(fmt_cell(g), lang)}" for r, c, d, g in bad)  # fmt: skip
        check = para(t("worked_bad", lang, bad=len(bad), n=checked, details=details), "bad")
    else:
        check = para(t("worked_ok", lang, n=checked), "good")
    step = explain_conv(image, kernel, 0, 0)
    rows = [[local_number(fmt_cell(v), lang) for v in row] for row in anim.output]
    cols = [str(c) for c in range(len(rows[0]))]
    grid = table(cols, rows, [True] * len(cols))
    alt = esc(t("alt_animation", lang))
    return "".join([
        para(t("worked_intro", lang)), check,
        f'<figure><img class="anim" src="data:image/gif;base64,{gif}" alt="{alt}">'
        f"<figcaption>{esc(t('worked_anim', lang, k=every))}</figcaption></figure>",
        para(t("worked_first", lang, formula=local_number(step.formula(), lang))),
        f'<div class="matrix">{grid}</div>',
    ])  # fmt: skip


def layer_section(s: Studies, _v: Sequence[Verdict], lang: str) -> str:
    run = _compare_run(s, s.cnn.model)
    acc = pct(s.cnn.accuracy.mean, lang)
    fig = plot_feature_maps(run.model, example(s), run.preprocess, lang=lang)
    return "".join([
        para(t("layer_intro", lang, model=s.cnn.model, acc=acc)),
        figure_html(fig, "feature maps"),
        figure_html(plot_kernels(run.model, lang=lang), "kernels"),
    ])  # fmt: skip


def pooling_section(s: Studies, verdicts: Sequence[Verdict], lang: str) -> str:
    p = s.pooling
    largest = fraction_variant(max(p.settings["fractions"]))
    trial = next(x for x in p.trials if x.model == "maxpool" and x.variant == largest)
    run = load_run(s.run_folder("pooling", trial.run))
    mine = [v for v in verdicts if v.slide == "pooling"]
    seeds = ",".join(str(x) for x in p.settings["seeds"])
    note = t("n_pool", lang, epochs=p.settings["epochs"], batch=p.settings["batch_size"],
             seeds=seeds, verdict=mine[-1].why)  # fmt: skip
    return "".join([
        para(t("pool_intro", lang, dataset=p.dataset)), quote([v.claim for v in mine], lang),
        figure_html(plot_pooling(run.model, example(s), run.preprocess, lang=lang), "pooling"),
        text_table(T.pool_arms(s, lang)), para(note, "note"),
        text_table(T.pool_by_share(s, lang, "gap")), text_table(T.pool_by_share(s, lang, "test")),
        verdict_table(mine, lang),
    ])  # fmt: skip


def head_section(s: Studies, _v: Sequence[Verdict], lang: str) -> str:
    run = _compare_run(s, s.cnn.model)
    shapes = " → ".join(f"{r.kind} {shape_text(r.output_shape)}" for r in s.cnn_info.rows[-2:])
    return "".join([
        para(t("head_intro", lang, k=run.num_classes)), para(shapes, "note"),
        figure_html(plot_head(run, example(s), lang=lang), "head"),
    ])  # fmt: skip
