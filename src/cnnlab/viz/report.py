"""One self-contained HTML report of a training run, in English or Spanish.

The file embeds every figure as a PNG data URI and its style sheet inline; it has no scripts and
no links outside itself, so it opens offline, can be mailed as one attachment, and prints (one
section per page where it helps).

>>> write_report("runs/mnist", lang="es")  # doctest: +SKIP
PosixPath('runs/mnist/report.html')
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from cnnlab._version import __version__
from cnnlab.errors import CnnlabError
from cnnlab.fileio import atomic_write_text
from cnnlab.i18n import fixed, group, local_number, resolve_lang, shape_text, tr
from cnnlab.models import summary
from cnnlab.train import evaluate, load_run
from cnnlab.train.config import CLI_FLAGS
from cnnlab.train.objectives import is_generative
from cnnlab.viz import _html as H
from cnnlab.viz.cam import plot_cams
from cnnlab.viz.gen_report import generative_header, generative_sections, section_titles
from cnnlab.viz.layers import layers_of, plot_feature_maps, plot_kernels, plot_pooling
from cnnlab.viz.text import REPORT
from cnnlab.viz.training import (
    plot_confusion,
    plot_curves,
    plot_mistakes,
    plot_run_growth,
    plot_samples,
)

SECTIONS = (
    "summary",
    "data",
    "curves",
    "metrics",
    "confusion",
    "kernels",
    "features",
    "cam",
    "mistakes",
    "reproduce",
)
N_EXAMPLES = 6  # test images shown with class activation maps
N_FEATURE_EXAMPLES = 3  # test images shown with every layer's feature maps
FEATURE_CHANNELS = 6  # channels per layer in the report's feature-map figures


#: sections a kind of run shows after its confusion matrix: ``(run, evaluation, lang)`` →
#: ``[(section id, title, body html), ...]`` (text runs: cnnlab.text.report.text_sections)
Pictures = Callable[[Any, Any, str], list[tuple[str, str, str]]]


def write_report(run: Any, out: str | os.PathLike | None = None, lang: str | None = None,
                 pictures: Pictures | None = None) -> Path:  # fmt: skip
    """Write the report of ``run`` (a Run or a run folder) to ``out`` (default:
    ``<run>/report.html``) atomically and return its path. ``pictures`` replaces the image
    sections (kernels, feature maps, class activation maps, mistakes) by a kind's own."""
    if not hasattr(run, "config"):
        run = load_run(run)
    target = Path(out) if out is not None else Path(run.path) / "report.html"
    atomic_write_text(target, build_report(run, lang, pictures))
    return target


def build_report(run: Any, lang: str | None = None, pictures: Pictures | None = None) -> str:
    """The report's HTML text (``pictures``: see :func:`write_report`)."""
    lang = resolve_lang(lang)
    if is_generative(run.model):
        return _generative_report(run, lang)
    ev = evaluate(run)
    ds = run.dataset()
    shown = (pictures or _pictures)(run, ev, lang)  # [(id, title, body)]
    toc = [(s, _t(s, lang)) for s in SECTIONS[:5]] + [(sid, title) for sid, title, _ in shown]
    toc.append(("reproduce", _t("reproduce", lang)))
    parts = [
        _header(run, ev, lang, toc),
        _summary(run, lang),
        _data(run, ds, lang),
        _curves(run, lang),
        _metrics(run, ev, lang),
        _confusion(ev, lang),
        *(H.section(sid, title, body, new_page=sid == "features") for sid, title, body in shown),
        _reproduce(run, lang),
        _footer(run, lang),
    ]
    return H.page(
        f"{tr(REPORT, 'title', lang)} · {run.config.get('model', '')}", lang, "".join(parts)
    )


