"""The page's applications come from the default runs (trained here, else shipped), never
trained by the page itself; without any the page gives the command that makes each."""

from __future__ import annotations

from cnnlab import shipped
from cnnlab.data.cache import lab_dir
from cnnlab.deck import applications as A
from cnnlab.train import TrainConfig, fit

TINY_GEN = "flatten dense(32) relu latent(4) dense(32) relu dense(64) sigmoid reshape(1,8,8)"


def test_generation_uses_the_shipped_generator_then_a_cached_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    assert str(shipped.folder("conv-vae")) in A.generation("en")
    monkeypatch.setattr(shipped, "HERE", tmp_path / "no-shipped-models")
    assert A.generation("en") is None  # nothing at all: the page shows the command instead
    fit(TrainConfig(model=TINY_GEN, dataset="digits", epochs=1, threads=1),
        out=lab_dir() / "mnist-conv-vae")  # fmt: skip
    html = A.generation("es")
    assert html is not None and html.count('src="data:image/png;base64,') == 1
    assert "Ocho dígitos de cada clase" in html and str(tmp_path) in html


def test_detection_shows_nothing_without_a_face_finder(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    assert A.detection("es").count('src="data:image/png;base64,') == 1  # the shipped one
    monkeypatch.setattr(shipped, "HERE", tmp_path / "no-shipped-models")
    assert A.detection("es") is None
    assert not any(tmp_path.iterdir())  # looked, never trained


def test_every_application_has_a_command():
    keys = list(A.FINDERS)
    assert keys == ["app_detection", "app_generation", "app_language"]
    assert all(command.startswith("cnnlab ") for _, command in A.FINDERS.values())


def test_language_reads_the_trained_char_cnn(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    assert str(shipped.folder("char-cnn")) in A.language("en")
    monkeypatch.setattr(shipped, "HERE", tmp_path / "no-shipped-models")
    assert A.language("en") is None
    sample = Path(__file__).resolve().parents[1] / "text" / "sample"
    spec = "embedding(8) conv1d(16,3,padding=1) relu globalmaxpool dense"
    fit(TrainConfig(model=spec, dataset=f"textfolder:{sample}", epochs=2, batch_size=32,
                    threads=1), out=tmp_path / "runs" / "languages-char-cnn")  # fmt: skip
    html = A.language("es")
    assert html is not None and html.count("<tr>") == 1 + len(A.SENTENCES)
    assert "¿Dónde está la biblioteca?" in html and " %</td>" in html
