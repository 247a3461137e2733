"""Text: a 1-D convolution over characters that tells languages apart.

>>> from cnnlab.text import predict_texts  # doctest: +SKIP
>>> predict_texts(load_run("runs/languages-char-cnn"), ["¿Dónde está la biblioteca?"])[0].top[0]
('es', 0.99...)

Predicting (:mod:`cnnlab.text.predict`), what the kernels respond to (:mod:`cnnlab.text.kernels`),
their figures (:mod:`cnnlab.text.figures`) and the comparison with established language
identifiers (:mod:`cnnlab.text.compare`).
"""

from __future__ import annotations

from cnnlab.text.kernels import KernelView, kernel_view, top_ngrams
from cnnlab.text.predict import TextPrediction, is_text_run, predict_texts, read_lines

__all__ = [
    "KernelView",
    "TextPrediction",
    "is_text_run",
    "kernel_view",
    "predict_texts",
    "read_lines",
    "top_ngrams",
]
