"""What the first-layer kernels of a character CNN respond to.

The first ``conv1d`` (after ``embedding``) slides kernels of ``k`` characters over a sentence;
its response (after the activation that follows it) at output position ``j`` belongs to the
window of characters ``j·stride − padding`` to ``j·stride − padding + dilation·(k − 1)``. A
character's response to a kernel is the strongest response of the windows that contain it.

The kernels that matter for a prediction: with ``globalmaxpool`` then ``dense`` (char-cnn), the
score of class ``c`` is ``Σ_k W[c, k]·max_j a_k(j) + b_c``, so kernel ``k`` adds
``W[c, k]·max_j a_k(j)``; the largest of these are the "top kernels". Other models rank kernels
by their strongest response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from cnnlab.data.textsets import encode
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.models.textlayers import GlobalMaxPool
from cnnlab.text.predict import TextPrediction, check_text_run, predict_texts

ACTIVATIONS = (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.GELU)


@dataclass(frozen=True)
class KernelView:
    """One text seen by the first conv layer: per-character responses of the top kernels."""

    text: str
    prediction: TextPrediction
    kernels: list[int]  # the top kernels, most important first
    weights: list[float]  # what each adds to the predicted class's score
    responses: np.ndarray  # (len(kernels), len(text)) each character's response to each kernel
    strength: np.ndarray  # (len(text),) the top kernels' strongest response, scaled to [0, 1]


def _first_conv(model: nn.Module) -> tuple[list[nn.Module], nn.Conv1d, int]:
    """(the layers up to the first conv1d and its activation, that conv, index after them)."""
    children = list(model.children())
    for i, layer in enumerate(children):
        if isinstance(layer, nn.Conv1d):
            activated = i + 1 < len(children) and isinstance(children[i + 1], ACTIVATIONS)
            end = i + 2 if activated else i + 1
            return children[:end], layer, end
    raise InvalidArgumentError(
        _(
            "this model has no conv1d layer, so no kernel slides over the text; expected a "
            "character CNN such as char-cnn. Received: a model without conv1d"
        )
    )


def first_layer_responses(run: Any, texts: list[str]) -> tuple[np.ndarray, nn.Conv1d]:
    """Responses of the first conv layer: ``(N, C, L_out)`` for ``texts``, and that layer."""
    check_text_run(run)
    head, conv, _ = _first_conv(run.model)
    x = torch.as_tensor(encode(list(texts), run.input_shape[-1]))  # (N, 1, L)
    with torch.no_grad():
        for layer in head:
            x = layer(x)
    return x.numpy(), conv  # (N, C, L_out)


def window_start(conv: nn.Conv1d, j: np.ndarray | int) -> np.ndarray | int:
    """First character of output position ``j``'s window (may be negative: padding)."""
    pad = conv.padding if isinstance(conv.padding, str) else conv.padding[0]
    span = conv.dilation[0] * (conv.kernel_size[0] - 1)
    if pad == "same":
        return j - span // 2
    return j * conv.stride[0] - int(pad)


def per_character(act: np.ndarray, conv: nn.Conv1d, n_chars: int) -> np.ndarray:
    """(C, L_out) responses → (C, n_chars): each character's strongest covering window."""
    out = np.zeros((act.shape[0], n_chars), np.float32)
    starts = window_start(conv, np.arange(act.shape[1]))
    for offset in range(0, conv.dilation[0] * (conv.kernel_size[0] - 1) + 1, conv.dilation[0]):
        chars = starts + offset
        ok = (chars >= 0) & (chars < n_chars)
        np.maximum.at(out, (slice(None), chars[ok]), act[:, ok])
    return out


def _importance(run: Any, act: np.ndarray, cls: int) -> np.ndarray:
    """What each kernel adds to class ``cls`` (module docstring); (C,)."""
    _, _, end = _first_conv(run.model)
    rest = list(run.model.children())[end:]
    if len(rest) >= 2 and isinstance(rest[0], GlobalMaxPool) and isinstance(rest[1], nn.Linear):
        weight = rest[1].weight.detach().numpy()  # (K, C)
        return weight[cls] * act.max(axis=1)
    return act.max(axis=1)


def kernel_view(run: Any, text: str, n_kernels: int = 3) -> KernelView:
    """The predicted class of ``text`` and how its top ``n_kernels`` kernels respond to it."""
    text = str(text)[: run.input_shape[-1]]
    act, conv = first_layer_responses(run, [text])
    prediction = predict_texts(run, [text], top=len(run.classes))[0]
    cls = int(np.argmax(prediction.probs))
    weights = _importance(run, act[0], cls)
    kernels = [int(k) for k in np.argsort(-weights, kind="stable")[:n_kernels]]
    responses = per_character(act[0][kernels], conv, len(text))  # (n, len(text))
    strength = responses.max(axis=0) if len(kernels) and len(text) else np.zeros(len(text))
    scale = float(strength.max()) if strength.size else 0.0
    return KernelView(text, prediction, kernels, [float(weights[k]) for k in kernels],
                      responses, strength / scale if scale > 0 else strength)  # fmt: skip


def top_ngrams(run: Any, texts: list[str], per_kernel: int = 5, batch: int = 512) -> list[list]:
    """For each first-layer kernel, the ``per_kernel`` distinct character windows (n-grams) of
    ``texts`` that excite it most: ``[[(ngram, response), ...], ...]`` (padding as nothing)."""
    acts, conv = [], None
    for i in range(0, len(texts), batch):
        act, conv = first_layer_responses(run, texts[i : i + batch])
        acts.append(act)
    if conv is None:
        return []
    act = np.concatenate(acts)  # (N, C, L_out)
    span = conv.dilation[0] * (conv.kernel_size[0] - 1) + 1
    out = []
    for k in range(act.shape[1]):
        flat = act[:, k].reshape(-1)
        order = np.argsort(-flat, kind="stable")[: 40 * per_kernel]
        found: dict[str, float] = {}
        for idx in order:
            n, j = divmod(int(idx), act.shape[2])
            start = int(window_start(conv, j))
            gram = texts[n][max(start, 0) : start + span]
            if gram.strip() and gram not in found:
                found[gram] = float(flat[idx])
            if len(found) == per_kernel:
                break
        out.append(list(found.items()))
    return out
