"""A loaded run's model stays differentiable and `train --lang` reaches the report."""

from __future__ import annotations

import torch
from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.train import load_run


def test_model_first_built_in_inference_mode_still_has_gradients(digits_run):
    run = load_run(digits_run.path)  # a fresh Run: its model is not built yet
    x = torch.rand(2, *run.input_shape)
    with torch.inference_mode():
        run.model(run.preprocess(x))  # first touch builds the model here
    out = run.model(run.preprocess(x))
    out.sum().backward()
    grads = [p.grad for p in run.model.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)


def test_train_passes_its_language_to_the_report(tmp_path, monkeypatch, make_config):
    from cnnlab.cli import train_cmds

    seen = {}

    def fake_write_report(run, out=None, lang=None):
        seen["lang"] = lang
        return run.path / "report.html"

    monkeypatch.setattr(train_cmds, "write_text_report", fake_write_report)
    args = ["train", "--model", make_config().model, "--dataset", "digits", "--epochs", "1"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "r"), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert seen == {"lang": "es"}