def _generative_report(run: Any, lang: str) -> str:
    """A generative run's report: the model, its data, what it makes, how to reproduce it."""
    ds = run.dataset()
    final = run.config.get("final") or {}
    cards = [
        (_int(sum(p.numel() for p in run.model.parameters()), lang), _t("params", lang)),
        (str(final.get("epochs_run", len(run.metrics))), _t("epochs", lang)),
        (f"{_num(final.get('train_seconds') or 0.0, 1, lang)} s", _t("train_time", lang)),
    ]
    toc = [(s, _t(s, lang)) for s in ("summary", "data")] + section_titles(lang)
    toc.append(("reproduce", _t("reproduce", lang)))
    made = generative_sections(run, ds, lang)
    parts = [generative_header(run, lang, cards, toc), _summary(run, lang), _data(run, ds, lang),
             *made, _reproduce(run, lang), _footer(run, lang)]  # fmt: skip
    title = f"{tr(REPORT, 'title', lang)} · {run.config.get('model', '')}"
    return H.page(title, lang, "".join(parts))


def _t(key: str, lang: str, **fmt) -> str:
    return tr(REPORT, key, lang, **fmt)


def _num(x: float, decimals: int, lang: str) -> str:
    """A decimal number as written in ``lang``: ``0.2770`` in English, ``0,2770`` in Spanish."""
    return fixed(x, decimals, lang)


def _pct(x: float | None, lang: str) -> str:
    """A share as a percentage: ``98.90 %`` (en), ``98,90 %`` (es)."""
    return "—" if x is None else f"{_num(100 * float(x), 2, lang)} %"


def _int(n: int, lang: str) -> str:
    return group(int(n), lang)


def _is_image(run: Any) -> bool:
    return len(run.input_shape) == 3


def _header(run: Any, ev: Any, lang: str, sections: list[tuple[str, str]]) -> str:
    cfg = run.config
    final = cfg.get("final") or {}
    cards = [
        (_pct(ev.accuracy, lang), _t("accuracy", lang)),
        (_num(ev.loss, 4, lang), _t("loss", lang)),
        (_int(sum(p.numel() for p in run.model.parameters()), lang), _t("params", lang)),
        (str(final.get("epochs_run", len(run.metrics))), _t("epochs", lang)),
        (f"{_num(final.get('train_seconds', 0.0), 1, lang)} s", _t("train_time", lang)),
    ]
    card_html = "".join(
        f'<div class="card"><b>{H.esc(v)}</b><span>{H.esc(k)}</span></div>' for v, k in cards
    )
    toc = "".join(f'<li><a href="#{s}">{H.esc(title)}</a></li>' for s, title in sections)
    sub = _t(
        "subtitle",
        lang,
        model=cfg.get("model", ""),
        dataset=cfg.get("dataset", ""),
        acc=_pct(ev.accuracy, lang),
    )
    return (
        f"<header><h1>{H.esc(_t('title', lang))}</h1><p class=sub>{H.esc(sub)}</p></header>"
        f'<div class="cards">{card_html}</div>'
        f"<nav><b>{H.esc(_t('contents', lang))}</b><ol>{toc}</ol></nav>"
    )


def _summary(run: Any, lang: str) -> str:
    s = summary(run.model)
    heads = [_t(k, lang) for k in ("layer", "kind", "spec", "output", "params", "mult_adds")]
    rows = [
        (
            r.name,
            r.kind,
            r.layer,
            shape_text(r.output_shape),
            _int(r.params, lang),
            _int(r.mult_adds, lang),
        )
        for r in s.rows
    ]
    total = (
        _t("total", lang),
        "",
        "",
        "",
        _int(s.total_params, lang),
        _int(s.total_mult_adds, lang),
    )
    tab = H.table(heads, rows, [False, False, False, False, True, True], total)
    note = _t(
        "summary_note",
        lang,
        params=_int(s.total_params, lang),
        conv=_int(s.conv_params, lang),
        mlp=_int(s.mlp_equivalent_params, lang),
    )
    body = f"<pre>{H.esc(s.spec)}</pre>{tab}<p class=note>{H.esc(note)}</p>"
    if _is_image(run):
        body += _growth(run, lang)
    return H.section("summary", _t("summary", lang), body)


def _growth(run: Any, lang: str) -> str:
    """Parameters vs image side, MLP vs this run's CNN (when its spec scales with the input)."""
    try:
        fig = plot_run_growth(run, lang)
    except CnnlabError:  # a spec that only fits its own input size (no growth to show)
        return ""
    return H.figure_html(fig, _t("growth", lang), _t("growth_note", lang))


