"""The HTML report: every section, embedded images, no outside links; and the viz commands."""

from __future__ import annotations

import html
import re
import shlex
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.viz.report import SECTIONS, write_report


@pytest.fixture(scope="module")
def reports(digits_run, tmp_path_factory):
    """The English report from the library, on a run whose model was first used inside
    torch.inference_mode (Grad-CAM must still work); the Spanish one from `cnnlab report`."""
    import torch

    from cnnlab.train import load_run

    folder = tmp_path_factory.mktemp("reports") / "run"
    shutil.copytree(digits_run.path, folder)
    run = load_run(folder)
    with torch.inference_mode():
        run.predict(run.dataset().test.x[:1])
    english = write_report(run, folder / "report-en.html", "en")
    result = CliRunner().invoke(app, ["report", str(folder), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "escrito" in result.output and str(folder / "report.html") in result.output
    return {"en": english, "es": folder / "report.html"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_report_has_every_section_and_embeds_images(reports, lang):
    html = reports[lang].read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f'<section id="{sid}"' in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert all(s.startswith("data:image/png;base64,") for s in images)
    # growth, samples, curves, confusion, kernels, 3 feature maps + pooling, cams, mistakes
    assert len(images) == 11
    for sid in ("data", "curves", "confusion", "kernels", "features", "cam", "mistakes"):
        part = html.split(f'<section id="{sid}"')[1].split("</section>")[0]
        assert "data:image/png;base64," in part, sid
    links = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert links and not [u for u in links if u.startswith(("http://", "https://", "//"))]
    assert "<script" not in html and "@media print" in html
    assert f'<html lang="{lang}">' in html
    word = {"en": "Confusion matrix", "es": "Matriz de confusión"}[lang]
    assert word in html
    repro = html.split('<section id="reproduce"')[1]
    for key in ("cnnlab train", "seed", "torch", "numpy", "python", "cpu", "threads"):
        assert key in repro, key


def test_spanish_report_words_and_decimal_commas(reports, digits_run):
    html = reports["es"].read_text(encoding="utf-8")
    assert "Mapas de características" in html
    assert html.count("mapa de activación") == 1  # named once as a synonym
    assert "Mapas de activación" not in html
    assert "Grad-CAM" in html.split('<section id="cam"')[1]  # built after inference mode
    acc = digits_run.config["final"]["test_acc"]
    assert f"{100 * acc:.2f} %".replace(".", ",") in html
    english = reports["en"].read_text(encoding="utf-8")
    assert f"{100 * acc:.2f} %" in english and "Feature maps" in english


def test_curves_explain_that_label_smoothing_lifts_the_training_loss(reports, digits_run):
    assert digits_run.config["label_smoothing"] == 0.1  # the default the fixture trained with
    sentences = {
        "en": "The training loss is measured with label smoothing 0.1",
        "es": "La pérdida de entrenamiento se mide con suavizado de etiquetas 0,1",
    }
    for lang, sentence in sentences.items():
        curves = reports[lang].read_text(encoding="utf-8").split('<section id="curves"')[1]
        assert sentence in curves.split("</section>")[0]
    from cnnlab.viz.report import _curves

    plain = SimpleNamespace(config={**digits_run.config, "label_smoothing": 0.0},
                            metrics=digits_run.metrics)  # fmt: skip
    assert "label smoothing" not in _curves(plain, "en")


def test_report_escapes_text(digits_run):
    from cnnlab.viz.report import _reproduce

    run = digits_run
    saved = run.config["command"]
    run.config["command"] = "cnnlab train <script>alert(1)</script> & more"
    try:
        html = _reproduce(run, "en")
    finally:
        run.config["command"] = saved
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "cnnlab train --model 'conv(16,3" not in html


def test_equivalent_command_for_a_run_made_from_python(digits_run):
    from cnnlab.viz.report import _reproduce, equivalent_command

    cmd = equivalent_command(digits_run.config)
    model = shlex.quote(digits_run.config["model"])  # the fixture's spec string, quoted
    assert cmd.startswith(f"cnnlab train --model {model} --dataset digits --epochs 4 ")
    assert "--seed 0" in cmd and "--shift 0" in cmd and "--target-accuracy" not in cmd
    spec = equivalent_command({**digits_run.config, "model": "conv(8,3) relu flatten dense(10)"})
    assert "--model 'conv(8,3) relu flatten dense(10)'" in spec
    assert html.escape(cmd) in _reproduce(digits_run, "en")  # the run was made by fit()


def test_report_cli_refuses_a_folder_that_is_not_a_run(tmp_path):
    bad = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert bad.exit_code == 2 and "not a cnnlab run folder" in bad.output
    assert "Traceback" not in bad.output


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
        "growth.png",
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
    assert "31 frames for 306 output cells, 10 per frame" in result.output
    assert out.read_bytes()[:3] == b"GIF"
    bad = CliRunner().invoke(
        app, ["animate", "bidoof", "--kernel", "deck", "--every", "0", "--out", str(out), "--force"]
    )
    assert bad.exit_code == 2 and "every must be at least 1" in bad.output
    for args, message in (
        (["--out", str(tmp_path / "conv.avi")], "expected .gif or .mp4"),
        (["--fps", "0", "--out", str(tmp_path / "c.gif")], "fps must be positive"),
    ):
        bad = CliRunner().invoke(app, ["animate", "bidoof", "--kernel", "deck", *args])
        assert bad.exit_code == 2 and message in bad.output and "Traceback" not in bad.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conv.gif"]


@pytest.mark.browser
def test_report_in_headless_chromium(reports, chromium, browser_args, tmp_path):
    """Open each report offline, find every section, save a screenshot of each; then print it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            for lang, path in reports.items():
                page.goto(path.as_uri())
                for sid in SECTIONS:
                    section = page.locator(f"section#{sid}")
                    assert section.locator("h2").is_visible()
                    shot = tmp_path / f"report-{lang}-{sid}.png"
                    section.screenshot(path=str(shot))
                    assert shot.stat().st_size > 2000, sid
                broken = page.evaluate(
                    "Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).length"
                )
                assert broken == 0
                page.screenshot(path=str(tmp_path / f"report-{lang}.png"), full_page=True)
            assert all(u.startswith(("file:", "data:")) for u in requests)  # nothing fetched
            _check_print(page, reports["es"], tmp_path)
        finally:
            browser.close()


def _check_print(page, report: Path, tmp_path: Path) -> None:
    """As printed: the table of contents is hidden, every section still shows, and the A4 PDF
    has a page break before the feature maps."""
    page.goto(report.as_uri())
    page.emulate_media(media="print")
    assert page.locator("nav").is_hidden()
    for sid in SECTIONS:
        assert page.locator(f"section#{sid} h2").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#features')).breakBefore") in (
        "page",
        "always",
    )
    pdf = tmp_path / "report-es.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pdf.read_bytes()[:5] == b"%PDF-" and pages >= 4


def test_report_and_visualize_for_a_model_without_conv_layers(tmp_path):
    """Logistic regression on the digits: the report still has every section (the conv ones say
    why they are empty) and `visualize` explains what it can draw."""
    from cnnlab.train import TrainConfig, fit
    from cnnlab.viz.report import build_report

    run = fit(TrainConfig(model="logistic", dataset="digits", epochs=1, seed=0), out=tmp_path / "r")
    html = build_report(run, "es")
    for sid in SECTIONS:
        assert f'<section id="{sid}"' in html
    for sid in ("kernels", "features", "cam"):
        part = html.split(f'<section id="{sid}"')[1].split("</section>")[0]
        assert "no tiene capas convolucionales" in part and "<img" not in part
    assert "<img" in html.split('<section id="mistakes"')[1].split("</section>")[0]
    bad = CliRunner().invoke(app, ["visualize", str(run.path), "--out", str(tmp_path / "v")])
    assert bad.exit_code == 2 and "this model has none" in bad.output
    assert "--what growth" in bad.output
    ok = CliRunner().invoke(
        app, ["visualize", str(run.path), "--what", "growth", "--out", str(tmp_path / "v")]
    )
    assert ok.exit_code == 0 and ok.output.strip().endswith("growth.png")
