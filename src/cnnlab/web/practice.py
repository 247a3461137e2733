"""The Practice tab: an exercise made from (kind, level, seed), and a typed answer checked against
it, with a hint after a first wrong answer and the worked solution after the second (or a right
one). Nothing is kept on the server: the page sends the seed back with the answer, and after a
first wrong answer a ticket (a keyed digest of the exercise, which only the server can make), so
that the solution is shown on the second answer and never on the first."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.exercises import make
from cnnlab.exercises.core import Exercise
from cnnlab.exercises.sheet import matrix_html, pictures_html, shown_matrices
from cnnlab.exercises.text import fmt
from cnnlab.i18n import _
from cnnlab.ops import explain_conv
from cnnlab.viz._html import esc
from cnnlab.web.handlers import explain_html, shows_errors, whole
from cnnlab.web.text import t

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class PracticeView:
    question: str = ""  # HTML: the question, its matrices and choices
    checked: bool = False  # an answer was given and checked
    correct: bool = False
    hint: str = ""
    solution: str = ""  # HTML: the worked solution
    message: str = ""
    ticket: str = ""  # after a first wrong answer: what the page sends with its second


def ticket(key: bytes, ex: Exercise) -> str:
    """The proof that ``ex`` was answered wrongly once (32 hex digits, keyed by the lab)."""
    made = f"{ex.kind}|{ex.level}|{ex.seed}".encode()
    return hmac.new(key, made, hashlib.sha256).hexdigest()[:32]


def question_html(ex: Exercise, lang: str) -> str:
    tables = "".join(
        matrix_html([[fmt(v, lang) for v in row] for row in rows], caption)
        for caption, rows in shown_matrices(ex, lang)
    )  # numbers in the page's marks
    choices = "".join(f"<li>{esc(c)}</li>" for c in ex.choices)
    listed = f'<ol type="a" class="choices">{choices}</ol>' if choices else ""
    note = f"<p class='hint'>{esc(t('matrix_answer', lang))}</p>" if ex.form == "matrix" else ""
    pictures = pictures_html(ex, lang)
    return (f"<p>{esc(ex.question(lang))}</p><div class='pair'>{pictures}{tables}</div>"
            f"{listed}{note}")  # fmt: skip


def solution_html(ex: Exercise, lang: str) -> str:
    """The worked solution's lines; a convolution cell also gets the Convolution tab's picture
    of its window, kernel and dot product."""
    lines = "".join(f"<p>{esc(line)}</p>" for line in ex.solution(lang))
    if ex.kind not in ("conv-cell", "correlate-vs-convolve"):
        return lines
    d = ex.data
    step = explain_conv(np.array(d["image"], float), np.array(d["kernel"], float), *d["cell"],
                        stride=d["stride"], padding=d["padding"], mode=d["mode"])  # fmt: skip
    return explain_html(step, lang) + lines


@shows_errors(PracticeView)
def practice(kind: str, level: str, seed: Any, answer: str, given: str, key: bytes,
             lang: str = "en") -> PracticeView:  # fmt: skip
    """The exercise alone (no answer yet), or the verdict on ``answer``: a wrong first answer
    gets a hint and a ticket; a wrong answer sent with that ticket (``given``), or a right
    one, gets the worked solution."""
    number = whole(seed, "seed")
    if number > MAX_SEED:
        raise InvalidArgumentError(_("seed must be at most {most}. Received: seed={seed}",
                                     most=MAX_SEED, seed=number))  # fmt: skip
    ex = make(str(kind)[:40], number, str(level)[:20])
    view = PracticeView(question=question_html(ex, lang))
    typed = str(answer or "").strip()[:2000]
    if not typed:
        return view
    correct = ex.verdict(typed, lang)
    if correct is None:  # not read as an answer: no try is used
        return PracticeView(view.question, message=t("unreadable", lang, typed=typed[:40]))
    expected = ticket(key, ex)
    second = hmac.compare_digest(str(given).encode(), expected.encode())
    if correct or second:
        return PracticeView(view.question, True, correct, "", solution_html(ex, lang))
    return PracticeView(view.question, True, False, ex.hint(lang), ticket=expected)
