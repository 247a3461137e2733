"""The deck's applications on the walk-through page: what each one made on this computer, from
the default runs cached on first use (never trained here), or the command that makes it.

Each finder returns the HTML of its result, or None when its default run does not exist yet.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from cnnlab import shipped
from cnnlab.data.cache import lab_dir
from cnnlab.deck.text import TEXT
from cnnlab.detect import detect
from cnnlab.detect.figures import explain_figure
from cnnlab.detect.learn import cached_detector
from cnnlab.errors import CnnlabError
from cnnlab.generate import grid_labels, sample
from cnnlab.i18n import local_number, tr
from cnnlab.text.predict import is_text_run, predict_texts
from cnnlab.train import load_run
from cnnlab.viz._html import esc, figure_html, table
from cnnlab.viz.gen_report import tile


def t(key: str, lang: str, **fmt) -> str:
    return tr(TEXT, key, lang, **fmt)


def png_tag(pixels: np.ndarray, alt: str) -> str:
    """An inline PNG of a (H, W) gray picture in [0, 1]."""
    buf = io.BytesIO()
    Image.fromarray((np.clip(pixels, 0, 1) * 255).astype(np.uint8)).save(buf, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return f'<img class="app-img" src="{uri}" alt="{esc(alt)}">'


def first_run(*folders: Path):
    """The first of ``folders`` holding a trained run, loaded; None if none does."""
    for folder in folders:
        if (folder / "model.safetensors").is_file():
            try:
                return load_run(folder)
            except CnnlabError:
                continue
    return None


def generation(lang: str) -> str | None:
    """Eight digits of every label from the lab's conv-vae trained here (``cnnlab serve
    --retrain``), the one ``cnnlab train --model conv-vae --dataset mnist`` writes, or the
    shipped one."""
    run = first_run(lab_dir() / "mnist-conv-vae", Path("runs") / "mnist-conv-vae",
                    shipped.HERE / "conv-vae")  # fmt: skip
    if run is None:
        return None
    folder = run.path
    try:
        images = sample(run, grid_labels(80, None, run.num_classes), seed=0)  # (80, 1, 28, 28)
    except CnnlabError:
        return None
    grid = tile(images, cols=8, scale=2)
    line = t("app_generated", lang, folder=str(folder))
    return f"<p>{esc(line)}</p><figure>{png_tag(grid, t('alt_generated', lang))}</figure>"


def detection(lang: str) -> str | None:
    """The default face detector (trained here, else the shipped one) on the astronaut."""
    try:
        detector = cached_detector("faces")
        if detector is None:
            return None
        found = detect(detector, "astronaut")
    except CnnlabError:
        return None
    line = t("app_detected", lang, n=len(found.boxes))
    return f"<p>{esc(line)}</p>" + figure_html(explain_figure(found, lang), "faces")


#: one short sentence per language the deck's language section tries
SENTENCES = (
    "¿Dónde está la biblioteca?",
    "Onde fica a biblioteca?",
    "Dov'è la biblioteca?",
    "Où est la bibliothèque ?",
    "Wo ist die Bibliothek?",
    "Where is the library?",
)


def language(lang: str) -> str | None:
    """The char-CNN that ``cnnlab train --model char-cnn --dataset languages`` writes (else the
    shipped one), on one short question in each of its languages."""
    run = first_run(Path("runs") / "languages-char-cnn", shipped.HERE / "char-cnn")
    if run is None or not is_text_run(run):
        return None
    try:
        found = predict_texts(run, list(SENTENCES), top=1)
    except CnnlabError:
        return None
    rows = [(p.text, p.top[0][0], local_number(f"{p.top[0][1] * 100:.1f} %", lang)) for p in found]
    heads = [t(k, lang) for k in ("col_sentence", "col_language", "col_probability")]
    line = t("app_read", lang, folder=str(run.path))
    return f"<p>{esc(line)}</p>" + table(heads, rows, [False, False, True])


#: application key → (finder, the command that makes it when nothing is cached)
FINDERS: dict[str, tuple[Callable[[str], str | None], str]] = {
    "app_detection": (detection, "cnnlab detect --what faces astronaut"),
    "app_generation": (generation, "cnnlab train --model conv-vae --dataset mnist"),
    "app_language": (language, "cnnlab train --model char-cnn --dataset languages"),
}
