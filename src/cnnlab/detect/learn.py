"""Training the detectors' classifiers, and the default models trained on first use and cached.

Both are ordinary cnnlab runs (a run folder trained by :func:`cnnlab.train.fit` on crops held in
memory) plus ``detect.json``, which says how the run searches pictures. Their convolutions do
not pad, so their sliding scores are exactly their crop scores.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from cnnlab import data, shipped
from cnnlab.data.cache import cache_dir
from cnnlab.data.dataset import build_dataset
from cnnlab.detect import digits, evaluate, faces
from cnnlab.detect.core import META, DetectConfig, Detector, class_maps, load_detector
from cnnlab.detect.report import write_report
from cnnlab.fileio import atomic_write_text
from cnnlab.i18n import N_, unknown_name
from cnnlab.train import Run, TrainConfig, fit

WHATS = ("faces", "digits")
#: 25 → 23 → 21 → 10 → 8 → 6 → 3 → 1: no padding, cells 4 pixels apart
FACE_SPEC = ("conv(16,3) batchnorm relu conv(16,3) batchnorm relu maxpool(2) conv(32,3) batchnorm "
             "relu conv(32,3) batchnorm relu maxpool(2) conv(64,3) relu flatten dense(64) relu "
             "dense")  # fmt: skip
#: 28 → 26 → 24 → 12 → 10 → 8 → 4: no padding, cells 4 pixels apart
DIGIT_SPEC = (
    "conv(8,3) batchnorm relu conv(16,3) batchnorm relu maxpool(2) conv(32,3) "
    "batchnorm relu conv(32,3) batchnorm relu maxpool(2) flatten dense(64) relu dense"
)
#: the second look at each digit found: cnnlab's small-cnn preset (99 % on MNIST in 2 epochs)
#: on 28×28 digits re-centred from their boxes as MNIST centres them, each digit first written a
#: little differently (turned, slanted, thicker, thinner, fainter); (crops, epochs) below
READER_SPEC = (
    "conv(16,5,stride=2,padding=2) batchnorm relu conv(32,3,stride=2,padding=1) "
    "batchnorm relu conv(64,3,stride=2,padding=1) batchnorm relu flatten dense"
)
READER_CROPS, READER_EPOCHS = 50000, 3
#: how each default model searches (sizes are box sides in picture pixels; faces are scored
#: as the mean of a window and its mirror image, which a face resembles and clutter does not)
SEARCH = {
    "faces": {"what": "faces", "input": "gray", "threshold": 0.9, "min_size": 24,
              "max_size": 240, "mirror": True},
    "digits": {"what": "digits", "input": "ink", "threshold": 0.9, "min_size": 24,
               "max_size": 120},
}  # fmt: skip
#: box sides (photo pixels) at which the mining photos are searched: the detector's pyramid
MINE_SIZES = tuple(round(24 * 1.25**k) for k in range(12))  # 24 … 224
#: (epochs, seed offset) of each round of the face model; a round after the first adds the
#: hard negatives mined by the rounds before it
FACE_ROUNDS = ((4, 0), (4, 1), (6, 2))
#: validation pictures that set a model's default threshold: scenes and canvases seeded apart
#: from the benchmark's (seeds 1 and 2); the canvases use MNIST training digits never cropped
VAL_SEED, VAL_SCENES, VAL_CANVASES = 5, 20, 40
#: share of the validation scenes' faces turned aside (half of them partly hidden): faces
#: in photos are not all frontal, so the threshold is not chosen on frontal faces only
VAL_VARIED = 0.3
VAL_DIGITS = 50000  # MNIST training digits from this index on are kept for validation
VERSION = 4  # bump when the recipe changes: cached models of older versions are retrained

Callback = Callable[[str, dict], None]


def face_crops(seed: int, hard: np.ndarray | None = None, n_pos: int = 3000, n_neg: int = 6000):
    """(x (N, 1, 25, 25), y (N,)): augmented training faces (1) and non-faces (0): the data set's
    non-faces, patches of the mining photos, near misses and ``hard`` negatives."""
    rng = np.random.default_rng(seed)
    train_faces, non_faces, _ = faces.face_split()
    photos = [faces.photo(n) for n in faces.MINING]
    pos = [faces.positive(train_faces[i % len(train_faces)], photos, rng) for i in range(n_pos)]
    neg = [faces.jitter_light(non_faces[i % len(non_faces)][:, :: rng.choice([-1, 1])], rng)
           for i in range(len(non_faces) * 4)]  # fmt: skip
    neg += [faces.near_miss(train_faces[i % len(train_faces)], photos, rng)
            for i in range(n_neg // 4)]  # fmt: skip
    neg += [faces.jitter_light(faces.random_patch(photos, faces.WINDOW, rng), rng)
            for _ in range(n_neg - len(neg))]  # fmt: skip
    x = np.stack(pos + neg + ([] if hard is None else list(hard)))[:, None]
    y = np.r_[np.ones(len(pos)), np.zeros(len(x) - len(pos))].astype(np.int64)
    return x.astype(np.float32), y


def mine_hard(detector: Detector, limit: int = 3000) -> np.ndarray:
    """Windows of the face-free mining photos, and of their mirror images, that ``detector``
    still takes for faces (score above 0.3), worst first: (n, 25, 25)."""
    found, scores = [], []
    for name in faces.MINING:
        for img in (faces.photo(name), faces.photo(name)[:, ::-1]):
            for size in MINE_SIZES:
                side = (round(img.shape[0] * 25 / size), round(img.shape[1] * 25 / size))
                if min(side) < 25:
                    break
                small = faces.resized(img, side)
                face = class_maps(detector, small[None], side)[1]  # (h, w)
                rows, cols = (small.shape[0] - 25) // 4 + 1, (small.shape[1] - 25) // 4 + 1
                for i, j in zip(*np.nonzero(face[:rows, :cols] > 0.3), strict=True):
                    found.append(small[4 * i : 4 * i + 25, 4 * j : 4 * j + 25])
                    scores.append(face[i, j])
    order = np.argsort(-np.array(scores))[:limit]
    return np.stack([found[k] for k in order]) if found else np.zeros((0, 25, 25), np.float32)


def _fit(x, y, classes, name, out, epochs, seed, callback, batch=128, spec=None) -> Run:
    split = int(len(y) * 0.9)
    order = np.random.default_rng(seed).permutation(len(y))
    tr, te = order[:split], order[split:]
    ds = build_dataset(name, "image", (x[tr], y[tr]), (x[te], y[te]), classes,
                       val_fraction=0.0, seed=seed)  # fmt: skip
    spec = spec or (FACE_SPEC if name == "face-crops" else DIGIT_SPEC)
    config = TrainConfig(model=spec, dataset=name,
                         epochs=epochs, batch_size=batch, lr=0.01, seed=seed,
                         label_smoothing=0.0)  # fmt: skip
    return fit(config, out=out, data=ds, callback=callback)


def train_faces(out: str | Path, seed: int = 0, callback: Callback | None = None,
                rounds: tuple[tuple[int, int], ...] = FACE_ROUNDS, n_pos: int = 3000,
                n_neg: int = 6000) -> Run:  # fmt: skip
    """Rounds of training, each after the first with the hard negatives the earlier rounds
    mined from the mining photos (without the mirror); the last round's threshold is calibrated
    on validation scenes, each window scored with its mirror image."""
    out, hard, run = Path(out), np.zeros((0, 25, 25), np.float32), None
    for k, (epochs, offset) in enumerate(rounds):
        if run is not None:  # mined as trained, window by window; the mirror is for searching
            plain = replace(load_detector(run), mirror=False)
            hard = np.concatenate([hard, mine_hard(plain)])
        x, y = face_crops(seed + offset, hard if len(hard) else None, n_pos, n_neg)
        last = k == len(rounds) - 1
        folder = out / ("final" if last else f"round{k + 1}")
        run = _fit(x, y, ["non-face", "face"], "face-crops", folder, epochs, seed, callback)
        _write_meta(run.path, "faces", hard_negatives=len(hard))
    val = faces.scenes(VAL_SCENES, seed=VAL_SEED, varied=VAL_VARIED)
    threshold = evaluate.calibrate_faces(load_detector(run), val)
    _write_meta(run.path, "faces", hard_negatives=len(hard), threshold=threshold,
                calibrated_on=f"{VAL_SCENES} scenes, seed {VAL_SEED}, "
                f"{VAL_VARIED:.0%} of faces turned or hidden")  # fmt: skip
    scenes = [(s.pixels, s.boxes) for s in faces.scenes(8, seed=1)]
    write_report(load_detector(run), list(faces.PHOTO_FACES), scenes)
    return run


def train_digits(out: str | Path, seed: int = 0, callback: Callback | None = None,
                 crops: int = 30000, epochs: int = 6) -> Run:  # fmt: skip
    """The digit finder: 10 digits + background, on crops of numbers of MNIST training digits,
    and its reader (a second look at each digit found, re-centred); its threshold is the one
    that reads most validation numbers exactly."""
    ds = data.load("mnist", val_fraction=0.0)
    x, y = ds.train.x[:VAL_DIGITS, 0], ds.train.y[:VAL_DIGITS]
    x, y = digits.training_crops(x, y, crops, seed)
    run = _fit(x, y, digits.CLASSES, "digit-crops", Path(out), epochs, seed, callback, 256)
    x, y = digits.reader_crops(ds.train.x[:VAL_DIGITS, 0], ds.train.y[:VAL_DIGITS],
                               READER_CROPS, seed, varied=True)  # fmt: skip
    _fit(x, y, digits.CLASSES[:10], "digit-reader", run.path / "reader", READER_EPOCHS, seed,
         callback, 128, READER_SPEC)  # fmt: skip
    _write_meta(run.path, "digits", reader="reader")
    val = digits.test_canvases(ds.train.x[VAL_DIGITS:, 0], ds.train.y[VAL_DIGITS:],
                               VAL_CANVASES, seed=VAL_SEED)  # fmt: skip
    threshold = evaluate.calibrate_digits(load_detector(run), val)
    _write_meta(run.path, "digits", reader="reader", threshold=threshold,
                calibrated_on=f"{VAL_CANVASES} canvases, seed {VAL_SEED}")  # fmt: skip
    canvases = digits.test_canvases(ds.test.x[:, 0], ds.test.y, 8)
    write_report(load_detector(run), [], [(p, c.boxes) for p, c in canvases])
    return run


def _write_meta(folder: Path, what: str, **extra) -> None:
    atomic_write_text(folder / META, json.dumps({**SEARCH[what], **extra}, indent=2))


def default_folder(what: str) -> Path:
    """Where the default model for ``what`` is cached."""
    if what not in WHATS:
        raise unknown_name(N_("kind of thing to find"), what, WHATS)
    return cache_dir() / "detect" / f"{what}-v{VERSION}"


def default_detector(what: str, callback: Callback | None = None,
                     retrain: bool = False) -> Detector:  # fmt: skip
    """The default detector for ``what``: the one trained here before (the cache), else the one
    cnnlab ships, else trained now and cached (``callback`` sees its progress). ``retrain``
    trains a new one into the cache whatever is there."""
    folder = default_folder(what)
    if not retrain and (found := cached_detector(what)) is not None:
        return found
    shutil.rmtree(folder, ignore_errors=True)  # an interrupted training starts over
    trained = (train_faces(folder, callback=callback) if what == "faces"
               else train_digits(folder / "run", callback=callback))  # fmt: skip
    return load_detector(trained, what)


def cached_detector(what: str) -> Detector | None:
    """The default detector for ``what`` without training: the cache's, else the shipped one,
    else None."""
    folder = default_folder(what)
    final = folder / "final" if what == "faces" else folder / "run"
    if (final / META).is_file():
        return load_detector(final, what)
    return load_detector(shipped.folder(what), what) if shipped.available(what) else None


__all__ = ["DetectConfig", "cached_detector", "default_detector", "train_digits", "train_faces"]
