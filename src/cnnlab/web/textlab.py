"""The Text tab: a typed sentence, the language probabilities of a text run, and each character
coloured by how strongly the run's top first-layer kernels respond to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _
from cnnlab.text import is_text_run, kernel_view, predict_texts
from cnnlab.web import limits as L
from cnnlab.web.handlers import shows_errors
from cnnlab.web.text import t


@dataclass(frozen=True)
class TextView:
    probs: tuple[tuple[str, float], ...] = ()  # (class, probability), most likely first
    chars: tuple[tuple[str, float], ...] = ()  # (character, response in [0, 1])
    kernels: tuple[int, ...] = ()  # the top kernels, most important first
    note: str = ""
    message: str = ""


def text_runs(runs: dict[str, Any]) -> dict[str, Any]:
    """The runs of the lab that read text."""
    return {rid: run for rid, run in runs.items() if is_text_run(run)}


@shows_errors(TextView)
def read_text(runs: dict[str, Any], run_id: str, text: str, lang: str = "en",
              limits: L.Limits = L.LIMITS) -> TextView:  # fmt: skip
    """Probabilities and per-character kernel responses of ``text`` for the text run ``run_id``."""
    L.check_at_most(N_("the text"), len(text), limits.text_chars, N_("characters"))
    offered = text_runs(runs)
    if not offered:
        return TextView(note=t("no_text_run", lang))
    if run_id not in offered:
        raise InvalidArgumentError(
            _("run {run!r} is not a text run of this lab; expected one of: {known}. "
              "Received: {run!r}", run=run_id[:60], known=", ".join(offered))
        )  # fmt: skip
    run = offered[run_id]
    if not text.strip():
        return TextView(note=t("type_text", lang))
    text = text[: run.input_shape[-1]]  # what the model reads
    try:
        view = kernel_view(run, text)
    except InvalidArgumentError:  # a model without conv1d (the n-gram MLP): no kernels to show
        found = predict_texts(run, [text], top=len(run.classes))[0]
        return TextView(probs=tuple(found.top), chars=tuple((c, 0.0) for c in text),
                        note=t("no_kernels", lang))  # fmt: skip
    chars = tuple((c, round(float(s), 3)) for c, s in zip(text, view.strength, strict=True))
    return TextView(probs=tuple(view.prediction.top), chars=chars, kernels=tuple(view.kernels))
