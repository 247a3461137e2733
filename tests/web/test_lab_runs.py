"""The Draw tab's default pair: trained once into the cache, then loaded, never half-written."""

from __future__ import annotations

from cnnlab.web.drawing import is_cnn
from cnnlab.web.lab_runs import lab_folder, lab_runs


def test_trained_once_then_loaded_from_the_cache(tmp_path):
    lines: list[str] = []
    first = lab_runs(tmp_path, lines.append, dataset="digits", epochs=1)
    assert [r.path.name for r in first] == ["digits-small-cnn", "digits-mlp"]
    assert [is_cnn(r) for r in first] == [True, False]
    assert any("training the lab's small-cnn" in line for line in lines)
    assert any("epoch 1 done" in line for line in lines)
    assert all(r.metrics and r.metrics[-1]["test_acc"] > 0.5 for r in first)
    again: list[str] = []
    second = lab_runs(tmp_path, again.append, dataset="digits", epochs=1)
    assert again == [] and [r.path for r in second] == [r.path for r in first]
    leftovers = [p.name for p in lab_folder(tmp_path).iterdir() if p.name.startswith(".")]
    assert leftovers == []  # trained in a temporary folder, renamed when complete


def test_a_damaged_cached_run_is_trained_again(tmp_path):
    run = lab_runs(tmp_path, dataset="digits", epochs=1)[1]
    (run.path / "config.json").write_text("{broken")
    lines: list[str] = []
    fixed = lab_runs(tmp_path, lines.append, dataset="digits", epochs=1)[1]
    assert any("training the lab's mlp" in line for line in lines)
    assert fixed.config["model"] == "mlp"


def test_the_generate_tabs_model_is_trained_once_then_loaded(tmp_path):
    from cnnlab.train.objectives import is_generative
    from cnnlab.web.lab_runs import lab_generator

    tiny = "flatten label dense(32) relu latent(2) dense(64) sigmoid reshape(1,8,8)"
    lines: list[str] = []
    first = lab_generator(tmp_path, lines.append, dataset="digits", model=tiny, epochs=1)
    assert is_generative(first.model) and first.path.name == "digits-generator"
    assert any("training the lab's generator" in line for line in lines)
    again: list[str] = []
    second = lab_generator(tmp_path, again.append, dataset="digits", model=tiny, epochs=1)
    assert again == [] and second.path == first.path


def test_with_an_empty_cache_the_shipped_models_answer_without_training(tmp_path, monkeypatch):
    from cnnlab import shipped
    from cnnlab.web.lab_runs import choose_runs

    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    lines: list[str] = []
    runs = choose_runs([], None, lines.append)
    assert lines == []  # nothing trained, nothing to wait for
    names = ["lab-small-cnn", "lab-mlp", "conv-vae", "char-cnn"]
    assert [r.path for r in runs] == [shipped.folder(n) for n in names]
    assert not lab_folder(tmp_path).exists()


def test_retrain_trains_again_over_a_cached_run(tmp_path):
    first = lab_runs(tmp_path, dataset="digits", epochs=1)
    lines: list[str] = []
    again = lab_runs(tmp_path, lines.append, dataset="digits", epochs=1, retrain=True)
    assert any("training the lab's small-cnn" in line for line in lines)
    assert [r.path for r in again] == [r.path for r in first]
