"""Text in the CLI (predict --text, evaluate, visualize) and in the browser lab's Text tab."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.web import textlab
from cnnlab.web.api import EVENTS, Lab, compute, info
from cnnlab.web.limits import Limits
from cnnlab.web.server import start_background

WAIT_MS = 30_000


def cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_predict_text_prints_top_classes_as_table_and_json(text_run, tmp_path):
    done = cli("predict", text_run.path, "--text", "Wo ist die Bibliothek?", "--text",
               "Où est la bibliothèque ?", "--top", "2")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "Wo ist die Bibliothek?" in done.output and "#2" in done.output
    lines = tmp_path / "lines.txt"
    lines.write_text("Dove si trova la biblioteca?\n\nOnde fica a biblioteca?\n", encoding="utf-8")
    done = cli("predict", text_run.path, "--lines", lines, "--json")
    found = json.loads(done.output)
    assert [r["text"] for r in found] == ["Dove si trova la biblioteca?", "Onde fica a biblioteca?"]
    assert all(len(r["top"]) == 3 and r["top"][0]["prob"] >= r["top"][1]["prob"] for r in found)
    assert {r["top"][0]["class"] for r in found} <= set(text_run.classes)


def test_predict_and_visualize_refuse_bad_input_with_one_line(text_run, image_run):
    done = cli("predict", text_run.path, "--lang", "es")
    assert done.exit_code == 2 and "necesita imágenes, --text o --lines" in done.output
    done = cli("predict", image_run.path, "--text", "hola")
    assert done.exit_code == 2 and "is not a text run" in done.output


def test_evaluate_and_visualize_a_text_run(text_run, tmp_path):
    done = cli("evaluate", text_run.path, "--lang", "es")
    assert done.exit_code == 0, done.output
    assert "exactitud por longitud del texto" in done.output and "20-60" in done.output
    done = cli("visualize", text_run.path, "--out", tmp_path, "--text", "Wo ist die Bibliothek?")
    assert done.exit_code == 0, done.output
    for name in ("responses.png", "ngrams.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "kernel " in done.output


def test_text_event_answers_probabilities_and_coloured_characters(text_run, image_run):
    lab = Lab(runs={"t": text_run, "d": image_run})
    assert EVENTS["text"] == {"run": "choice", "text": "text"}
    listed = {r["id"]: r["text"] for r in info(lab, "en")["runs"]}
    assert listed == {"t": True, "d": False}
    answer = json.loads(compute(lab, "en", "text", json.dumps({"run": "t", "text": "Hola, amigo"})))
    assert len(answer["chars"]) == 11 and [c for c, _ in answer["chars"]] == list("Hola, amigo")
    assert max(s for _, s in answer["chars"]) == 1.0 and len(answer["kernels"]) == 3
    assert abs(sum(p for _, p in answer["probs"]) - 1) < 1e-4 and answer["message"] == ""
    answer = json.loads(compute(lab, "es", "text", json.dumps({"run": "d", "text": "hola"})))
    assert "se esperaba uno de: t." in answer["message"]  # the page is Spanish; runs: text only


def test_text_tab_limits_are_checked_before_any_work(text_run):
    view = textlab.read_text({"t": text_run}, "t", "a" * 51, "en", Limits(text_chars=50))
    assert "the text is over the lab's limit" in view.message and view.probs == ()
    assert "No text run is loaded" in textlab.read_text({}, "", "hola", "en").note
    assert textlab.read_text({"t": text_run}, "t", "  ", "es").note == "Escribe una frase."


@pytest.mark.browser
@pytest.mark.slow
def test_text_tab_in_chromium_updates_as_you_type(text_run, image_run, chromium, browser_args,
                                                  tmp_path):  # fmt: skip
    sync_api = pytest.importorskip("playwright.sync_api")
    server = start_background("127.0.0.1", 0, "es", [image_run, text_run])
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=browser_args)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.url + "/es/", timeout=WAIT_MS)
            page.get_by_role("tab", name="Texto").click()
            assert page.locator("#text-run option").all_inner_texts() == [
                f"{text_run.path.name} (CNN)"]  # fmt: skip
            assert page.locator("#draw-runs input").count() == 1  # the Draw tab: images only
            page.locator("#text-results .model-card").wait_for(timeout=WAIT_MS)
            page.locator("#text-input").fill("Wo ist die Bibliothek?")
            shown = (
                "() => document.getElementById('text-colored').textContent === "
                "'Wo ist die Bibliothek?'"
            )
            page.wait_for_function(shown, timeout=WAIT_MS)  # the answer to the typed sentence
            spans = page.locator("#text-colored span")
            assert "".join(spans.all_inner_texts()) == "Wo ist die Bibliothek?"
            strengths = [float(s.get_attribute("data-strength")) for s in spans.all()]
            assert max(strengths) == 1.0 and min(strengths) >= 0
            top = page.locator("#text-results .model-card").get_attribute("data-top")
            assert top in text_run.classes
            page.screenshot(path=tmp_path / "text-tab.png", full_page=True)
            page.locator("#text-input").fill("x" * 3000)
            page.get_by_text("el texto supera el límite del laboratorio").wait_for(timeout=WAIT_MS)
            assert errors == []
            browser.close()
    finally:
        server.stop()
