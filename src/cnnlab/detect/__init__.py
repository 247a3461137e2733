"""Find things in pictures with a classifier slid over them: faces, handwritten digits and
numbers, or the classes of any image run.

>>> from cnnlab import detect
>>> found = detect.find("astronaut", what="faces")    # doctest: +SKIP
>>> detect.read("number.jpg").text                     # doctest: +SKIP
'2026'

The library mirrors ``cnnlab detect`` and ``cnnlab read``; see :mod:`cnnlab.detect.core` for how
a run becomes a sliding window and :mod:`cnnlab.detect.fcn` for why that is one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnlab.detect.boxes import Scores, iou, nms, score_pictures
from cnnlab.detect.core import (
    DetectConfig,
    Detection,
    Detector,
    Found,
    ScoreMap,
    detect,
    load_detector,
)
from cnnlab.detect.digits import read_boxes
from cnnlab.detect.fcn import FullyConv, NotImageClassifierError, Window, fully_convolutional
from cnnlab.detect.learn import WHATS, Callback, default_detector
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _


@dataclass(frozen=True)
class Reading:
    """A number read from a picture: its text (lines top to bottom) and the digits found."""

    image: str
    text: str
    detection: Detection

    def to_dict(self) -> dict[str, Any]:
        return {"image": self.image, "number": self.text,
                "digits": [b.to_dict() for b in self.detection.boxes]}  # fmt: skip


def detector_for(what: str | None = None, run: Any = None, callback: Callback | None = None,
                 retrain: bool = False) -> Detector:  # fmt: skip
    """The detector of ``run`` (a run folder) or the default one for ``what`` (the shipped
    model unless one was trained here; ``retrain`` trains a new one into the cache)."""
    if (what is None) == (run is None):
        raise InvalidArgumentError(
            _(
                "say what to find; expected exactly one of what (faces or digits) and run. "
                "Received: what={what!r}, run={run!r}",
                what=what,
                run=run,
            )
        )
    return load_detector(run) if run is not None else default_detector(what, callback, retrain)


def find(
    image: Any,
    what: str | None = None,
    run: Any = None,
    config: DetectConfig | None = None,
    callback: Callback | None = None,
) -> Detection:
    """``cnnlab detect``: the boxes of faces, digits or a run's classes in ``image``."""
    return detect(detector_for(what, run, callback), image, config)


def read(image: Any, run: Any = None, config: DetectConfig | None = None,
         callback: Callback | None = None, retrain: bool = False) -> Reading:  # fmt: skip
    """``cnnlab read``: the number written in ``image``, read left to right."""
    detector = detector_for(None if run is not None else "digits", run, callback, retrain)
    found = detect(detector, image, config)
    boxes = np.array([b.box for b in found.boxes]).reshape(-1, 4)
    return Reading(found.image, read_boxes(boxes, [b.label for b in found.boxes]), found)


__all__ = [
    "WHATS", "DetectConfig", "Detection", "Detector", "Found", "FullyConv",
    "NotImageClassifierError", "Reading", "ScoreMap", "Scores", "Window", "detect",
    "detector_for", "find", "fully_convolutional", "iou", "load_detector", "nms", "read",
    "score_pictures",
]  # fmt: skip