def _data(run: Any, ds: Any, lang: str) -> str:
    shape = shape_text(ds.input_shape)
    note = _t(
        "data_note",
        lang,
        name=ds.name,
        train=_int(len(ds.train.y), lang),
        val=_int(len(ds.val.y), lang),
        test=_int(len(ds.test.y), lang),
        shape=shape,
        k=ds.num_classes,
    )
    body = f"<p>{H.esc(note)}</p>"
    if _is_image(run):
        fig = plot_samples(ds.train.x, ds.train.y, run.classes, per_class=2, lang=lang)
        body += H.figure_html(fig, _t("data", lang))
    return H.section("data", _t("data", lang), body)


def _curves(run: Any, lang: str) -> str:
    """The loss and accuracy curves; with label smoothing, why training loss sits above test's."""
    body = H.figure_html(plot_curves(run.metrics, lang), _t("curves", lang)) if run.metrics else ""
    if run.metrics and (smoothing := float(run.config.get("label_smoothing") or 0.0)) > 0:
        note = _t("smoothing_note", lang, value=local_number(f"{smoothing:g}", lang))
        body += f'<p class="note">{H.esc(note)}</p>'
    return H.section("curves", _t("curves", lang), body)


def _metrics(run: Any, ev: Any, lang: str) -> str:
    heads = [_t(k, lang) for k in ("class", "precision", "recall", "f1", "support")]
    rows = [
        (
            run.classes[k],
            _num(ev.precision[k], 3, lang),
            _num(ev.recall[k], 3, lang),
            _num(ev.f1[k], 3, lang),
            _int(ev.support[k], lang),
        )
        for k in range(len(ev.support))
    ]
    total = (
        _t("macro", lang),
        _num(np.mean(ev.precision), 3, lang),
        _num(np.mean(ev.recall), 3, lang),
        _num(np.mean(ev.f1), 3, lang),
        _int(np.sum(ev.support), lang),
    )
    lead = (
        f"<p><b>{H.esc(_t('accuracy', lang))}:</b> {H.esc(_pct(ev.accuracy, lang))} · "
        f"<b>{H.esc(_t('loss', lang))}:</b> {_num(ev.loss, 4, lang)} · "
        f"<b>{H.esc(_t('support', lang))}:</b> {_int(len(ev.y_true), lang)}</p>"
    )
    tab = H.table(heads, rows, [False, True, True, True, True], total)
    return H.section("metrics", _t("metrics", lang), lead + tab)


def _confusion(ev: Any, lang: str) -> str:
    fig = plot_confusion(ev.confusion, ev.classes, lang)
    return H.section("confusion", _t("confusion", lang), H.figure_html(fig, _t("confusion", lang)))


def example_indices(y_true: np.ndarray, y_pred: np.ndarray, n: int = N_EXAMPLES) -> list[int]:
    """Up to ``n`` correctly classified test images of different classes (first of each)."""
    picks: list[int] = []
    seen: set[int] = set()
    for i in np.flatnonzero(y_true == y_pred):
        if int(y_true[i]) not in seen:
            seen.add(int(y_true[i]))
            picks.append(int(i))
        if len(picks) == n:
            break
    return picks or list(range(min(n, len(y_true))))


def _pictures(run: Any, ev: Any, lang: str) -> list[tuple[str, str, str]]:
    """Kernels, feature maps, class activation maps (2-D conv nets) and mistakes (images)."""
    ids = ("kernels", "features", "cam", "mistakes")
    if not _is_image(run):
        note = f"<p class=note>{H.esc(_t('not_image', lang))}</p>"
        return [(s, _t(s, lang), note) for s in ids]
    picks = example_indices(ev.y_true, ev.y_pred)
    if _has_conv2d(run.model):
        bodies = [
            _kernels(run, lang),
            _features(run, ev, picks[:N_FEATURE_EXAMPLES], lang),
            _cams(run, ev, picks, lang),
        ]
    else:  # an MLP or logistic regression: nothing slides over the image
        bodies = [f"<p class=note>{H.esc(_t('no_conv', lang))}</p>"] * 3
    bodies.append(_mistakes(run, ev, lang))
    return [(s, _t(s, lang), b) for s, b in zip(ids, bodies, strict=True)]


