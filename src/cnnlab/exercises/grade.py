"""Grading a sheet's answers (one CSV row per student) and exporting it as a Moodle quiz."""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from cnnlab.errors import InputFileError
from cnnlab.exercises.core import Exercise
from cnnlab.exercises.sheet import Sheet, exercise_html, read_table
from cnnlab.fileio import atomic_write_text
from cnnlab.html import esc, page, table
from cnnlab.i18n import N_, _, fixed, resolve_lang, tr

WORDS = {
    "title": N_("Marks"),
    "student": N_("student"),
    "total": N_("total"),
    "share": N_("share right"),
    "question": N_("question"),
    "kind": N_("kind"),
    "right": N_("right"),
}


@dataclass(frozen=True)
class Marks:
    """Per student, per question: 1 (right) or 0, with the questions' kinds."""

    kinds: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (student id, marks)


def read_answers(path: str | Path, count: int) -> list[tuple[str, list[str]]]:
    """``(student, [answer 1..count])`` from a CSV: a ``student`` (or ``id``) column, then
    ``q1``..``qN`` (blank cells are blank answers); each student once."""
    columns, rows = read_table(path, "answer")
    who = next((c for c in ("student", "id", "estudiante") if c in columns), None)
    missing = [f"q{i}" for i in range(1, count + 1) if f"q{i}" not in columns]
    if who is None or missing:
        raise InputFileError(
            _("{path} lacks columns {missing}; expected student (or id), then q1..q{count}. "
              "Received: columns {columns}", path=path,
              missing=(["student"] if who is None else []) + missing, count=count,
              columns=columns)
        )  # fmt: skip
    out = [(row[who], [row[f"q{i}"] for i in range(1, count + 1)]) for row in rows]
    ids = [sid for sid, _answers in out]
    twice = sorted({sid for sid in ids if ids.count(sid) > 1})
    if twice:
        raise InputFileError(_("{path} answers for some students twice; expected one row each. "
                               "Received: {twice} more than once", path=path,
                               twice=twice[:5]))  # fmt: skip
    return out


def grade(sheet: Sheet, answers: list[tuple[str, list[str]]]) -> Marks:
    """Each answer checked against the question the student's sheet held."""
    known = set(sheet.ids())
    rows = []
    for student, typed in answers:
        sid = student if sheet.students else ""
        if sid not in known:
            raise InputFileError(_("student {student!r} is not on the sheet's roster; expected "
                                   "one of its ids. Received: {student!r}",
                                   student=student))  # fmt: skip
        questions = sheet.questions(sid)
        marks = tuple(int(bool(a) and q.check(a, sheet.lang)) for q, a in
                      zip(questions, typed, strict=True))  # fmt: skip
        rows.append((student, marks))
    absent = [sid for sid in sheet.ids() if sheet.students and sid not in dict(answers)]
    if absent:
        warnings.warn(_("{count} student(s) of the roster have no answers and are not "
                        "graded: {ids}", count=len(absent),
                        ids=", ".join(absent[:5]) + (" …" if len(absent) > 5 else "")),
                      UserWarning, stacklevel=2)  # fmt: skip
    kinds = tuple(q.kind for q in sheet.questions(sheet.ids()[0]))
    return Marks(kinds, tuple(rows))


def marks_csv(marks: Marks) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["student", *(f"q{i + 1}" for i in range(len(marks.kinds))), "total"])
    for student, row in marks.rows:
        writer.writerow([student, *row, sum(row)])
    return buf.getvalue()


def marks_html(marks: Marks, lang: str) -> str:
    """Per-student totals and per-question share right, as a page."""
    lang = resolve_lang(lang)
    n = len(marks.kinds)
    people = [[s, *row, sum(row)] for s, row in marks.rows]
    head = [tr(WORDS, "student", lang), *(f"q{i + 1}" for i in range(n)), tr(WORDS, "total", lang)]
    per_q = [[f"q{i + 1}", kind, sum(r[i] for _, r in marks.rows),
              fixed(100 * sum(r[i] for _, r in marks.rows) / max(1, len(marks.rows)), 1, lang)]
             for i, kind in enumerate(marks.kinds)]  # fmt: skip
    q_head = [tr(WORDS, k, lang) for k in ("question", "kind", "right", "share")]
    body = (table(head, people, [False, *([True] * (n + 1))])
            + table(q_head, per_q, [False, False, True, True]))  # fmt: skip
    title = tr(WORDS, "title", lang)
    return page(title, lang, f"<main><h1>{esc(title)}</h1>{body}</main>")


def write_marks(marks: Marks, out: str | Path, lang: str) -> list[Path]:
    target = Path(out)
    html = target.with_suffix(".html")
    atomic_write_text(target.with_suffix(".csv"), marks_csv(marks))
    atomic_write_text(html, marks_html(marks, lang))
    return [target.with_suffix(".csv"), html]


def moodle_xml(sheet: Sheet) -> str:
    """The sheet's questions (the first student's) as a Moodle XML quiz: numerical, multiple
    choice, and cloze (one numerical box per cell) for matrices."""
    lang = resolve_lang(sheet.lang)
    quiz = ET.Element("quiz")
    for i, ex in enumerate(sheet.questions(sheet.ids()[0])):
        quiz.append(_moodle_question(ex, i + 1, lang))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode")


def exact(value: float) -> str:
    """A number written in full for Moodle: ``1117194``, ``5.33``, never ``1.11719e+06``."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    ET.SubElement(node, "text").text = value
    return node


def _moodle_question(ex: Exercise, n: int, lang: str) -> ET.Element:
    kind = {"number": "numerical", "choice": "multichoice", "matrix": "cloze"}[ex.form]
    q = ET.Element("question", type=kind)
    _text(q, "name", f"{n:02d} {ex.kind} (seed {ex.seed}, {ex.level})")
    body = exercise_html(ex, n, lang)
    if ex.form == "matrix":
        tol = f"{ex.tolerance:g}"
        body += "".join("<p>" + " ".join(f"{{1:NUMERICAL:={exact(v)}:{tol}}}" for v in row)
                        + "</p>" for row in ex.answer)  # fmt: skip
    _text(q, "questiontext", body, format="html")
    _text(q, "generalfeedback", "".join(f"<p>{esc(s)}</p>" for s in ex.solution(lang)),
          format="html")  # fmt: skip
    ET.SubElement(q, "defaultgrade").text = "1"
    if ex.form == "number":
        answer = _text(q, "answer", exact(ex.answer), fraction="100")
        ET.SubElement(answer, "tolerance").text = f"{ex.tolerance:g}"
    elif ex.form == "choice":
        ET.SubElement(q, "single").text = "true"
        ET.SubElement(q, "shuffleanswers").text = "false"
        ET.SubElement(q, "answernumbering").text = "abc"
        for choice in ex.choices:
            _text(q, "answer", choice, fraction="100" if choice == ex.answer else "0")
    return q
