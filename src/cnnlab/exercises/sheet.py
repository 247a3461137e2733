"""Problem sheets: a printable HTML page of exercises (A4, self-contained) and its solutions, one
different but equally hard sheet per student of a roster, each question seeded by the student's
id and the sheet's seed so that grading regenerates it. A JSON manifest beside the page says how.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from cnnlab.delimited import read_delimited
from cnnlab.errors import InputFileError, InvalidArgumentError
from cnnlab.exercises import KINDS, make
from cnnlab.exercises import text as T
from cnnlab.exercises.core import Exercise, check_level
from cnnlab.fileio import atomic_write_text
from cnnlab.html import esc, page
from cnnlab.i18n import N_, _, resolve_lang, tr, unknown_name

WORDS = {
    "title": N_("CNN practice sheet"),
    "solutions": N_("Solutions"),
    "student": N_("Student"),
    "sheet_line": N_("Sheet seed {seed} · level {level} · {count} questions · cnnlab"),
    "write_here": N_("Answer:"),
    "question": N_("Question {n}"),
}

SHEET_CSS = """
.q { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
.q h3 { margin: 0 0 4px; font-size: 16px; }
.m { display: inline-table; margin: 4px 16px 4px 0; border-collapse: collapse; }
.m caption { font-size: 12px; color: #5b6475; text-align: left; }
.m td { border: 1px solid #9aa3b2; padding: 2px 7px; text-align: right; min-width: 22px;
        font-variant-numeric: tabular-nums; }
.blank { border-bottom: 1px solid #1d2330; width: 60%; height: 26px; }
section.student, div.sheet-page { break-after: page; page-break-after: always; }
section.student:last-child, div.sheet-page:last-child { break-after: auto; page-break-after: auto; }
figure.pic { display: inline-block; margin: 4px 16px 4px 0; }
figure.pic img { image-rendering: pixelated; border: 1px solid #9aa3b2; }
"""


@dataclass(frozen=True)
class Sheet:
    """What decides a sheet: its seed, questions, level, language and the roster (id, name)."""

    seed: int
    count: int = 10
    kinds: tuple[str, ...] = tuple(KINDS)
    level: str = "easy"
    lang: str = "en"
    students: tuple[tuple[str, str], ...] = ()  # empty: one sheet for everybody
    secret: str = ""  # with one, only the manifest regenerates the questions

    def __post_init__(self) -> None:
        for kind in self.kinds:
            if kind not in KINDS:
                raise unknown_name(N_("exercise kind"), kind, list(KINDS))
        check_level(self.level)
        if not 1 <= self.count <= 100:
            raise InvalidArgumentError(
                _("count must be between 1 and 100 questions. Received: count={count}",
                  count=self.count)
            )  # fmt: skip

    def ids(self) -> list[str]:
        return [sid for sid, _ in self.students] or [""]

    def questions(self, student: str = "") -> list[Exercise]:
        """The student's questions: the kinds in turn, each seeded by sheet seed, id and number."""
        return [make(self.kinds[i % len(self.kinds)],
                     question_seed(self.seed, student, i, self.secret), self.level)
                for i in range(self.count)]  # fmt: skip

    def to_json(self) -> str:
        return json.dumps({"cnnlab_sheet": 1, **asdict(self)}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        try:
            data = json.loads(text)
            if data.pop("cnnlab_sheet", None) != 1:
                raise KeyError("cnnlab_sheet")
            data["kinds"] = tuple(data["kinds"])
            data["students"] = tuple(tuple(s) for s in data["students"])
            return cls(**data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputFileError(
                _("the sheet manifest is damaged or not one; expected the .json that `cnnlab "
                  "exercise sheet` wrote. Received: {error}: {detail}",
                  error=type(exc).__name__, detail=str(exc)[:80])
            ) from None  # fmt: skip


def question_seed(sheet_seed: int, student: str, number: int, secret: str = "") -> int:
    """A question's seed from the sheet's, the student's id and its number (stable everywhere).

    Sheet seeds are 2**31 and above, outside what the lab's Practice tab accepts, so a class
    server cannot be asked for a sheet's solutions; with a ``secret`` (kept in the manifest, not
    on the page) nobody can regenerate a question without the manifest.
    """
    key = f"{sheet_seed}/{student}/{number}".encode()
    if secret:
        digest = hmac.new(secret.encode(), key, hashlib.sha256).digest()
        return SHEET_SEEDS | int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
    return SHEET_SEEDS | zlib.crc32(key) & 0x7FFFFFFF


SHEET_SEEDS = 1 << 31  # the first seed of sheet questions


def read_table(path: str | Path, what: str) -> tuple[list[str], list[dict[str, str]]]:
    """``(columns, rows)`` of a CSV as spreadsheets write it (read by :mod:`cnnlab.delimited`:
    ``,``, ``;``, tabs or spaces; UTF-8 with or without BOM, UTF-16, Windows-1252); column names
    lower-cased."""
    what = {"answer": _("answer"), "roster": _("roster")}.get(what, what)
    expected = _("expected a header row and one row per student")
    lines = [cells for _n, _line, cells in read_delimited(Path(path).read_bytes(), str(path),
                                                          expected).rows]  # fmt: skip
    if len(lines) < 2:
        raise InputFileError(
            _("{path} has no {what} rows; {expected}. Received: {count} non-empty line(s)",
              path=path, what=what, expected=expected, count=len(lines))
        )  # fmt: skip
    columns = [c.lower() for c in lines[0]]
    rows = [{c: (row[i] if i < len(row) else "") for i, c in enumerate(columns) if c}
            for row in lines[1:]]  # fmt: skip
    return columns, rows


def read_roster(path: str | Path) -> tuple[tuple[str, str], ...]:
    """``(id, name)`` per student from a CSV with an ``id`` column (``name``/``nombre``
    optional); ids must be unique."""
    columns, rows = read_table(path, "roster")
    if "id" not in columns:
        raise InputFileError(_("{path} is not a roster; expected a header row holding an id "
                               "column (and name). Received: columns {columns}", path=path,
                               columns=columns))  # fmt: skip
    out = [(row["id"], row.get("name") or row.get("nombre") or "") for row in rows]
    seen: set[str] = set()
    for sid, _name in out:
        if not sid or sid in seen:
            raise InputFileError(_("{path} has an empty or repeated id; expected one unique id "
                                   "per student. Received: {sid!r}", path=path,
                                   sid=sid))  # fmt: skip
        seen.add(sid)
    return tuple(out)


def matrix_html(rows, caption: str) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="m"><caption>{esc(caption)}</caption>{cells}</table>'


#: the matrices each kind shows, by data key
SHOWN = {"conv-cell": ("image", "kernel"), "feature-map": ("image", "kernel"),
         "correlate-vs-convolve": ("image", "kernel"), "pooling": ("map",),
         "which-kernel": ("image", "map"), "gradient": ("x", "w", "g")}  # fmt: skip


def picture_uri(rows, side: int = 120) -> str:
    """A small matrix as a gray PNG data URI (min → black, max → white, square pixels)."""
    arr = np.asarray(rows, float)
    span = float(arr.max() - arr.min()) or 1.0
    gray = np.rint(255 * (arr - arr.min()) / span).astype(np.uint8)
    factor = max(1, side // max(arr.shape))
    buf = io.BytesIO()
    Image.fromarray(np.kron(gray, np.ones((factor, factor), np.uint8))).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pictures_html(ex: Exercise, lang: str) -> str:
    """The picture and the map of a which-kernel exercise, as pictures (the tables give values)."""
    if ex.kind != "which-kernel":
        return ""
    return "".join(f'<figure class="pic"><img src="{picture_uri(ex.data[k])}" alt="{esc(k)}">'
                   f"<figcaption>{esc(T.label(k, lang))}</figcaption></figure>"
                   for k in ("image", "map"))  # fmt: skip


def shown_matrices(ex: Exercise, lang: str) -> list[tuple[str, list]]:
    """``(caption, rows)`` of every matrix a question shows; which-kernel adds its candidates."""
    out = [(T.label(key, lang), ex.data[key]) for key in SHOWN.get(ex.kind, ())]
    for i, name in enumerate(ex.data.get("kernels", {})):
        out.append((f"{chr(ord('a') + i)}) {name}", ex.data["kernels"][name]))
    return out


def exercise_html(ex: Exercise, n: int, lang: str, solved: bool = False) -> str:
    """One question: its text, matrices, choices, and the blank or the worked solution."""
    tables = pictures_html(ex, lang) + "".join(
        matrix_html([[T.fmt(v, lang) for v in row] for row in rows], caption)
        for caption, rows in shown_matrices(ex, lang)
    )
    choices = ""
    if ex.choices:
        items = "".join(f"<li>{esc(c)}</li>" for c in ex.choices)
        choices = f'<ol type="a">{items}</ol>'
    if solved:
        tail = "".join(f"<p>{esc(line)}</p>" for line in ex.solution(lang))
    else:
        tail = f'<p>{esc(tr(WORDS, "write_here", lang))}</p><div class="blank"></div>'
    head = esc(tr(WORDS, "question", lang, n=n))
    return (f'<div class="q"><h3>{head}</h3><p>{esc(ex.question(lang))}</p>{tables}{choices}'
            f"{tail}</div>")  # fmt: skip


#: the printed A4 page (``@page`` margins 14 mm × 12 mm, 11 pt text), in CSS pixels
PAGE_HEIGHT = 1016  # 269 mm of 297 mm
LINE = 22  # one line of 11 pt text at line-height 1.5
CHARS_PER_LINE = 70  # of question text across 186 mm, rounded down to be safe
HEAD_HEIGHT = 150  # the title, the student and the sheet's line on a student's first page
SAFETY = 1.12  # estimates are raised by this share so that a page never overflows


def _lines(text: str) -> int:
    return -(-len(text) // CHARS_PER_LINE)


def question_height(ex: Exercise, lang: str, solved: bool = False) -> float:
    """About how tall a printed question is (CSS px): heading, text, matrices side by side,
    pictures, choices and the answer line or the worked solution."""
    height = 70 + LINE * _lines(ex.question(lang))  # heading and margins, the question
    tables = shown_matrices(ex, lang)
    if tables:
        width = sum(40 * len(rows[0]) + 20 for _caption, rows in tables)
        rows_of_tables = -(-width // 680)
        height += rows_of_tables * (32 + 25 * max(len(rows) for _caption, rows in tables))
    if ex.kind == "which-kernel":
        height += 170  # the two pictures and their captions
    if ex.choices:
        height += 30 + LINE * len(ex.choices)
    if solved:
        height += sum(14 + LINE * _lines(line) for line in ex.solution(lang))
    else:
        height += 70  # "Answer:" and the line to write on
    return height * SAFETY


def pages_of(heights: list[float], first: float = HEAD_HEIGHT) -> list[list[int]]:
    """Questions (by index) on each page: in order, as many as fit, never one split."""
    pages: list[list[int]] = [[]]
    used = first
    for i, height in enumerate(heights):
        if pages[-1] and used + height > PAGE_HEIGHT:
            pages.append([])
            used = 0.0
        pages[-1].append(i)
        used += height
    return pages


def student_pages(sheet: Sheet, sid: str, solved: bool = False) -> list[list[Exercise]]:
    """The student's questions, page by page as the sheet prints them."""
    lang = resolve_lang(sheet.lang)
    questions = sheet.questions(sid)
    layout = pages_of([question_height(ex, lang, solved) for ex in questions])
    return [[questions[i] for i in page_] for page_ in layout]


def page_counts(sheet: Sheet, solved: bool = False) -> list[int]:
    """Printed pages of each student's sheet (of the one sheet without a roster)."""
    return [len(student_pages(sheet, sid, solved)) for sid in sheet.ids()]


def sheet_html(sheet: Sheet, solved: bool = False) -> str:
    """Every student's sheet (or the one sheet): the title once, then the questions flowing
    several to a page without splitting one; each student starts on a new page."""
    lang = resolve_lang(sheet.lang)
    title = tr(WORDS, "solutions" if solved else "title", lang)
    level = T.level_name(sheet.level, lang)
    line = tr(WORDS, "sheet_line", lang, seed=sheet.seed, level=level, count=sheet.count)
    parts = []
    for sid, name in sheet.students or (("", ""),):
        who = (
            f"<p><b>{esc(tr(WORDS, 'student', lang))}:</b> {esc(sid)} {esc(name)}</p>"
            if sid
            else ""
        )
        pages, n = [], 0
        for questions in student_pages(sheet, sid, solved):
            body = "".join(
                exercise_html(ex, n + i + 1, lang, solved) for i, ex in enumerate(questions)
            )
            pages.append(f'<div class="sheet-page">{body}</div>')
            n += len(questions)
        parts.append(f'<section class="student"><h1>{esc(title)}</h1>{who}'
                     f'<p class="note">{esc(line)}</p>{"".join(pages)}</section>')  # fmt: skip
    html = page(title, lang, "".join(parts))
    return html.replace("</style>", SHEET_CSS + "</style>", 1)


def write_sheet(sheet: Sheet, out: str | Path) -> list[Path]:
    """``out`` (the problems), ``…-solutions.html`` and ``….json`` (how to regenerate them)."""
    target = Path(out)
    solutions = target.with_name(f"{target.stem}-solutions{target.suffix or '.html'}")
    manifest = target.with_suffix(".json")
    atomic_write_text(target, sheet_html(sheet))
    atomic_write_text(solutions, sheet_html(sheet, solved=True))
    atomic_write_text(manifest, sheet.to_json())
    return [target, solutions, manifest]


def load_sheet(path: str | Path) -> Sheet:
    """The sheet behind a page or its manifest (``guia.html`` → ``guia.json``)."""
    manifest = Path(path).with_suffix(".json")
    if not manifest.is_file():
        raise InputFileError(_("no sheet manifest beside {path}; expected {name}, written by "
                               "`cnnlab exercise sheet`. Received: {path}", path=path,
                               name=manifest.name))  # fmt: skip
    return Sheet.from_json(manifest.read_text(encoding="utf-8"))
