"""The deck's applications on the walk-through page: what each one made on this computer, from
the default runs cached on first use (never trained here), or the command that makes it.

Each finder returns the HTML of its result, or None when its default run does not exist yet.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import numpy as np
from PIL import Image

from cnnlab.data.cache import lab_dir
from cnnlab.deck.text import TEXT
from cnnlab.detect import detect
from cnnlab.detect.figures import explain_figure
from cnnlab.detect.learn import cached_detector
from cnnlab.errors import CnnlabError
from cnnlab.generate import grid_labels, sample
from cnnlab.i18n import tr
from cnnlab.train import load_run
from cnnlab.viz._html import esc, figure_html
from cnnlab.viz.gen_report import tile


def t(key: str, lang: str, **fmt) -> str:
    return tr(TEXT, key, lang, **fmt)


def png_tag(pixels: np.ndarray, alt: str) -> str:
    """An inline PNG of a (H, W) gray picture in [0, 1]."""
    buf = io.BytesIO()
    Image.fromarray((np.clip(pixels, 0, 1) * 255).astype(np.uint8)).save(buf, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return f'<img class="app-img" src="{uri}" alt="{esc(alt)}">'


def generation(lang: str) -> str | None:
    """Eight digits of every label from the lab's cached conv-vae (``cnnlab serve`` trains it)."""
    folder = lab_dir() / "mnist-conv-vae"
    if not (folder / "model.safetensors").is_file():
        return None
    try:
        run = load_run(folder)
        images = sample(run, grid_labels(80, None, run.num_classes), seed=0)  # (80, 1, 28, 28)
    except CnnlabError:
        return None
    grid = tile(images, cols=8, scale=2)
    line = t("app_generated", lang, folder=str(folder))
    return f"<p>{esc(line)}</p><figure>{png_tag(grid, 'generated digits')}</figure>"


def detection(lang: str) -> str | None:
    """The cached face detector (``cnnlab detect --what faces`` trains it) on the astronaut."""
    try:
        detector = cached_detector("faces")
        if detector is None:
            return None
        found = detect(detector, "astronaut")
    except CnnlabError:
        return None
    line = t("app_detected", lang, n=len(found.boxes))
    return f"<p>{esc(line)}</p>" + figure_html(explain_figure(found, lang), "faces")


#: application key → (finder, the command that makes it when nothing is cached)
FINDERS: dict[str, tuple[Callable[[str], str | None], str]] = {
    "app_detection": (detection, "cnnlab detect --what faces astronaut"),
    "app_generation": (generation, "cnnlab train --model conv-vae --dataset mnist"),
    "app_language": (lambda _lang: None, "cnnlab train --model char-cnn --dataset languages"),
}
