"""The report sections of a generative run (a conditional VAE): digits made for every label, a
walk from one digit to another, test digits and their reconstructions, the loss curves.

>>> sections = generative_sections(run, "es")  # doctest: +SKIP  (HTML strings, one per section)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure

from cnnlab.i18n import N_, fixed, tr
from cnnlab.models.build import TEMPERATURE
from cnnlab.viz import _html as H
from cnnlab.viz._common import new_figure

SECTIONS = ("samples", "walk", "reconstructions", "curves")
PER_LABEL = 10  # digits per label in the samples grid
WALKS = ((3, 8), (1, 7), (4, 9), (0, 6))  # label pairs the latent walk shows
WALK_STEPS = 10
N_RECONSTRUCTED = 20

TEXT: dict[str, dict[str, str]] = {
    "title": N_("Generator report"),
    "subtitle": N_("{model} on {dataset}: {loss} nats per test image (negative ELBO)"),
    "loss": N_("test loss (nats per image)"),
    "samples": N_("Digits it makes"),
    "samples_note": N_(
        "Row k: {n} digits made for label k, each from a code drawn from N(0, I) and "
        "scaled by the temperature {t} (seed 0)."
    ),
    "walk": N_("Latent walk"),
    "walk_note": N_(
        "Each row walks from one digit to another: the code moves in a straight line "
        "between two draws while the label blends from one to the other ({pairs})."
    ),
    "reconstructions": N_("Reconstructions"),
    "reconstructions_note": N_(
        "Odd rows: test digits; even rows: the model's rebuilding of each through the "
        "mean of its code."
    ),
    "curves": N_("Loss curves"),
    "curves_note": N_(
        "Negative ELBO per image: reconstruction (binary cross-entropy summed over "
        "pixels) plus the KL divergence of the code from N(0, I); lower is better."
    ),
    "epoch": N_("epoch"),
    "train": N_("train"),
    "val": N_("validation"),
    "test": N_("test"),
}


def _t(key: str, lang: str, **fmt: Any) -> str:
    return tr(TEXT, key, lang, **fmt)


def tile(images: np.ndarray, cols: int, scale: int = 1, gap: int = 2) -> np.ndarray:
    """(N, 1, H, W) in [0, 1] → one uint8 picture of ``cols`` columns, dark ink on white."""
    n, _, h, w = images.shape
    rows = max(1, math.ceil(n / cols))
    sheet = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap), 255, np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        top, left = gap + r * (h + gap), gap + c * (w + gap)
        sheet[top : top + h, left : left + w] = np.round(255 * (1 - np.clip(img[0], 0, 1)))
    return np.kron(sheet, np.ones((scale, scale), np.uint8)) if scale > 1 else sheet


def sheet_figure(picture: np.ndarray, width: float = 7.0) -> Figure:
    """A figure showing one uint8 picture at its aspect ratio, no axes."""
    h, w = picture.shape
    fig = Figure(figsize=(width, width * h / w))  # no layout engine: the picture fills it
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(picture, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    ax.axis("off")
    return fig


def plot_loss_curves(metrics: list[dict], lang: str) -> Figure:
    """Negative ELBO per epoch for the splits that have it."""
    fig = new_figure(6.0, 3.4)
    ax = fig.add_subplot()
    epochs = [m["epoch"] for m in metrics]
    for split, style in (("train", "-o"), ("val", "--s"), ("test", ":^")):
        values = [m.get(f"{split}_loss") for m in metrics]
        if any(v is not None for v in values):
            y = [np.nan if v is None else float(v) for v in values]
            ax.plot(epochs, y, style, markersize=4, label=_t(split, lang))
    ax.set_xlabel(_t("epoch", lang))
    ax.set_ylabel(_t("loss", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _samples(model: Any, k: int, lang: str) -> str:
    y = torch.arange(k).repeat_interleave(PER_LABEL)  # (K·PER_LABEL,)
    picture = tile(model.sample(y, seed=0, temperature=TEMPERATURE).numpy(), PER_LABEL, scale=2)
    text = _t("samples_note", lang, n=PER_LABEL, t=fixed(TEMPERATURE, 1, lang))
    note = f"<p class=note>{H.esc(text)}</p>"
    return note + H.figure_html(sheet_figure(picture), _t("samples", lang))


def _walk(model: Any, k: int, lang: str) -> str:
    pairs = [(a, b) for a, b in WALKS if max(a, b) < k] or [(0, k - 1)]
    frames = np.concatenate([model.morph(a, b, WALK_STEPS, seed=i, temperature=TEMPERATURE).numpy()
                             for i, (a, b) in enumerate(pairs)])  # fmt: skip
    picture = tile(frames, WALK_STEPS, scale=2)
    text = ", ".join(f"{a} → {b}" for a, b in pairs)
    note = f"<p class=note>{H.esc(_t('walk_note', lang, pairs=text))}</p>"
    return note + H.figure_html(sheet_figure(picture), _t("walk", lang))


def _reconstructions(run: Any, model: Any, ds: Any, lang: str) -> str:
    x, y = ds.test.x[:N_RECONSTRUCTED], torch.as_tensor(ds.test.y[:N_RECONSTRUCTED])
    rebuilt = model.reconstruct(run.preprocess(x), y).numpy()
    half = N_RECONSTRUCTED // 2
    rows = [x[:half], rebuilt[:half], x[half:], rebuilt[half:]]
    picture = tile(np.concatenate(rows), half, scale=2)
    note = f"<p class=note>{H.esc(_t('reconstructions_note', lang))}</p>"
    return note + H.figure_html(sheet_figure(picture), _t("reconstructions", lang))


def generative_sections(run: Any, ds: Any, lang: str) -> list[str]:
    """The four sections of a generative run's report, as HTML."""
    model, k = run.model.eval(), run.num_classes
    curves = ""
    if run.metrics:
        note = f"<p class=note>{H.esc(_t('curves_note', lang))}</p>"
        curves = note + H.figure_html(plot_loss_curves(run.metrics, lang), _t("curves", lang))
    bodies = [_samples(model, k, lang), _walk(model, k, lang),
              _reconstructions(run, model, ds, lang), curves]  # fmt: skip
    return [H.section(s, _t(s, lang), b) for s, b in zip(SECTIONS, bodies, strict=True)]


def generative_header(run: Any, lang: str, cards: list[tuple[str, str]], toc: list[str]) -> str:
    """Title, subtitle, the cards and the contents of a generative run's report."""
    last = run.metrics[-1] if run.metrics else {}
    loss = fixed(float(last.get("test_loss") or 0.0), 2, lang)
    cards = [(loss, _t("loss", lang)), *cards]
    card_html = "".join(
        f'<div class="card"><b>{H.esc(v)}</b><span>{H.esc(k)}</span></div>' for v, k in cards
    )
    items = "".join(f'<li><a href="#{sid}">{H.esc(title)}</a></li>' for sid, title in toc)
    sub = _t("subtitle", lang, model=run.config.get("model", ""),
             dataset=run.config.get("dataset", ""), loss=loss)  # fmt: skip
    return (
        f"<header><h1>{H.esc(_t('title', lang))}</h1><p class=sub>{H.esc(sub)}</p></header>"
        f'<div class="cards">{card_html}</div><nav><ol>{items}</ol></nav>'
    )


def section_titles(lang: str) -> list[tuple[str, str]]:
    return [(s, _t(s, lang)) for s in SECTIONS]
