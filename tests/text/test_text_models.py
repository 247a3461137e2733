"""Text runs: predicting, kernel responses, top n-grams, the study's scoring and shuffling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnlab.data import load
from cnnlab.data.textsets import decode
from cnnlab.errors import InvalidArgumentError, UnknownNameError
from cnnlab.text import is_text_run, kernel_view, predict_texts, read_lines, top_ngrams
from cnnlab.text.compare import HeldOut, score, shuffle_words, shuffled
from cnnlab.text.kernels import per_character, window_start
from cnnlab.text.tools import identifier


def test_a_small_char_cnn_learns_the_sample_far_above_chance(text_run, sample_dataset):
    ds = load(sample_dataset)
    probs = text_run.predict(ds.test.x, engine="torch")  # (60, 6)
    accuracy = float((probs.argmax(axis=1) == ds.test.y).mean())
    assert accuracy > 0.5  # chance is 1/6; the sample is 240 training sentences
    found = predict_texts(text_run, ["¿Dónde está la biblioteca?", "x"], top=3)
    assert [len(p.top) for p in found] == [3, 3]
    for p in found:
        values = [prob for _, prob in p.top]
        assert values == sorted(values, reverse=True) and abs(p.probs.sum() - 1) < 1e-5
        assert p.top[0] == (text_run.classes[int(np.argmax(p.probs))], pytest.approx(values[0]))
    assert found[0].to_dict()["top"][0]["class"] == found[0].top[0][0]


def test_image_runs_are_not_text_runs(text_run, tmp_path):
    assert is_text_run(text_run)

    class Fake:
        path, config = tmp_path, {"spec": "conv(8,3) relu flatten dense(10)"}

    assert not is_text_run(Fake())
    with pytest.raises(InvalidArgumentError, match="is not a text run"):
        predict_texts(Fake(), ["hola"])


def test_per_character_responses_follow_the_windows():
    conv = torch.nn.Conv1d(1, 1, 3, padding=1)
    assert window_start(conv, 0) == -1 and window_start(conv, 4) == 3
    act = np.array([[0.0, 5.0, 0.0, 1.0]])  # (C=1, L_out=4), windows start at -1, 0, 1, 2
    assert per_character(act, conv, 4).tolist() == [[5.0, 5.0, 5.0, 1.0]]
    strided = torch.nn.Conv1d(1, 1, 2, stride=2)
    assert per_character(np.array([[1.0, 2.0]]), strided, 4).tolist() == [[1, 1, 2, 2]]


def test_kernel_view_colours_every_character_and_names_the_top_kernels(text_run):
    text = "Wo ist die Bibliothek?"
    view = kernel_view(text_run, text, n_kernels=3)
    assert len(view.kernels) == 3 == len(set(view.kernels)) and view.responses.shape == (3, 22)
    assert view.strength.shape == (22,) and 0 <= view.strength.min() <= view.strength.max() <= 1
    assert view.strength.max() == pytest.approx(1.0)
    assert view.weights == sorted(view.weights, reverse=True)
    assert view.prediction.top[0][0] == text_run.classes[int(np.argmax(view.prediction.probs))]


def test_top_ngrams_are_windows_of_the_texts(text_run):
    texts = ["Der Hund bellt laut.", "O cão ladra alto.", "Le chien aboie fort."]
    grams = top_ngrams(text_run, texts, per_kernel=3)
    assert len(grams) == text_run.model.conv1.out_channels
    for found in grams:
        assert 1 <= len(found) <= 3
        assert all(0 < len(g) <= 3 and any(g in t for t in texts) for g, _ in found)
        values = [v for _, v in found]
        assert values == sorted(values, reverse=True)


def test_shuffling_inside_words_keeps_letters_and_word_lengths(sample_dataset):
    rng = np.random.default_rng(0)
    text = "Una convolución sobre caracteres"
    mixed = shuffle_words(text, rng)
    assert [sorted(w) for w in mixed.split(" ")] == [sorted(w) for w in text.split(" ")]
    assert mixed != text
    ds = load(sample_dataset)
    again = shuffled(ds)
    assert again.test.x.shape == ds.test.x.shape and np.array_equal(again.test.y, ds.test.y)
    assert sorted(decode(again.test.x[0])) == sorted(decode(ds.test.x[0]))


def test_score_counts_per_language_and_source():
    test = HeldOut(["a", "b", "c", "d"], np.array([0, 0, 1, 3]), ["m", "f", "f", "m"])
    found = score("x", "whole", ["es", "pt", "pt", "?"], test, seconds=2.0)
    assert found.accuracy == 0.5 and found.texts_per_s == 2.0
    assert found.per_language["es"] == 0.5 and found.per_language["pt"] == 1.0
    assert found.per_language["fr"] == 0.0 and "it" not in found.per_language
    assert found.per_source == {"f": 0.5, "m": 0.5}


def test_identifiers_are_named_and_restricted_to_our_languages():
    with pytest.raises(UnknownNameError, match="unknown language identifier"):
        identifier("fasttext", ("es",))
    pytest.importorskip("lingua")
    identify = identifier("lingua", ("es", "pt", "it", "fr", "de", "en"))
    assert identify("¿Dónde está la biblioteca de la universidad?") == "es"
    assert identify("123 456") == "?"


def test_read_lines_skips_empty_lines_and_refuses_other_encodings(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("uno\n\n  dos  \n", encoding="utf-8")
    assert read_lines(path) == ["uno", "dos"]
    path.write_bytes(b"caf\xe9\n")
    with pytest.raises(Exception, match="is not UTF-8"):
        read_lines(path)


def test_topic_leak_counts_french_answers_by_source(text_run):
    from cnnlab.text.compare import topic_leak

    test = HeldOut(["Der Hund bellt laut.", "Le chien aboie.", "Opción no válida."],
                   np.array([4, 3, 0]), ["manpages-de", "manpages-fr", "fortunes-es"])  # fmt: skip
    manual, fortunes = topic_leak(text_run, test)
    guesses = [p.top[0][0] for p in predict_texts(text_run, test.texts, top=1)]
    assert manual == float(guesses[0] == "fr") and fortunes == float(guesses[2] == "fr")
