"""Classify texts with a run trained on a text data set (``languages`` or ``textfolder:``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnlab.data.textsets import encode, length_buckets
from cnnlab.errors import DataError, InvalidArgumentError
from cnnlab.i18n import _

MAX_LINES = 100_000  # texts read from one --lines file
MAX_FILE_BYTES = 16 << 20


@dataclass(frozen=True)
class TextPrediction:
    """One text's classes, most likely first: ``top`` is ``[(class, probability), ...]``."""

    text: str
    top: list[tuple[str, float]]
    probs: np.ndarray  # (K,) every class, in the run's class order

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "top": [{"class": c, "prob": p} for c, p in self.top]}


def is_text_run(run: Any) -> bool:
    """True for a run whose model reads character ids (its first layer is text-only)."""
    first = str(run.config.get("spec", "")).split("(")[0].split()[0]
    return first in ("embedding", "ngrambag")


def check_text_run(run: Any) -> None:
    if not is_text_run(run):
        raise InvalidArgumentError(
            _(
                "{path} is not a text run; expected a model whose first layer is embedding or "
                "ngrambag (e.g. cnnlab train --model char-cnn --dataset languages). Received: "
                "spec {spec!r}",
                path=run.path,
                spec=run.config.get("spec"),
            )
        )


def predict_texts(run: Any, texts: list[str], top: int = 3) -> list[TextPrediction]:
    """The ``top`` classes of each text with their probabilities."""
    check_text_run(run)
    if top < 1:
        raise InvalidArgumentError(_("top must be at least 1. Received: top={top!r}", top=top))
    if not texts:
        return []
    probs = run.predict(encode(list(texts), run.input_shape[-1]), engine="torch")  # (N, K)
    out = []
    for text, p in zip(texts, probs, strict=True):
        order = np.argsort(-p, kind="stable")[: min(top, len(p))]
        out.append(TextPrediction(text, [(run.classes[i], float(p[i])) for i in order], p))
    return out


def read_lines(path: str | os.PathLike) -> list[str]:
    """The non-empty lines of a UTF-8 file, one text each."""
    path = Path(path)
    if not path.is_file():
        raise DataError(_("text file not found; expected a UTF-8 file with one text per line "
                          "at {path}", path=path))  # fmt: skip
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(_("{path} is larger than {limit:,} bytes; expected a text file",
                          path=path, limit=MAX_FILE_BYTES))  # fmt: skip
    try:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    except UnicodeDecodeError as exc:
        raise DataError(_("{path} is not UTF-8 text. Received: {reason} at byte {start}",
                          path=path, reason=exc.reason, start=exc.start)) from None  # fmt: skip
    lines = [ln for ln in lines if ln]
    if len(lines) > MAX_LINES:
        raise DataError(_("{path} has {count:,} lines; expected at most {limit:,}", path=path,
                          count=len(lines), limit=MAX_LINES))  # fmt: skip
    return lines


def accuracy_by_length(run: Any, texts: list[str], labels: np.ndarray, seed: int = 0,
                       ) -> list[tuple[str, float, int]]:  # fmt: skip
    """Accuracy on ``texts`` cut to ≤ 20, 20-60 and > 60 characters
    (:func:`cnnlab.data.textsets.length_buckets`): ``[(bucket, accuracy, texts), ...]``,
    empty buckets left out."""
    out = []
    for name, (cut, truth) in length_buckets(texts, labels, seed).items():
        if cut:
            probs = run.predict(encode(cut, run.input_shape[-1]), engine="torch")  # (N, K)
            out.append((name, float((probs.argmax(axis=1) == truth).mean()), len(cut)))
    return out
