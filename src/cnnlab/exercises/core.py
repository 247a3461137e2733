"""The exercise record and how an answer typed by a person is read and checked.

An :class:`Exercise` is plain data (JSON-ready), regenerated exactly from ``(kind, seed, level)``,
so a sheet can be graded later without storing it.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from cnnlab.errors import InvalidArgumentError
from cnnlab.exercises import text as T
from cnnlab.i18n import _

LEVELS = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Exercise:
    """One generated exercise: what is asked (``data``), the expected ``answer`` and its form.

    ``form`` is ``"number"``, ``"matrix"`` (a list of rows) or ``"choice"`` (one of ``choices``).
    ``steps`` holds the worked solution's lines as (text key, values) pairs, rendered per language
    by :mod:`cnnlab.exercises.text`.
    """

    kind: str
    seed: int
    level: str
    data: dict[str, Any]
    answer: Any
    form: str = "number"
    choices: tuple[str, ...] = ()
    steps: tuple[tuple[str, dict[str, Any]], ...] = field(default=())
    tolerance: float = 1e-6  # absolute, for numbers and matrix cells

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """``{"kind", "seed", "level", "question", "data", "answer", "solution", ...}``."""
        out = asdict(self)
        out.update(question=self.question(lang), solution=self.solution(lang),
                   hint=self.hint(lang))  # fmt: skip
        del out["steps"]
        return out

    def question(self, lang: str = "en") -> str:
        return T.question(self.kind, self.data, lang)

    def hint(self, lang: str = "en") -> str:
        return T.hint(self.kind, lang)

    def solution(self, lang: str = "en") -> list[str]:
        """The worked solution, line by line, ending with the answer."""
        answer = self.answer if self.form == "choice" else T.fmt(self.answer, lang)
        return [*T.steps(self.steps, lang), f"{T.label('answer', lang)}: {answer}"]

    def check(self, typed: str, lang: str = "en") -> bool:
        """Whether ``typed`` (as a person writes it) is the answer."""
        return bool(self.verdict(typed, lang))

    def verdict(self, typed: str, lang: str = "en") -> bool | None:
        """True or False, or None when ``typed`` cannot be read as an answer of this form (a
        number, a matrix, a choice), so that it need not count as a try."""
        try:
            given = read_answer(typed, self.form, lang)
        except InvalidArgumentError:
            return None
        if self.form == "choice":
            found = _choice(given, self.choices)
            return None if found is None else found == self.answer
        if self.form == "number":
            return any(abs(g - float(self.answer)) <= self.tolerance for g in given)
        rows = [[float(v) for v in row] for row in self.answer]
        if len(given) != len(rows) or any(
            len(g) != len(r) for g, r in zip(given, rows, strict=True)
        ):
            return False
        return all(abs(g - r) <= self.tolerance for gr, rr in zip(given, rows, strict=True)
                   for g, r in zip(gr, rr, strict=True))  # fmt: skip


_FLOAT = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


def read_numbers(text: str, lang: str = "en") -> list[float]:
    """Every reading of a number: two when one mark is followed by exactly three digits
    (``"269,322"`` is 269322 in Mexico and 269.322 in Spain), else one."""
    first = read_number(text, lang)
    cleaned = re.sub(r"[\s\u202f\u2009]", "", str(text))
    if re.fullmatch(r"[-+−–]?\d{1,3}[.,]\d{3}", cleaned):
        return [first, read_number(text, "es" if lang == "en" else "en")]
    return [first]


def read_number(text: str, lang: str = "en") -> float:
    """A number as a person types it, in ``lang``'s marks or the other's: spaces, ``−`` and
    thousands separators allowed; in Spanish ``"1,5"`` and ``"1.5"`` are both 1.5 and
    ``"61.706"`` is 61706 (a mark followed by groups of three digits separates thousands)."""
    cleaned = re.sub(r"[\s\u202f\u2009]", "", str(text)).replace("−", "-").replace("–", "-")
    thousands, decimal = (".", ",") if lang == "es" else (",", ".")
    grouped = rf"[-+]?\d{{1,3}}(\{thousands}\d{{3}})+(\{decimal}\d+)?"
    if re.fullmatch(grouped, cleaned):
        cleaned = cleaned.replace(thousands, "")
    if cleaned.count(",") + cleaned.count(".") == 1:
        cleaned = cleaned.replace(",", ".")
    if not _FLOAT.fullmatch(cleaned) or not math.isfinite(float(cleaned)):
        raise InvalidArgumentError(
            _("not a number; expected e.g. 12 or {example}. Received: {text!r}",
              example="1,5" if lang == "es" else "1.5", text=str(text)[:40])
        )  # fmt: skip
    return float(cleaned)


def read_matrix(text: str, lang: str = "en") -> list[list[float]]:
    """Rows separated by new lines or ``;``, values by spaces (or ``,`` when no decimal comma
    can be meant, i.e. in English): ``"1 2; 3 4"`` → [[1, 2], [3, 4]]."""
    flat = re.sub(r"\]\s*,?\s*\[", ";", str(text)).replace("[", "").replace("]", "")
    rows = [r for r in re.split(r"[;\n]", flat) if r.strip()]
    if not rows:
        raise InvalidArgumentError(_("no rows; expected e.g. 1 2; 3 4. Received: nothing"))
    split = r"\s+" if lang == "es" else r"[\s,]+"
    return [[read_number(v, lang) for v in re.split(split, r.strip()) if v] for r in rows]


def read_answer(text: str, form: str, lang: str = "en") -> Any:
    if form == "number":
        return read_numbers(text, lang)
    if form == "matrix":
        return read_matrix(text, lang)
    return str(text).strip()


def _choice(given: str, choices: tuple[str, ...]) -> str | None:
    """A choice by letter (``b``), number (``2``) or name, case and spaces ignored."""
    word = given.strip().lower().rstrip(")").strip()[:40]
    if len(word) == 1 and "a" <= word <= "z" and ord(word) - ord("a") < len(choices):
        return choices[ord(word) - ord("a")]
    if word.isascii() and word.isdecimal() and 1 <= int(word) <= len(choices):
        return choices[int(word) - 1]
    return next((c for c in choices if c.lower() == word), None)


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise InvalidArgumentError(
            _("unknown level; expected one of: {known}. Received: {level!r}",
              known=", ".join(LEVELS), level=str(level)[:40])
        )  # fmt: skip
    return level
