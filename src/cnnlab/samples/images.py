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
from cnnlab.i18n import N_, _, resolve_lang, unknown_name

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
    en: str
    es: str

    def description(self, lang: str | None = None) -> str:
        """The description in ``lang`` (``"en"`` or ``"es"``; default from the environment)."""
        return self.es if resolve_lang(lang) == "es" else self.en


_SAMPLES = (
    Sample(
        "bidoof",
        "csv:bidoof.csv",
        "The deck's 20×20 pixel-art Bidoof.",
        "El Bidoof de 20×20 píxeles de la presentación.",
    ),
    Sample(
        "bidoof-worked",
        "csv:bidoof_worked.csv",
        "The deck's worked-example table (20×19) that its printed output comes from.",
        "Tabla del ejemplo resuelto (20×19): de ella sale la salida impresa en la presentación.",
    ),
    Sample(
        "camera",
        "skimage:camera",
        "Cameraman, a classic gray test photo.",
        "El camarógrafo, una foto clásica de prueba en grises.",
    ),
    Sample(
        "coins",
        "skimage:coins",
        "Greek coins on a plain background.",
        "Monedas griegas sobre un fondo liso.",
    ),
    Sample(
        "astronaut",
        "skimage:astronaut",
        "Astronaut Eileen Collins (colour, shown in gray).",
        "La astronauta Eileen Collins (a color, se muestra en grises).",
    ),
    Sample("chelsea", "skimage:chelsea", "Chelsea the cat.", "La gata Chelsea."),
    Sample("coffee", "skimage:coffee", "A cup of coffee.", "Una taza de café."),
    Sample(
        "horse",
        "skimage:horse",
        "Silhouette of a horse (black and white).",
        "Silueta de un caballo (blanco y negro).",
    ),
    Sample("moon", "skimage:moon", "The surface of the Moon.", "La superficie de la Luna."),
    Sample(
        "page",
        "skimage:page",
        "A scanned page of text with uneven lighting.",
        "Una página de texto escaneada con luz desigual.",
    ),
    Sample(
        "text", "skimage:text", "Photographed text on a sign.", "Texto fotografiado en un cartel."
    ),
    Sample("brick", "skimage:brick", "A brick wall texture.", "Textura de un muro de ladrillos."),
    Sample("grass", "skimage:grass", "A grass texture.", "Textura de pasto."),
    Sample("gravel", "skimage:gravel", "A gravel texture.", "Textura de grava."),
    Sample(
        "rocket",
        "skimage:rocket",
        "A rocket on the launch pad.",
        "Un cohete en la plataforma de lanzamiento.",
    ),
    Sample(
        "clock",
        "skimage:clock",
        "A clock, motion-blurred.",
        "Un reloj, desenfocado por movimiento.",
    ),
    Sample(
        "checkerboard",
        "skimage:checkerboard",
        "A checkerboard: sharp edges in x and y.",
        "Un tablero de ajedrez: bordes nítidos en x y en y.",
    ),
    Sample(
        "cell",
        "skimage:cell",
        "A cell seen through a microscope.",
        "Una célula vista al microscopio.",
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
