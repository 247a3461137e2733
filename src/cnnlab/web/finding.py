"""The Find tab: a sample photo or an upload, faces or digits, the boxes, their scores and the
heat map of the sliding classifier. The lab uses the default models only once they are trained
(``cnnlab detect --what faces IMAGE`` trains and caches one); a request never trains."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib import colormaps

from cnnlab.detect import DetectConfig, detect
from cnnlab.detect.digits import read_boxes
from cnnlab.detect.figures import boxed, heat
from cnnlab.detect.learn import WHATS, cached_detector
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.i18n import N_, _, fixed, tr, unknown_name
from cnnlab.imageio import read_image
from cnnlab.samples import get_sample, sample_names
from cnnlab.web import limits as L
from cnnlab.web.jobs import checkpoint

TEXT = {
    "untrained": N_(
        "the default {what} model is missing (not shipped with this installation, not trained "
        "here); expected a model. Train it once with: cnnlab detect --what {what} --retrain "
        "astronaut"
    ),
    "summary": N_("{n} boxes in {ms} ms"),
}


@dataclass(frozen=True)
class FindView:
    """What the Find tab shows."""

    boxed: np.ndarray | None = None  # uint8 RGB: the picture with its boxes
    heat: np.ndarray | None = None  # uint8 RGB: the highest score at each place, over the picture
    boxes: tuple[dict, ...] = field(default_factory=tuple)
    number: str = ""  # digits read left to right (digits only)
    summary: str = ""
    message: str = ""


def _picture(sample: str, upload: bytes | None, limits: L.Limits) -> np.ndarray:
    if upload:
        L.check_at_most(N_("the uploaded file"), len(upload), limits.upload_bytes,
                        N_("bytes"))  # fmt: skip
        pixels = read_image(upload, "RGB", limits.pixels, "upload")
    else:
        if sample not in sample_names():
            raise unknown_name(N_("sample"), sample, sample_names())
        pixels = np.uint8(np.clip(np.rint(get_sample(sample, gray=False)), 0, 255))
    L.check_picture(pixels.shape, limits)
    return pixels


def _line(found, lang: str) -> str:
    box = ", ".join(fixed(v, 0, lang) for v in found.box)
    return f"{found.label} {fixed(found.score, 3, lang)} [{box}]"


def heat_picture(pixels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The scores (H, W) in [0, 1] as magma colours laid over the dimmed gray picture."""
    gray = pixels if pixels.ndim == 2 else pixels[..., :3].mean(axis=2)
    colours = colormaps["magma"](np.clip(scores, 0, 1))[..., :3] * 255  # (H, W, 3)
    mixed = 0.35 * gray[..., None] + 0.65 * colours
    return np.uint8(np.clip(np.rint(mixed), 0, 255))


def find_in_picture(sample: str, upload: bytes | None, what: str, threshold: object,
                    lang: str, limits: L.Limits = L.LIMITS) -> FindView:  # fmt: skip
    """Boxes, scores and heat map of ``what`` in the picture; refusals become the message."""
    try:
        if what not in WHATS:
            raise unknown_name(N_("kind of thing to find"), what, WHATS)
        try:
            level = float(threshold) if threshold not in (None, "") else None
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                _("threshold must be a number in (0, 1). Received: {value!r}",
                  value=str(threshold)[:40])
            ) from None  # fmt: skip
        pixels = _picture(sample, upload, limits)
        detector = cached_detector(what)
        if detector is None:
            return FindView(message=tr(TEXT, "untrained", lang, what=what))
        found = detect(detector, pixels, DetectConfig(threshold=level), between=checkpoint)
    except CnnlabError as exc:
        return FindView(message=str(exc))
    boxes = np.array([b.box for b in found.boxes]).reshape(-1, 4)
    ms = fixed(found.seconds * 1000, 0, lang)
    return FindView(
        boxed=boxed(found, pixels),
        heat=heat_picture(pixels, heat(found)),
        boxes=tuple({**b.to_dict(), "text": _line(b, lang)} for b in found.boxes),
        number=read_boxes(boxes, [b.label for b in found.boxes]) if what == "digits" else "",
        summary=tr(TEXT, "summary", lang, n=len(found.boxes), ms=ms),
    )