def _has_conv2d(model: Any) -> bool:
    return any(isinstance(m, nn.Conv2d) for m in model.modules())


def _kernels(run: Any, lang: str) -> str:
    return H.figure_html(plot_kernels(run.model, lang=lang), _t("kernels", lang))


def _features(run: Any, ev: Any, picks: list[int], lang: str) -> str:
    """Every layer's feature maps for a few test images, then max pooling's winners."""
    model, pre = run.model, run.preprocess
    body = f"<p class=note>{H.esc(_t('features_note', lang))}</p>"
    for i in picks:
        fig = plot_feature_maps(model, ev.x[i], pre, FEATURE_CHANNELS, lang)
        caption = _t("features_caption", lang, i=i, true=run.classes[int(ev.y_true[i])])
        body += H.figure_html(fig, _t("features", lang), caption)
    if layers_of(model, nn.MaxPool2d):
        fig = plot_pooling(model, ev.x[picks[0]], pre, lang=lang)
        body += H.figure_html(fig, _t("pooling", lang), _t("pooling_note", lang))
    return body


def _cams(run: Any, ev: Any, picks: list[int], lang: str) -> str:
    labels = [int(ev.y_true[i]) for i in picks]
    fig = plot_cams(run.model, ev.x[picks], labels, run.classes, run.preprocess, lang)
    return f"<p class=note>{H.esc(_t('cam_note', lang))}</p>" + H.figure_html(fig, _t("cam", lang))


def _mistakes(run: Any, ev: Any, lang: str) -> str:
    fig = plot_mistakes(ev.x, ev.y_true, ev.probs, run.classes, 12, lang)
    return H.figure_html(fig, _t("mistakes", lang))


SETTINGS = (
    "model",
    "spec",
    "dataset",
    "seed",
    "epochs",
    "batch_size",
    "optimizer",
    "lr",
    "schedule",
    "weight_decay",
    "label_smoothing",
    "augment_shift",
    "val_fraction",
    "device",
    "status",
)


# config entry -> `cnnlab train` option, for the equivalent command of a run made from Python


def equivalent_command(cfg: dict[str, Any]) -> str:
    """The `cnnlab train` command line that repeats a run's settings (quoted for a shell)."""
    words = ["cnnlab", "train"]
    for key, flag in CLI_FLAGS:
        if cfg.get(key) is not None:
            words += [flag, shlex.quote(str(cfg[key]))]
    if str(cfg.get("dataset", "")).startswith("folder:") and cfg.get("image_size"):
        height, width = cfg["image_size"]
        words += ["--size", f"{height}x{width}", "--color", str(cfg.get("color", "gray"))]
    return " ".join(words)


def _reproduce(run: Any, lang: str) -> str:
    cfg = run.config
    rows = [(k, cfg[k]) for k in SETTINGS if k in cfg]
    rows += [(f"{_t('versions', lang)}: {k}", v) for k, v in (cfg.get("versions") or {}).items()]
    rows += [(f"{_t('hardware', lang)}: {k}", v) for k, v in (cfg.get("hardware") or {}).items()]
    rows.append((_t("created", lang), cfg.get("created", "")))
    command = str(cfg.get("command", ""))
    body = f"<p><b>{H.esc(_t('command', lang))}</b></p><pre>{H.esc(command)}</pre>"
    if not command.startswith("cnnlab "):  # made from Python: give the command-line equivalent
        body += (
            f"<p><b>{H.esc(_t('equivalent', lang))}</b></p>"
            f"<pre>{H.esc(equivalent_command(cfg))}</pre>"
        )
    body += f"<p class=note>{H.esc(_t('reproduce_note', lang))}</p>"
    body += H.table([_t("setting", lang), _t("value", lang)], rows)
    return H.section("reproduce", _t("reproduce", lang), body)


def _footer(run: Any, lang: str) -> str:
    text = _t("footer", lang, version=__version__, path=Path(run.path).name)
    return f"<footer>{H.esc(text)}</footer>"
