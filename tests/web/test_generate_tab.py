"""The Generate tab: its handler, its event's limits, and the tab in Chromium."""

from __future__ import annotations

import json

import pytest

from cnnlab.web.api import Lab, compute, info, run_ids
from cnnlab.web.generating import generate_digits
from cnnlab.web.limits import LIMITS
from cnnlab.web.server import start_background

WAIT_MS = 30_000


def ask(lab: Lab, body: dict, lang: str = "en") -> dict:
    return json.loads(compute(lab, lang, "generate", json.dumps(body).encode()))


def test_digits_and_morph_from_the_handler(web_gen):
    view = generate_digits(web_gen, 7, "", 3, 10, "en")
    assert view.message == "" and view.grid is not None and view.frames == ()
    assert "10 digits of label 7" in view.note
    again = generate_digits(web_gen, 7, "", 3, 10, "en")
    assert (again.grid == view.grid).all()  # same seed, same digits
    walk = generate_digits(web_gen, 3, "8", 0, 1, "es")
    assert len(walk.frames) == LIMITS.gen_steps and "De 3 a 8" in walk.note


def test_the_event_checks_every_field_before_decoding(web_gen):
    lab = Lab("en", {}, generators=run_ids([web_gen]))
    assert info(lab, "en")["generators"] == ["digits-vae"]
    good = ask(lab, {"label": 2, "count": 4})
    assert good["message"] == "" and good["grid"].startswith("data:image/png;base64,")
    cases = [({"count": LIMITS.gen_count + 1}, "the number of digits is over the lab's limit"),
             ({"label": 10}, "labels 0..9"), ({"seed": 2**40}, "the seed is over"),
             ({"morph_to": "x"}, "morph_to must be a whole number"),
             ({"generator": "../etc"}, "expected one of: digits-vae")]  # fmt: skip
    for body, words in cases:
        answer = ask(lab, body)
        assert words in answer["message"] and not answer.get("grid"), (body, answer["message"])
    spanish = ask(lab, {"count": 999}, "es")["message"]
    assert "supera el límite del laboratorio" in spanish and "999" in spanish
    none = ask(Lab("en", {}), {"label": 1})
    assert "No generator is loaded" in none["message"]


@pytest.mark.browser
@pytest.mark.slow
def test_generate_tab_in_chromium(web_run, web_gen, chromium, browser_args, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    server = start_background("127.0.0.1", 0, "en", [web_run, web_gen])
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=browser_args)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.url + "/en/", timeout=WAIT_MS)
            page.get_by_role("tab", name="Generate").click()
            page.get_by_label("Label", exact=True).fill("5")
            page.locator("#gen-make").click()
            page.locator("#gen-note").get_by_text("16 digits of label 5").wait_for(timeout=WAIT_MS)
            assert page.locator("#gen-grid").get_attribute("src").startswith("data:image/png")
            page.screenshot(path=tmp_path / "generate.png", full_page=True)
            page.get_by_label("Morph into (label)").fill("9")
            page.locator("#gen-morph-go").click()
            page.locator("#gen-note").get_by_text("From 5 to 9").wait_for(timeout=WAIT_MS)
            frame = page.locator("#gen-frame")
            first = frame.get_attribute("src")
            page.wait_for_function(  # the morph plays: the frame changes by itself
                "first => document.getElementById('gen-frame').src !== first", arg=first,
                timeout=WAIT_MS)  # fmt: skip
            page.screenshot(path=tmp_path / "generate-morph.png", full_page=True)
            page.get_by_label("How many").fill("5000")
            page.locator("#gen-make").click()
            page.locator("#gen-error").get_by_text("over the lab's limit").wait_for(timeout=WAIT_MS)
            page.goto(server.url + "/es/", timeout=WAIT_MS)
            page.get_by_role("tab", name="Genera").click()
            page.locator("#gen-make").click()
            page.locator("#gen-note").get_by_text("dígitos de la etiqueta 3").wait_for(
                timeout=WAIT_MS)  # fmt: skip
            page.screenshot(path=tmp_path / "genera-es.png", full_page=True)
            browser.close()
        assert errors == []
    finally:
        server.stop()
