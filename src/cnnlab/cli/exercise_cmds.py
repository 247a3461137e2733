"""CLI command for practice: ``cnnlab exercise`` (one exercise in the terminal, or ``--json``),
``cnnlab exercise sheet`` (problem sheets for a roster) and ``cnnlab exercise grade``."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from cnnlab.cli.app import LangOption, app, guarded
from cnnlab.cli.ops_render import matrix_table, show
from cnnlab.errors import InvalidArgumentError
from cnnlab.exercises import KINDS, Exercise, make
from cnnlab.exercises import text as T
from cnnlab.exercises.grade import grade, moodle_xml, read_answers, write_marks
from cnnlab.exercises.sheet import (
    Sheet,
    load_sheet,
    page_counts,
    read_roster,
    shown_matrices,
    write_sheet,
)
from cnnlab.fileio import atomic_write_text
from cnnlab.i18n import N_, _, fixed, resolve_lang, tr, unknown_name

TEXT = {
    "right": N_("Right!"),
    "wrong": N_("Not quite. Hint: {hint}"),
    "prompt": N_("Your answer"),
    "row": N_("Row {n}"),
    "wrong_again": N_("Not this time either."),
    "unreadable": N_(
        "“{typed}” is not an answer of the expected form (a number such as 12 or 1.5, a "
        "matrix such as 1 2; 3 4, or a letter); try again, this does not count."
    ),
    "matrix_note": N_(
        "(a matrix: type it row by row, or whole with rows separated by ;, e.g. 1 2; 3 4)"
    ),
    "seed": N_("{kind}, level {level}, seed {seed}"),
    "written": N_("written: {files}"),
    "pages": N_(
        "printed on A4: {pages} page(s) per student ({students} student(s), "
        "{total} pages; solutions: {solved} per student)"
    ),
    "graded": N_("{n} students graded, mean {mean} of {count}: {files}"),
}
ACTIONS = ("sheet", "grade")

WhatArg = Annotated[
    str | None,
    typer.Argument(help=f"An exercise kind ({', '.join(KINDS)}), or sheet, or grade."),
]
FilesArg = Annotated[list[str] | None, typer.Argument(help="grade: SHEET.html ANSWERS.csv.")]
LevelOpt = Annotated[str, typer.Option(help="easy, medium or hard.")]
SeedOpt = Annotated[int | None, typer.Option(help="Seed (default: a new one, printed).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the exercise as JSON.")]
CountOpt = Annotated[int, typer.Option(help="sheet: questions per sheet.")]
KindsOpt = Annotated[str | None, typer.Option(help="sheet: comma-separated kinds (default all).")]
StudentsOpt = Annotated[Path | None, typer.Option(help="sheet: roster CSV (id,name).")]
OutOpt = Annotated[Path | None, typer.Option(help="sheet/grade: output file.")]
FormatOpt = Annotated[str, typer.Option("--format", help="sheet: html or moodle-xml.")]
SecretOpt = Annotated[
    str | None,
    typer.Option(help="sheet: a word kept out of students' hands; then only the .json "
                      "manifest regenerates the questions."),
]  # fmt: skip


@app.command("exercise")
@guarded
def exercise(
    what: WhatArg = None,
    files: FilesArg = None,
    level: LevelOpt = "easy",
    seed: SeedOpt = None,
    as_json: JsonOpt = False,
    count: CountOpt = 10,
    kinds: KindsOpt = None,
    students: StudentsOpt = None,
    out: OutOpt = None,
    fmt: FormatOpt = "html",
    secret: SecretOpt = None,
    lang: LangOption = None,
) -> None:
    """Practise by hand: an exercise checked in the terminal, problem sheets, grading."""
    lang = resolve_lang(lang)
    seed = secrets.randbelow(10**6) if seed is None else seed
    if what == "sheet":
        chosen = tuple(k.strip() for k in kinds.split(",")) if kinds else tuple(KINDS)
        roster = read_roster(students) if students else ()
        _sheet(Sheet(seed, count, chosen, level, lang, roster, secret or ""), out, fmt, lang)
    elif what == "grade":
        _grade(files or [], out, lang)
    else:
        kind = what or list(KINDS)[seed % len(KINDS)]
        if kind not in KINDS:
            raise unknown_name(N_("exercise kind"), kind, [*KINDS, *ACTIONS])
        ex = make(kind, seed, level)
        if as_json:
            typer.echo(json.dumps(ex.to_dict(lang), ensure_ascii=False, indent=1))
        else:
            _ask(ex, lang)


def _show(ex: Exercise, console: Console, lang: str) -> None:
    level = T.level_name(ex.level, lang)
    console.print(tr(TEXT, "seed", lang, kind=ex.kind, level=level, seed=ex.seed), style="dim",
                  markup=False)  # fmt: skip
    console.print(ex.question(lang), markup=False)
    for caption, rows in shown_matrices(ex, lang):
        show(console, matrix_table(np.array(rows, float), caption))
    for i, choice in enumerate(ex.choices):
        console.print(f"  {chr(ord('a') + i)}) {choice}")
    if ex.form == "matrix":
        console.print(tr(TEXT, "matrix_note", lang), style="dim")


def _ask(ex: Exercise, lang: str) -> None:
    """Two tries: a hint after the first wrong answer, the worked solution at the end."""
    console = Console(highlight=False)
    _show(ex, console, lang)
    tries = 0
    while tries < 2:
        try:
            typed = _typed(ex, lang)
        except (EOFError, typer.Abort):
            break
        verdict = ex.verdict(typed, lang)
        if verdict is None:  # not read as an answer: say so, no try is used
            console.print(tr(TEXT, "unreadable", lang, typed=typed[:40]), markup=False)
            continue
        if verdict:
            console.print(tr(TEXT, "right", lang), style="bold green")
            break
        tries += 1
        key = "wrong" if tries == 1 else "wrong_again"
        console.print(tr(TEXT, key, lang, hint=ex.hint(lang)), style="yellow", markup=False)
    console.print(f"[bold]{T.label('solution', lang)}[/bold]")
    for line in ex.solution(lang):
        console.print("  " + line, markup=False)


def _typed(ex: Exercise, lang: str) -> str:
    """One answer; a matrix row by row (or whole on the first line, rows separated by ;)."""
    if ex.form != "matrix":
        return typer.prompt(tr(TEXT, "prompt", lang))
    rows = [typer.prompt(tr(TEXT, "row", lang, n=1))]
    while ";" not in rows[0] and len(rows) < len(ex.answer):
        rows.append(typer.prompt(tr(TEXT, "row", lang, n=len(rows) + 1)))
    return "; ".join(rows)


def _sheet(sheet: Sheet, out: Path | None, fmt: str, lang: str) -> None:
    if fmt not in ("html", "moodle-xml"):
        raise unknown_name(N_("sheet format"), fmt, ("html", "moodle-xml"))
    suffix = out.suffix.lower() if out else ""
    fmt = "moodle-xml" if suffix == ".xml" else fmt
    if suffix not in ("", ".html", ".htm", ".xml"):
        raise InvalidArgumentError(
            _(
                "--out names the sheet's page; expected a .html file (or .xml for Moodle). "
                "Received: {out}",
                out=out,
            )
        )
    if fmt == "moodle-xml":
        target = out or Path("runs") / f"sheet-{sheet.seed}.xml"
        atomic_write_text(target, moodle_xml(sheet))
        written = [target]
    else:
        written = write_sheet(sheet, out or Path("runs") / f"sheet-{sheet.seed}.html")
    typer.echo(tr(TEXT, "written", lang, files=", ".join(map(str, written))))
    if fmt != "moodle-xml":
        counts, solved = page_counts(sheet), page_counts(sheet, solved=True)
        typer.echo(tr(TEXT, "pages", lang, pages=_span(counts), students=len(counts),
                      total=sum(counts), solved=_span(solved)))  # fmt: skip


def _span(counts: list[int]) -> str:
    """``3`` when every student's sheet has 3 pages, ``3–4`` when they differ."""
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def _grade(files: list[str], out: Path | None, lang: str) -> None:
    if len(files) != 2:
        raise InvalidArgumentError(
            _(
                "grade needs the sheet and the answers; expected cnnlab exercise grade SHEET.html "
                "ANSWERS.csv. Received: {n} file(s)",
                n=len(files),
            )
        )
    sheet = load_sheet(files[0])
    marks = grade(sheet, read_answers(files[1], sheet.count))
    target = out or Path(files[1]).with_name(Path(files[1]).stem + "-marks.csv")
    written = write_marks(marks, target, lang)
    mean = sum(sum(r) for _name, r in marks.rows) / max(1, len(marks.rows))
    typer.echo(tr(TEXT, "graded", lang, n=len(marks.rows), mean=fixed(mean, 1, lang),
                  count=sheet.count,
                  files=", ".join(map(str, written))))  # fmt: skip
