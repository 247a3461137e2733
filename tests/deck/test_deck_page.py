"""The walk-through page: every section in the deck's order, every claim judged, the worked
example checked, nothing fetched from outside, and it prints."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnnlab.deck.claims import CLAIMS, VERDICTS
from cnnlab.deck.page import ALL_SECTIONS
from cnnlab.i18n import tr
from cnnlab.main import app

DECK_TEXT = Path(__file__).with_name("deck-es.txt")  # the teaching deck (Spanish), as shipped
ORDER = ["mlp", "kernel", "worked", "layer", "pooling", "head", "applications", "conclusion"]


def test_sections_follow_the_deck(deck_pages):
    assert list(ALL_SECTIONS) == ORDER
    for html in (p.read_text(encoding="utf-8") for p in deck_pages["pages"].values()):
        found = re.findall(r'<section id="([a-z]+)"', html)
        assert found == ORDER


def test_progress_names_each_study_and_section(deck_pages):
    es, en = deck_pages["events"]["es"], deck_pages["events"]["en"]
    assert [i["name"] for e, i in es if e == "study"] == ["data", "compare", "pooling", "tabular"]
    assert [i["name"] for e, i in es if e == "section"] == ORDER
    assert any(e == "trial" for e, _ in es) == deck_pages["fresh"]  # trained once, then read
    assert not any(e == "trial" for e, _ in en)  # the second page read the studies back


def test_every_claim_has_one_verdict_row(deck_pages):
    for lang, path in deck_pages["pages"].items():
        html = path.read_text(encoding="utf-8")
        conclusion = html[html.index('<section id="conclusion"') :]
        rows = re.findall(r'<tr class="verdict ([a-z_]+)" id="claim-([a-z_]+)"', conclusion)
        assert [key for _, key in rows] == list(CLAIMS)
        assert {v for v, _ in rows} <= set(VERDICTS)
        labels = {tr(VERDICTS, v, lang) for v, _ in rows}
        assert all(f">{label}<" in conclusion for label in labels)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("*", "").lower()
    return re.sub(r"[^a-záéíóúñü ]+", " ", text)


def test_the_claims_quote_the_deck():
    """Each claim's key words are in the shipped deck text (no invented quotes)."""
    deck = " ".join(_plain(DECK_TEXT.read_text(encoding="utf-8")).split())
    for key, claim in CLAIMS.items():
        words = [w for w in _plain(claim["es"]).split() if len(w) > 5]
        missing = [w for w in words if w not in deck]
        assert len(missing) <= len(words) // 4, (key, missing)


def test_worked_example_is_checked_and_self_contained(deck_pages):
    html = deck_pages["pages"]["es"].read_text(encoding="utf-8")
    assert re.search(r"<p class=good>Comprobado: los \d+ valores", html)
    assert 'src="data:image/gif;base64,' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing links outside the page
    assert "<script" not in html
    en = deck_pages["pages"]["en"].read_text(encoding="utf-8")
    assert 'lang="en"' in en and "The deck says" in en and "La presentación dice" not in en


def test_spanish_page_writes_decimal_commas(deck_pages):
    html = deck_pages["pages"]["es"].read_text(encoding="utf-8")
    table = html[html.index('<table class="verdicts">') :]
    assert re.search(r"\d,\d\d %", table) and not re.search(r"\d\.\d\d %", table)


@pytest.mark.browser
def test_page_in_headless_chromium(deck_pages, chromium, browser_args, tmp_path):
    from playwright.sync_api import sync_playwright

    path = deck_pages["pages"]["es"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            for sid in ORDER:
                assert page.locator(f"section#{sid} h2").is_visible(), sid
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).length"
            )
            assert broken == 0 and page.evaluate("document.images.length") >= 8
            assert all(u.startswith(("file:", "data:")) for u in requests)
            page.emulate_media(media="print")
            assert page.locator("nav").is_hidden()
            pdf = tmp_path / "deck.pdf"
            page.pdf(path=str(pdf), format="A4")
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
            assert pdf.read_bytes()[:5] == b"%PDF-" and pages >= 6
        finally:
            browser.close()


def test_cli_reads_back_and_refuses_bad_input(deck_pages, tmp_path):
    out = deck_pages["out"]
    args = ["deck", "--quick", "--dataset", "digits", "--out", str(out)]
    done = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "deck: section [8/8] conclusion" in done.output
    assert f"page written: {out / 'index.html'}" in done.output
    assert "test accuracy" not in done.output  # nothing trained again
    bad = CliRunner().invoke(app, ["deck", "--dataset", "mnist1d", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "Received: dataset='mnist1d'" in bad.output
    assert len(bad.output.strip().splitlines()) == 1 and not any(tmp_path.iterdir())


def test_both_languages_from_the_same_studies_link_each_other(deck_pages):
    out = deck_pages["out"]
    args = ["deck", "--quick", "--dataset", "digits", "--out", str(out), "--lang", "en"]
    done = CliRunner().invoke(app, [*args, "--both-languages"])
    assert done.exit_code == 0, done.output
    assert "test accuracy" not in done.output  # nothing trained again
    en = (out / "index.html").read_text(encoding="utf-8")
    es = (out / "index-es.html").read_text(encoding="utf-8")
    assert '<a href="index-es.html" hreflang="es">Esta página en español</a>' in en
    assert '<a href="index.html" hreflang="en">This page in English</a>' in es
    assert 'lang="es"' in es and "La presentación dice" in es
    alone = deck_pages["pages"]["en"].read_text(encoding="utf-8")  # written without the flag
    assert "Esta página en español: cnnlab" in alone and "--both-languages" in alone
