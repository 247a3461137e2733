"""Text data sets: sentences as rows of character codes, pieces of chosen lengths, ``textfolder:``.

Encoding: each character is one Unicode **code point** (not a UTF-8 byte): ``ñ`` is one symbol
(241), not the two bytes C3 B1, so a kernel of width 3 always spans three characters and the
model's positions are the sentence's characters. Code points from ``VOCAB - 1`` up share the
last id ("other": Greek, Cyrillic, CJK, emoji...), 0 pads a text to :data:`LENGTH` characters and
longer texts are cut. A text set is stored as float32 ``(N, 1, LENGTH)`` of these ids (exact:
float32 holds integers up to 2^24), so the loader, the training loop and ``Run.predict`` carry
it as they carry MNIST-1D signals; ``embedding(d)`` turns ids into vectors inside the model.

Training sets get three **pieces** per sentence besides the sentence itself: whole words from
a random word of the sentence, of at most 8 to 60, 3 to 20 and 3 to 30 characters (seeded), so
that a model sees short texts too (the two short pieces lift a char-CNN's accuracy on texts of
≤ 20 characters by about 4 points; docs/experiments.md). Pieces come from training sentences
only: no test sentence is seen in training.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np

from cnnlab.data.dataset import Dataset, Split
from cnnlab.errors import DataError, InvalidArgumentError
from cnnlab.i18n import _

LENGTH = 160  # characters a model reads; longer texts are cut (the longest sentence kept is 160)
VOCAB = 1024  # ids 0..1023: 0 pads, 1..1022 are code points, 1023 is every other character
OTHER = VOCAB - 1
PIECE_CHARS = ((8, 60), (3, 20), (3, 30))  # pieces per training sentence: at most lo..hi chars
BUCKETS = {"≤20": (0, 20), "20-60": (20, 60), ">60": (60, LENGTH)}  # test pieces by length
MAX_FILE_BYTES = 64 << 20  # one text file of a textfolder: set
MAX_TEXTS = 500_000  # texts of a textfolder: set


def encode(texts: list[str] | tuple[str, ...], length: int = LENGTH) -> np.ndarray:
    """Texts → float32 ids ``(N, 1, length)``: code points, ``OTHER`` above, 0 as padding.

    >>> encode(["ñu"], 4)[0, 0].tolist()
    [241.0, 117.0, 0.0, 0.0]
    """
    out = np.zeros((len(texts), 1, length), np.float32)  # (N, 1, L)
    for i, text in enumerate(texts):
        codes = [min(ord(c), OTHER) for c in str(text)[:length]]
        out[i, 0, : len(codes)] = codes
    return out


def decode(row: np.ndarray) -> str:
    """One row of ids back to text (``OTHER`` comes back as U+FFFD �, padding is dropped)."""
    ids = np.asarray(row).reshape(-1).astype(np.int64)
    return "".join("\ufffd" if i == OTHER else chr(int(i)) for i in ids if i > 0)


def _from(words: list[str], start: int, max_chars: int) -> str:
    piece = words[start][:max_chars]
    for word in words[start + 1 :]:
        if len(piece) + 1 + len(word) > max_chars:
            break
        piece += " " + word
    return piece


def cut_piece(text: str, max_chars: int, rng: np.random.Generator, least: int = 0) -> str:
    """Whole words from a random word of ``text``, at most ``max_chars`` characters (a single
    longer word gives its first ``max_chars``); starts whose piece is longer than ``least`` are
    preferred when there are any.

    >>> cut_piece("la casa de papel", 10, np.random.default_rng(0)) in ("la casa de", "casa de",
    ...     "de papel", "papel")
    True
    """
    words = text.split()
    if not words:
        return ""
    cuts = [_from(words, start, max_chars) for start in range(len(words))]
    long_enough = [c for c in cuts if len(c) > least] or cuts
    return long_enough[int(rng.integers(len(long_enough)))]


def add_pieces(ds: Dataset, seed: int) -> Dataset:
    """``ds`` with a piece of each training sentence per range of :data:`PIECE_CHARS` added to
    its training split: (N, 1, L) becomes (4N, 1, L), the sentences first."""
    rng = np.random.default_rng(seed)
    texts = [decode(row) for row in ds.train.x]
    xs, ys = [ds.train.x], [ds.train.y]
    for low, high in PIECE_CHARS:
        limits = rng.integers(low, high + 1, size=len(texts))
        pieces = [cut_piece(t, int(k), rng) for t, k in zip(texts, limits, strict=True)]
        xs.append(encode(pieces, ds.train.x.shape[-1]))
        ys.append(ds.train.y)
    return dataclasses.replace(ds, train=Split(np.concatenate(xs), np.concatenate(ys)))


def pieces(texts: list[str], max_chars: int | None, seed: int = 0, least: int = 0) -> list[str]:
    """One piece of at most ``max_chars`` characters per text (None: the whole texts), longer
    than ``least`` where the text allows."""
    if max_chars is None:
        return list(texts)
    rng = np.random.default_rng(seed)
    return [cut_piece(t, max_chars, rng, least) for t in texts]


def length_buckets(texts: list[str], labels: np.ndarray, seed: int = 0) -> dict[str, tuple]:
    """The test set cut by length: ``"≤20"`` a piece of at most 20 characters of every
    sentence, ``"20-60"`` a piece of 21 to 60 (sentences longer than 20), ``">60"`` the
    sentences longer than 60 whole. Each value is ``(texts, labels)``."""
    out = {}
    for name, (low, high) in BUCKETS.items():
        cut = texts if name == ">60" else pieces(texts, high, seed, least=low)
        keep = [i for i, t in enumerate(cut) if low < len(t) <= high]
        out[name] = ([cut[i] for i in keep], np.asarray(labels)[keep])
    return out


def _lines(path: Path) -> list[str]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(_("{path} is larger than {limit:,} bytes; expected a text file",
                          path=path, limit=MAX_FILE_BYTES))  # fmt: skip
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(_("{path} is not UTF-8 text; expected one text per line. Received: "
                          "{reason} at byte {start}",
                          path=path, reason=exc.reason, start=exc.start)) from None  # fmt: skip
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _class_texts(entry: Path) -> list[str]:
    if entry.is_file():
        return _lines(entry)
    files = sorted(p for p in entry.rglob("*") if p.is_file() and not p.name.startswith("."))
    texts = []
    for path in files:
        if path.suffix.lower() not in (".txt", ""):
            warnings.warn(
                _("skipping {path}: expected a .txt file", path=path),
                stacklevel=4,
            )
            continue
        texts.extend(_lines(path))
    return texts


def load_textfolder(path: str | Path) -> tuple[list[str], np.ndarray, list[str]]:
    """``textfolder:PATH``: one ``CLASS.txt`` file or one ``CLASS/`` folder of ``.txt`` files
    per class, one text per line (UTF-8). Returns texts, labels (N,) int64 and class names."""
    if not str(path).strip():
        raise InvalidArgumentError(_("textfolder: needs a path; expected textfolder:PATH with one "
                                     "CLASS.txt file or CLASS/ folder per class. Received: "
                                     "{path!r}",
                                     path=str(path)))  # fmt: skip
    root = Path(path).expanduser()
    if not root.is_dir():
        raise DataError(_("text folder not found; expected a folder at {root}",
                          root=root))  # fmt: skip
    entries = sorted(p for p in root.iterdir() if not p.name.startswith(".")
                     and (p.is_dir() or p.suffix.lower() == ".txt"))  # fmt: skip
    if len(entries) < 2:
        raise DataError(_("{root} has {n} classes; expected at least two CLASS.txt files or "
                          "CLASS/ folders (e.g. {root}/spam.txt and {root}/ham.txt)",
                          root=root, n=len(entries)))  # fmt: skip
    texts, labels, classes = [], [], []
    for label, entry in enumerate(entries):
        found = _class_texts(entry)
        if not found:
            raise DataError(_("class {stem!r} in {root} has no lines of text; expected at least "
                              "one. Received: {entry}",
                              stem=entry.stem, root=root, entry=entry))  # fmt: skip
        texts += found
        labels += [label] * len(found)
        classes.append(entry.stem)
        if len(texts) > MAX_TEXTS:
            raise DataError(_("{root} holds more than {limit:,} texts; expected fewer",
                              root=root, limit=MAX_TEXTS))  # fmt: skip
    return texts, np.asarray(labels, np.int64), classes
