"""Exercises as a teaching assistant uses them: in the terminal, as JSON, as a sheet for a
roster of 30 (printed to PDF by headless Chromium), graded from a CSV, exported to Moodle."""

from __future__ import annotations

import csv
import json
import re
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from cnnlab.exercises import KINDS, make
from cnnlab.exercises.core import read_number
from cnnlab.exercises.grade import grade, moodle_xml, read_answers
from cnnlab.exercises.sheet import Sheet, load_sheet
from cnnlab.main import app

runner = CliRunner()


def test_json_has_the_documented_fields():
    result = runner.invoke(app, ["exercise", "conv-cell", "--seed", "5", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"kind", "seed", "level", "question", "data", "answer", "solution"} <= set(data)
    d = data["data"]
    assert {"image", "kernel", "stride", "padding", "mode", "cell"} <= set(d)
    assert isinstance(d["image"][0], list) and len(d["cell"]) == 2
    assert data["answer"] == make("conv-cell", 5).answer
    assert data["solution"][-1].replace("−", "-").endswith(str(data["answer"]))


def test_terminal_gives_a_hint_then_the_solution():
    ex = make("output-size", 3)
    wrong = runner.invoke(app, ["exercise", "output-size", "--seed", "3"], input="9999\n9998\n")
    assert "Hint:" in wrong.output and f"Answer: {ex.answer}" in wrong.output
    right = runner.invoke(app, ["exercise", "output-size", "--seed", "3", "--lang", "es"],
                          input=f"{ex.answer}\n")  # fmt: skip
    assert "¡Correcto!" in right.output and "Pista" not in right.output


def test_bad_kind_and_level_are_one_line_errors():
    result = runner.invoke(app, ["exercise", "conv-cel"])
    assert result.exit_code == 2 and "conv-cell" in result.output
    result = runner.invoke(app, ["exercise", "pooling", "--level", "expert"])
    assert result.exit_code == 2 and "unknown level" in result.output


@pytest.mark.parametrize(
    ("typed", "lang", "value"),
    [("1,5", "es", 1.5), ("1.5", "es", 1.5), ("61.706", "es", 61706), ("61,706", "en", 61706),
     (" −2,25 ", "es", -2.25), ("12", "en", 12)],
)  # fmt: skip
def test_numbers_are_read_as_people_write_them(typed, lang, value):
    assert read_number(typed, lang) == value


@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    path = tmp_path_factory.mktemp("class") / "roster.csv"
    lines = ["id,name"] + [f"s{i:02d},Student {i}" for i in range(30)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sheet_files(roster, tmp_path_factory):
    out = tmp_path_factory.mktemp("sheets") / "guia.html"
    result = runner.invoke(
        app,
        [
            "exercise",
            "sheet",
            "--count",
            "9",
            "--seed",
            "13",
            "--students",
            str(roster),
            "--lang",
            "es",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_one_different_sheet_per_student_regenerated_from_the_manifest(sheet_files):
    sheet = load_sheet(sheet_files)
    assert len(sheet.students) == 30 and sheet.lang == "es"
    first, second = sheet.questions("s00"), sheet.questions("s01")
    assert [q.kind for q in first] == [q.kind for q in second] == list(KINDS)  # equally hard
    assert first != second
    again = Sheet(13, 9, tuple(KINDS), "easy", "es", sheet.students)
    assert again.questions("s07") == sheet.questions("s07")  # same seed, same sheet
    html = sheet_files.read_text(encoding="utf-8")
    assert html.count('class="student"') == 30 and "Pregunta 9" in html
    assert "<script" not in html and "http" not in html.split("</style>")[1]
    solutions = sheet_files.with_name("guia-solutions.html").read_text(encoding="utf-8")
    assert "Respuesta:" in solutions


def test_sheet_prints_to_pdf_in_chromium(sheet_files, chromium, browser_args, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args)
        tab = browser.new_page()
        outside = []
        tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (outside.append(route.request.url), route.abort()))  # fmt: skip
        tab.goto(sheet_files.as_uri())
        pdf = tab.pdf(path=str(tmp_path / "guia.pdf"), format="A4")
        browser.close()
    assert pdf[:5] == b"%PDF-" and outside == []
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 30  # a page per student


def test_answers_are_graded_per_question(sheet_files, tmp_path):
    sheet = load_sheet(sheet_files)
    answers = tmp_path / "answers.csv"
    expected = {}
    with answers.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *(f"q{i + 1}" for i in range(9))])
        for k, (sid, _) in enumerate(sheet.students[:12]):
            row, marks = [], []
            for i, q in enumerate(sheet.questions(sid)):
                right = (i + k) % 3 != 0
                row.append(typed_answer(q) if right else "12345")
                marks.append(int(right))
            writer.writerow([sid, *row])
            expected[sid] = tuple(marks)
    with pytest.warns(UserWarning, match="18 student"):  # the rest of the roster answered nothing
        marks = grade(sheet, read_answers(answers, 9))
    assert dict(marks.rows) == expected
    result = runner.invoke(app, ["exercise", "grade", str(sheet_files), str(answers)])
    assert result.exit_code == 0 and "12" in result.output
    table = list(csv.reader(answers.with_name("answers-marks.csv").open(encoding="utf-8")))
    assert table[0][0] == "student" and table[0][-1] == "total"
    assert int(table[1][-1]) == sum(expected[table[1][0]])


def typed_answer(q) -> str:
    """The answer as a student writes it in Spanish: decimal comma, matrix rows with ;."""
    if q.form == "matrix":
        return "; ".join(" ".join(f"{v:g}".replace(".", ",") for v in row) for row in q.answer)
    if q.form == "choice":
        return "abcd"[q.choices.index(q.answer)]
    return f"{q.answer:g}".replace(".", ",")


def test_moodle_export_follows_the_question_format(tmp_path):
    sheet = Sheet(4, 9, tuple(KINDS), "medium", "en")
    root = ET.fromstring(moodle_xml(sheet))
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert len(questions) == 9
    for q in questions:
        kind = q.get("type")
        assert kind in ("numerical", "multichoice", "cloze")
        assert q.find("name/text").text and q.find("questiontext").get("format") == "html"
        if kind == "numerical":
            answer = q.find("answer")
            assert answer.get("fraction") == "100" and answer.find("tolerance") is not None
            float(answer.find("text").text)
        elif kind == "multichoice":
            fractions = sorted(a.get("fraction") for a in q.findall("answer"))
            assert fractions == ["0", "0", "0", "100"] and q.find("single").text == "true"
        else:
            assert "{1:NUMERICAL:=" in q.find("questiontext/text").text


def test_a_matrix_is_typed_row_by_row_in_the_terminal():
    ex = make("feature-map", 8)
    rows = "\n".join(" ".join(f"{v:g}" for v in row) for row in ex.answer) + "\n"
    result = runner.invoke(app, ["exercise", "feature-map", "--seed", "8"], input=rows)
    assert "Row 2" in result.output and "Right!" in result.output


def test_which_kernel_shows_pictures_on_the_sheet():
    html = Sheet(2, 1, ("which-kernel",), "easy", "en").questions()[0]
    from cnnlab.exercises.sheet import exercise_html

    page = exercise_html(html, 1, "en")
    assert page.count("data:image/png;base64,") == 2 and "<ol" in page


def test_spreadsheet_csvs_are_read_as_they_come(tmp_path):
    from cnnlab.exercises.sheet import read_roster

    trailing = tmp_path / "excel.csv"
    trailing.write_bytes(b"id,name\r\n1,Ana,\r\n2,Bruno,\r\n")
    assert read_roster(trailing) == (("1", "Ana"), ("2", "Bruno"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id;nombre\n1;Ana Pérez\n".encode("cp1252"))
    assert read_roster(latin) == (("1", "Ana Pérez"),)
    twice = tmp_path / "twice.csv"
    twice.write_text("id,name\n7,A\n7,B\n")
    result = runner.invoke(app, ["exercise", "sheet", "--students", str(twice)])
    assert result.exit_code == 2 and "'7'" in result.output


def test_grading_refuses_what_it_cannot_grade(sheet_files, tmp_path):
    wrong_columns = tmp_path / "p.csv"
    wrong_columns.write_text("student,p1,p2\ns00,12,-3\n")
    result = runner.invoke(app, ["exercise", "grade", str(sheet_files), str(wrong_columns)])
    assert result.exit_code == 2 and "q1" in result.output and "Traceback" not in result.output
    broken = tmp_path / "broken.html"
    broken.with_suffix(".json").write_text("{not json")
    result = runner.invoke(app, ["exercise", "grade", str(broken), str(wrong_columns)])
    assert result.exit_code == 2 and "manifest" in result.output


def test_moodle_numbers_are_written_in_full():
    from cnnlab.exercises.grade import exact

    assert exact(1117194.0) == "1117194" and exact(5.33) == "5.33" and exact(-4) == "-4"


def test_negative_seeds_and_unreadable_answers():
    result = runner.invoke(app, ["exercise", "pooling", "--seed", "-1"])
    assert result.exit_code == 2 and "seed must be a whole number >= 0" in result.output
    ex = make("output-size", 1)
    typed = f"18 rows\n{ex.answer}\n"
    result = runner.invoke(app, ["exercise", "output-size", "--seed", "1"], input=typed)
    assert "does not count" in result.output and "Right!" in result.output
    assert ex.verdict("18 rows") is None and ex.verdict(f"–{ex.answer}") is False


def test_answers_written_like_the_solution_or_ambiguous_thousands_are_right():
    ex = make("feature-map", 1)
    printed = "[" + "; ".join(" ".join(str(v) for v in row) for row in ex.answer) + "]"
    assert ex.check(printed) and ex.check(str(ex.answer))
    big = next(make("parameters", s, "medium") for s in range(200)
               if make("parameters", s, "medium").answer >= 100_000)  # fmt: skip
    assert big.check(f"{big.answer:,}", "es")  # 269,322 typed in a Spanish course in Mexico


def test_gradient_hint_keeps_its_indices_in_the_terminal():
    result = runner.invoke(app, ["exercise", "gradient", "--seed", "1"], input="9999\n9998\n")
    assert "w[i][j]" in result.output and "x[r+i][c+j]" in result.output


def test_sheet_questions_are_out_of_the_practice_tabs_reach():
    from cnnlab.exercises.sheet import SHEET_SEEDS
    from cnnlab.web.practice import practice

    sheet = Sheet(3, 4, ("conv-cell",), "easy", "en", (("a1", "Ana"),))
    seeds = [q.seed for q in sheet.questions("a1")]
    assert all(s >= SHEET_SEEDS for s in seeds)
    assert "at most" in practice("conv-cell", "easy", seeds[0], "", "", b"key").message
    secret = Sheet(3, 4, ("conv-cell",), "easy", "en", (("a1", "Ana"),), secret="k3y")
    assert [q.seed for q in secret.questions("a1")] != seeds  # only the manifest regenerates it
    assert Sheet.from_json(secret.to_json()).questions("a1") == secret.questions("a1")


def test_odd_digits_as_a_choice_are_not_an_answer():
    ex = make("which-kernel", 1)
    assert ex.verdict("²") is None and ex.verdict("③") is None and ex.verdict("9" * 5000) is None


def test_forty_students_print_the_pages_the_command_counts(chromium, browser_args, tmp_path):
    """The title once per student, questions several to a page and never split, each student
    on a new page: the A4 PDF has exactly the pages per student that the command printed."""
    sync_api = pytest.importorskip("playwright.sync_api")
    roster = tmp_path / "lista.csv"
    roster.write_text("id;nombre\n" + "".join(f"e{i:02d};Estudiante {i}\n" for i in range(40)),
                      encoding="utf-8-sig")  # fmt: skip
    out = tmp_path / "guia.html"
    args = ["exercise", "sheet", "--count", "10", "--seed", "29", "--students", str(roster),
            "--lang", "es", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    found = re.search(
        r"(\d+) página\(s\) por estudiante \(40 estudiante\(s\), (\d+) páginas", result.output
    )
    assert found, result.output
    per_student, total = int(found[1]), int(found[2])
    assert total == 40 * per_student and per_student < 10  # several questions to a page
    html = out.read_text(encoding="utf-8")
    assert html.count("<h1>") == 40 and html.count('class="sheet-page"') == total
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args)
        tab = browser.new_page()
        tab.goto(out.as_uri())
        tops = tab.evaluate("Array.from(document.querySelectorAll('.q')).map(q => "
                            "q.getBoundingClientRect().height)")  # fmt: skip
        pdf = tab.pdf(path=str(tmp_path / "guia.pdf"), format="A4")
        browser.close()
    assert len(tops) == 400
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == total
