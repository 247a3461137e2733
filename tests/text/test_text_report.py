"""A text run's report: accuracy by length, the kernels' n-grams, coloured sentences, mistakes."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from cnnlab.data.textsets import decode
from cnnlab.main import app
from cnnlab.text.predict import accuracy_by_length
from cnnlab.text.report import write_text_report


def sections(html: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', html)


def test_text_report_has_its_own_sections(text_run, tmp_path):
    path = write_text_report(text_run, tmp_path / "r.html", lang="en")
    html = path.read_text(encoding="utf-8")
    assert sections(html) == ["summary", "data", "curves", "metrics", "confusion", "lengths",
                              "kernels", "features", "mistakes", "reproduce"]  # fmt: skip
    assert "Accuracy by text length" in html and "≤20" in html
    assert html.count("<img") >= 1 + 1 + 3  # curves, n-grams, three coloured sentences
    assert "not an image" not in html.lower()
    for sid in ("lengths", "kernels", "features", "mistakes"):
        assert f'href="#{sid}"' in html  # each in the table of contents


def test_length_table_matches_a_direct_count(text_run):
    ds = text_run.dataset()
    texts = [decode(r) for r in ds.test.x]
    rows = {name: (acc, n) for name, acc, n in accuracy_by_length(text_run, texts, ds.test.y)}
    assert rows["≤20"][1] == len(texts)  # every sentence gives one piece of at most 20
    right = text_run.predict(ds.test.x, engine="torch").argmax(axis=1) == ds.test.y
    long = [i for i, t in enumerate(texts) if len(t) > 60]  # whole sentences: their own answer
    if long:
        assert rows[">60"] == (float(right[long].mean()), len(long))
    assert all(0 <= acc <= 1 for acc, _ in rows.values())


def test_report_command_writes_the_text_sections_in_spanish(text_run, tmp_path):
    out = tmp_path / "informe.html"
    result = CliRunner().invoke(app, ["report", str(text_run.path), "--out", str(out),
                                      "--lang", "es"])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Exactitud según el largo del texto" in html and "A qué responde cada kernel" in html


def test_an_image_run_keeps_its_image_sections(image_run, tmp_path):
    html = write_text_report(image_run, tmp_path / "r.html", lang="en").read_text("utf-8")
    assert sections(html)[5:9] == ["kernels", "features", "cam", "mistakes"]
