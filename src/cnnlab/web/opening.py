"""One request per tab of the lab, as a person opening each tab sends it: what the start-up
test and benchmark send to check that every tab answers (read from ``/api/info``, so a new tab's
event is included the day it appears)."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
from PIL import Image

from cnnlab.web.api import DEFAULTS, EVENTS


def drawn_digit() -> bytes:
    """A PNG of a hand-drawn-looking 1: one thick stroke on a white 140×140 canvas."""
    canvas = np.full((140, 140), 255, np.uint8)
    canvas[25:115, 62:78] = 0  # (rows, cols): a vertical stroke
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format="PNG")
    return buffer.getvalue()


def opening_requests(info: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """event → JSON body for every event ``info`` lists, using the runs the lab offers."""
    runs = info.get("runs", [])
    pictures = [r["id"] for r in runs if not r["text"]]
    texts = [r["id"] for r in runs if r["text"]]
    drawing = "data:image/png;base64," + base64.b64encode(drawn_digit()).decode()
    special = {
        "model": {"model": "small-cnn", "shape": "1,28,28"},
        "draw": {"drawing": drawing, "runs": pictures[:2]},
        "generate": {"generator": (info.get("generators") or [""])[0]},
        "text": {"run": texts[0] if texts else "", "text": "¿Dónde está la biblioteca?"},
    }
    return {event: {**DEFAULTS.get(event, {}), **special.get(event, {})} for event in EVENTS}
