"""The HTML report: every section, embedded images, no outside links; and the viz commands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cnnlab.cli import app
from cnnlab.viz.report import SECTIONS, write_report

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def reports(digits_run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    return {
        lang: write_report(digits_run, folder / f"report-{lang}.html", lang)
        for lang in ("en", "es")
    }


@pytest.mark.parametrize("lang", ["en", "es"])
def test_report_has_every_section_and_embeds_images(reports, lang):
    html = reports[lang].read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f'<section id="{sid}"' in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 7 and all(s.startswith("data:image/png;base64,") for s in images)
    links = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert links and not [u for u in links if u.startswith(("http://", "https://", "//"))]
    assert "<script" not in html and "@media print" in html
    assert f'<html lang="{lang}">' in html
    word = {"en": "Confusion matrix", "es": "Matriz de confusión"}[lang]
    assert word in html


def test_report_escapes_text(digits_run, tmp_path):
    run = digits_run
    saved = run.config["command"]
    run.config["command"] = "cnnlab train <script>alert(1)</script> & more"
    try:
        html = write_report(run, tmp_path / "r.html", "en").read_text(encoding="utf-8")
    finally:
        run.config["command"] = saved
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_report_default_path_and_cli(digits_run, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(digits_run.path, folder)
    result = CliRunner().invoke(app, ["report", str(folder), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").is_file() and "escrito" in result.output
    bad = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert bad.exit_code == 2 and "not a cnnlab run folder" in bad.output


def test_visualize_cli_writes_pngs(digits_run, tmp_path):
    out = tmp_path / "pics"
    result = CliRunner().invoke(
        app, ["visualize", str(digits_run.path), "--index", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(Path(p).name for p in result.output.split())
    assert names == [
        "cam.png",
        "features.png",
        "kernels_conv1.png",
        "kernels_conv2.png",
        "pooling.png",
    ]
    assert all((out / n).read_bytes()[:4] == b"\x89PNG" for n in names)
    result = CliRunner().invoke(
        app,
        [
            "visualize",
            str(digits_run.path),
            "--input",
            "bidoof",
            "--what",
            "cam",
            "--out",
            str(out / "b"),
        ],
    )
    assert result.exit_code == 0 and result.output.strip().endswith("cam.png")
    bad = CliRunner().invoke(
        app, ["visualize", str(digits_run.path), "--what", "kernel", "--out", str(out)]
    )
    assert bad.exit_code == 2 and "kernels" in bad.output


def test_animate_cli(tmp_path):
    out = tmp_path / "conv.gif"
    result = CliRunner().invoke(
        app, ["animate", "bidoof-worked", "--kernel", "deck", "--every", "10", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "31 frames for 306 output cells" in result.output and out.read_bytes()[:3] == b"GIF"
    bad = CliRunner().invoke(
        app, ["animate", "bidoof", "--kernel", "deck", "--every", "0", "--out", str(out)]
    )
    assert bad.exit_code == 2 and "every must be at least 1" in bad.output


@pytest.mark.browser
def test_report_in_headless_chromium(reports, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            for lang, path in reports.items():
                page.goto(path.as_uri())
                for sid in SECTIONS:
                    assert page.locator(f"section#{sid} h2").is_visible()
                broken = page.evaluate(
                    "Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).length"
                )
                assert broken == 0
                shot = tmp_path / f"report-{lang}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
            page.goto(reports["en"].as_uri())
            header = tmp_path / "header.png"
            page.locator("header").screenshot(path=str(header))
            assert header.stat().st_size > 1000
        finally:
            browser.close()
