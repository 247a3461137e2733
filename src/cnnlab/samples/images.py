"""Built-in input images: the deck's pixel art and the photos scikit-image ships offline.

Every sample comes back as float64 on the 0–255 scale of the deck's pixel art: 0 is black and
255 white. Colour photos become gray with the ITU-R BT.601 luma weights that Pillow's ``"L"``
mode uses, ``0.299·R + 0.587·G + 0.114·B`` (not rounded); binary pictures map False/True to
0/255.

``bidoof`` is the deck's first 20×20 table. ``bidoof-worked`` is the table printed beside the
kernel and the output: 20 rows of 19 values (a few rows lost one cell in the deck's text), and
the deck's printed output was computed on it, e.g. its first window gives 750.

>>> get_sample("bidoof").shape
(20, 20)
>>> get_sample("bidoof-worked")[0, :3].tolist()
[150.0, 150.0, 255.0]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from cnnlab.errors import DataError
from cnnlab.i18n import N_, _, resolve_lang, translate, unknown_name

#: The values the deck prints under "Output" for bidoof-worked and the deck kernel (row 0 in
#: full, row 1 only its first seven cells), transcribed from the deck.
DECK_PRINTED_OUTPUT: tuple[tuple[int, ...], ...] = (
    (750, 750, 915, 660, 555, 600, 750, 750, 750, 750, 750, 750, 855, 855, 855, 960, 960),
    (495, 345, 260, 438, 438, 373, 600),
)


def deck_mismatches(output: np.ndarray) -> tuple[int, list[tuple[int, int, float, float]]]:
    """Compare a computed feature map with :data:`DECK_PRINTED_OUTPUT`.

    Returns how many printed values were compared and the ``(row, col, deck, computed)`` of each
    one that differs (or is missing from ``output``).
    """
    checked, bad = 0, []
    for r, row in enumerate(DECK_PRINTED_OUTPUT):
        for c, expected in enumerate(row):
            checked += 1
            inside = r < output.shape[0] and c < output.shape[1]
            got = float(output[r, c]) if inside else float("nan")
            if got != expected:
                bad.append((r, c, float(expected), got))
    return checked, bad


_LUMA = np.array([0.299, 0.587, 0.114])


@dataclass(frozen=True)
class Sample:
    """A named input image: where it comes from and a one-line description in en/es."""

    name: str
    source: str  # "csv:<file>" inside this package, or "skimage:<loader>"
    en: str  # English, marked N_; description() translates it

    def description(self, lang: str | None = None) -> str:
        """The description in ``lang`` (``"en"`` or ``"es"``; default from the environment)."""
        return translate(self.en, resolve_lang(lang), {})


_SAMPLES = (
    Sample(
        "bidoof",
        "csv:bidoof.csv",
        N_("The deck's 20×20 pixel-art Bidoof."),
    ),
    Sample(
        "bidoof-worked",
        "csv:bidoof_worked.csv",
        N_("The deck's worked-example table (20×19) that its printed output comes from."),
    ),
    Sample(
        "camera",
        "skimage:camera",
        N_("Cameraman, a classic gray test photo."),
    ),
    Sample(
        "coins",
        "skimage:coins",
        N_("Greek coins on a plain background."),
    ),
    Sample(
        "astronaut",
        "skimage:astronaut",
        N_("Astronaut Eileen Collins (colour, shown in gray)."),
    ),
    Sample("chelsea", "skimage:chelsea", N_("Chelsea the cat.")),
    Sample("coffee", "skimage:coffee", N_("A cup of coffee.")),
    Sample(
        "horse",
        "skimage:horse",
        N_("Silhouette of a horse (black and white)."),
    ),
    Sample("moon", "skimage:moon", N_("The surface of the Moon.")),
    Sample(
        "page",
        "skimage:page",
        N_("A scanned page of text with uneven lighting."),
    ),
    Sample("text", "skimage:text", N_("Photographed text on a sign.")),
    Sample("brick", "skimage:brick", N_("A brick wall texture.")),
    Sample("grass", "skimage:grass", N_("A grass texture.")),
    Sample("gravel", "skimage:gravel", N_("A gravel texture.")),
    Sample(
        "rocket",
        "skimage:rocket",
        N_("A rocket on the launch pad."),
    ),
    Sample(
        "clock",
        "skimage:clock",
        N_("A clock, motion-blurred."),
    ),
    Sample(
        "checkerboard",
        "skimage:checkerboard",
        N_("A checkerboard: sharp edges in x and y."),
    ),
    Sample(
        "cell",
        "skimage:cell",
        N_("A cell seen through a microscope."),
    ),
)

SAMPLES: dict[str, Sample] = {s.name: s for s in _SAMPLES}


def sample_names() -> list[str]:
    """Names of the built-in samples, pixel art first."""
    return list(SAMPLES)


def get_sample_info(name: str) -> Sample:
    """The :class:`Sample` record called ``name``; unknown names suggest the closest."""
    if name not in SAMPLES:
        raise unknown_name(N_("sample"), name, SAMPLES)
    return SAMPLES[name]


def get_sample(name: str, gray: bool = True) -> np.ndarray:
    """The sample ``name`` as float64 in 0–255: (H, W) gray, or (H, W, 3) with ``gray=False``.

    Gray-only samples (the pixel art, ``camera``, ...) come back (H, W) either way.
    """
    arr = _load(get_sample_info(name).source)
    if gray and arr.ndim == 3:
        arr = arr @ _LUMA  # (H, W, 3) -> (H, W)
    return arr.copy()


@functools.lru_cache(maxsize=8)
def _load(source: str) -> np.ndarray:
    kind, _, ref = source.partition(":")
    if kind == "csv":
        text = resources.files("cnnlab.samples").joinpath(ref).read_text(encoding="utf-8")
        rows = [[float(v) for v in line.split(",")] for line in text.splitlines() if line]
        return np.array(rows, dtype=np.float64)
    return _load_skimage(ref)


def _load_skimage(loader: str) -> np.ndarray:
    import skimage.data  # slow to import: only when a photo is asked for

    try:
        raw = np.asarray(getattr(skimage.data, loader)())
    except (ModuleNotFoundError, OSError, ValueError) as exc:
        raise DataError(
            _(
                "the scikit-image sample {loader!r} could not be loaded; expected it to "
                "ship with scikit-image. Received: {error}: {exc}",
                loader=loader,
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None
    if raw.dtype == bool:
        return raw.astype(np.float64) * 255.0
    if raw.ndim == 3:
        raw = raw[..., :3]  # drop an alpha channel
    if raw.dtype.kind == "f":
        return raw.astype(np.float64) * 255.0  # floats in [0, 1]
    return raw.astype(np.float64)
