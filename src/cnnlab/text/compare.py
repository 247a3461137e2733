"""The languages study: char-CNN, n-gram MLP and three established identifiers on the same texts.

Every system is scored on the same test sentences of ``languages`` (never seen in training), whole
and cut to pieces of at most 10, 20 and 30 characters (whole words from a random word, seed 0,
:func:`cnnlab.data.textsets.pieces`). The spatial experiment shuffles the letters inside every
word (train and test, seed 0) and trains both models again: a bag of 1-grams does not change, the
order a kernel of 5 characters reads does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from cnnlab import data
from cnnlab.data.dataset import Dataset, Split, stratified_indices
from cnnlab.data.languages import LANGUAGES, load_languages
from cnnlab.data.sources import TEST_FRACTION, TEST_SEED
from cnnlab.data.textsets import decode, encode, pieces
from cnnlab.text.predict import predict_texts
from cnnlab.text.tools import identifier
from cnnlab.train import TrainConfig, fit

LENGTHS: dict[str, int | None] = {"≤10": 10, "≤20": 20, "≤30": 30, "whole": None}
MODELS = ("char-cnn", "ngram-mlp")


@dataclass(frozen=True)
class HeldOut:
    """The test sentences of ``languages`` with their labels and source packages."""

    texts: list[str]
    labels: np.ndarray  # (N,) index into LANGUAGES
    sources: list[str]


@dataclass
class Score:
    """One system on one length: accuracy overall and per language, texts per second."""

    system: str
    length: str
    accuracy: float
    per_language: dict[str, float]
    texts_per_s: float
    per_source: dict[str, float] = field(default_factory=dict)


def test_set(data_dir: Any = None) -> HeldOut:
    """The data set's fixed test split as texts (the rows ``data.load("languages").test`` holds)."""
    arrays = load_languages(data_dir)
    _, held = stratified_indices(arrays["labels"], TEST_FRACTION, TEST_SEED)
    return HeldOut([str(t) for t in arrays["texts"][held]], arrays["labels"][held].astype(int),
                   [str(s) for s in arrays["sources"][held]])  # fmt: skip


def score(system: str, length: str, guesses: list[str], test: HeldOut, seconds: float) -> Score:
    """Accuracy of ``guesses`` (language codes) against ``test``, overall, per language and per
    source package."""
    truth = np.array([LANGUAGES[i] for i in test.labels])
    right = np.array(guesses) == truth
    per_lang = {lang: float(right[truth == lang].mean())
                for lang in LANGUAGES if (truth == lang).any()}  # fmt: skip
    srcs = np.array(test.sources)
    per_src = {s: float(right[srcs == s].mean()) for s in sorted(set(test.sources))}
    return Score(system, length, float(right.mean()), per_lang,
                 len(guesses) / max(seconds, 1e-9), per_src)  # fmt: skip


def score_all(systems: dict[str, Callable[[list[str]], list[str]]], test: HeldOut) -> list[Score]:
    """Every system on every length of :data:`LENGTHS` (the same pieces for all)."""
    out = []
    for length, chars in LENGTHS.items():
        texts = pieces(test.texts, chars, seed=0)
        for name, guess in systems.items():
            t0 = time.perf_counter()
            guesses = guess(texts)
            seconds = time.perf_counter() - t0
            out.append(score(name, length, guesses, replace(test, texts=texts), seconds))
    return out


def topic_leak(run: Any, test: HeldOut, lang: str = "fr") -> tuple[float, float]:
    """How often ``run`` answers ``lang`` for other languages' manual-page sentences and for
    their fortunes: the one topic imbalance of ``languages`` (French has manual pages only)."""
    guesses = np.array(model_guesser(run)(test.texts))
    other = np.array([LANGUAGES[i] != lang for i in test.labels])
    manual = np.char.startswith(np.array(test.sources), "manpages")
    return (float((guesses[other & manual] == lang).mean()),
            float((guesses[other & ~manual] == lang).mean()))  # fmt: skip


def model_guesser(run: Any) -> Callable[[list[str]], list[str]]:
    return lambda texts: [p.top[0][0] for p in predict_texts(run, texts, top=1)]


def tool_guesser(tool: str) -> Callable[[list[str]], list[str]]:
    identify = identifier(tool, LANGUAGES)
    return lambda texts: [identify(t) for t in texts]


def shuffle_words(text: str, rng: np.random.Generator) -> str:
    """The letters inside each word put in a random order; the words stay where they are."""
    return " ".join("".join(rng.permutation(list(w))) for w in text.split(" "))


def shuffled(ds: Dataset, seed: int = 0) -> Dataset:
    """``ds`` with every text's words shuffled inside (train, val and test)."""
    rng = np.random.default_rng(seed)

    def split(part: Split) -> Split:
        texts = [shuffle_words(decode(row), rng) for row in part.x]
        return Split(encode(texts, part.x.shape[-1]), part.y)

    return replace(ds, name=f"{ds.name}-shuffled", train=split(ds.train), val=split(ds.val),
                   test=split(ds.test))  # fmt: skip


def train_model(model: str, ds: Dataset, out: str, config: TrainConfig) -> tuple[Any, float]:
    """Train ``model`` on ``ds`` into ``out``; the run and its training seconds."""
    run = fit(config.replace(model=model, dataset="languages"), out=out, data=ds)
    return run, float(run.metrics[-1]["seconds"])


def load_languages_dataset(config: TrainConfig) -> Dataset:
    return data.load("languages", data_dir=config.data_dir, val_fraction=config.val_fraction,
                     seed=config.seed)  # fmt: skip
