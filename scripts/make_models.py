"""Make the models cnnlab ships (``make models``): each trained from cnnlab's own recipe with a
fixed seed, measured on held-out data, and written with its model card into
src/cnnlab/shipped/NAME/; then docs/models.md is written from the cards.

    python scripts/make_models.py                  # all of them (about 10 minutes on 2 cores)
    python scripts/make_models.py --only faces     # one (repeatable)
    python scripts/make_models.py --cards-only     # docs/models.md from the cards there

A model folder is replaced whole (written beside it, then renamed), so an interrupted run leaves
the shipped one as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file

from cnnlab import data, shipped
from cnnlab._version import __version__
from cnnlab.detect import digits, evaluate, faces, learn
from cnnlab.detect.boxes import iou
from cnnlab.detect.core import detect, load_detector
from cnnlab.generate.quality import measure
from cnnlab.models.presets import default_epochs
from cnnlab.train import TrainConfig, fit, load_run
from cnnlab.train.record import hardware
from cnnlab.web import lab_runs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "models.md"
#: the files of a run folder that loading needs (no optimizer state, figures or report)
KEEP = ("config.json", "metrics.jsonl", "model.safetensors", "detect.json")


def data_hash(name: str) -> str:
    """SHA-256 of a data set's arrays as cnnlab loads them (train x, y, then test x, y)."""
    ds = data.load(name, val_fraction=0.0)
    digest = hashlib.sha256()
    for split in (ds.train, ds.test):
        digest.update(np.ascontiguousarray(split.x).tobytes())
        digest.update(np.ascontiguousarray(split.y).tobytes())
    return digest.hexdigest()


def lfw_hash() -> str:
    from skimage import data as skdata  # scikit-image: only the face recipe's data needs it

    return hashlib.sha256(np.ascontiguousarray(skdata.lfw_subset()).tobytes()).hexdigest()


def params(folder: Path) -> int:
    return int(sum(v.size for v in load_file(folder / "model.safetensors").values()))


def trained(config: TrainConfig, out: Path, held_out: str) -> dict:
    """A plain ``cnnlab train`` recipe: trained, with its test accuracy at the end."""
    run = fit(config, out=out / "run")
    last = run.metrics[-1]
    return {
        "folder": run.path,
        "recipe": f"cnnlab train --model {config.model} --dataset {config.dataset} --epochs "
        f"{config.epochs} --seed {config.seed}",
        "data": {"name": config.dataset, "sha256": data_hash(config.dataset)},
        "metrics": {"test_accuracy": last["test_acc"]},
        "held_out": held_out,
        "train_seconds": last["seconds"],
    }


def classifier(model: str) -> Callable[[Path], dict]:
    """The lab's CNN or MLP: MNIST, 2 epochs, seed 0 (the recipe of cnnlab.web.lab_runs)."""
    return lambda out: trained(lab_runs.lab_config(model), out, "the 10,000 MNIST test digits")


def generator(out: Path) -> dict:
    """The Generate tab's conv-vae, judged by the shipped small CNN."""
    run = fit(lab_runs.generator_config(), out=out / "run")
    judge = load_run(shipped.folder("lab-small-cnn"))
    quality = measure(run, judge, per_label=200, seed=1)
    return {
        "folder": run.path,
        "recipe": f"cnnlab train --model conv-vae --dataset mnist --epochs "
        f"{default_epochs('conv-vae')} --seed 0",
        "data": {"name": "mnist", "sha256": data_hash("mnist")},
        "metrics": {"label_agreement": quality.agreement},
        "held_out": "2,000 generated digits (200 per label, seed 1) labelled by the shipped "
        "lab-small-cnn",
        "train_seconds": run.metrics[-1]["seconds"],
    }


def photo_found(det, name: str) -> bool:
    """Whether every face of the sample photo ``name`` gets a box at IoU >= 0.5."""
    boxes = np.array([b.box for b in detect(det, name).boxes]).reshape(-1, 4)
    truth = faces.PHOTO_FACES[name]
    return bool(len(boxes)) and all(iou(np.array(t), boxes).max() >= 0.5 for t in truth)


def face_finder(out: Path) -> dict:
    t0 = time.perf_counter()
    run = learn.train_faces(out / "faces")
    seconds = time.perf_counter() - t0
    det = load_detector(run)
    scores = evaluate.face_scenes(det, faces.scenes(40, seed=1)).scores
    found = {name: photo_found(det, name) for name in faces.PHOTO_FACES}
    return {
        "folder": run.path,
        "recipe": f"cnnlab.detect.learn.train_faces, recipe v{learn.VERSION}, seed 0",
        "data": {
            "name": "scikit-image lfw_subset (25×25 faces and non-faces) and its photos",
            "sha256": lfw_hash(),
        },
        "metrics": {
            "scene_ap": scores.ap,
            "precision": scores.precision,
            "recall": scores.recall,
            **{f"{k}_found": v for k, v in found.items()},
        },
        "held_out": "40 synthetic scenes (seed 1) and the astronaut and camera photos",
        "train_seconds": seconds,
    }


def digit_finder(out: Path) -> dict:
    t0 = time.perf_counter()
    run = learn.train_digits(out / "digits" / "run")
    seconds = time.perf_counter() - t0
    ds = data.load("mnist", val_fraction=0.0)
    canvases = digits.test_canvases(ds.test.x[:, 0], ds.test.y, 200, seed=2)
    scores = evaluate.digit_canvases(load_detector(run), canvases)
    return {
        "folder": run.path,
        "recipe": f"cnnlab.detect.learn.train_digits, recipe v{learn.VERSION}, seed 0 (finder "
        "and reader)",
        "data": {"name": "mnist", "sha256": data_hash("mnist")},
        "metrics": {"digit_map50": scores.map50, "numbers_read_exactly": scores.exact},
        "held_out": "200 canvases of MNIST test digits (seed 2)",
        "train_seconds": seconds,
    }


def char_cnn(out: Path) -> dict:
    config = TrainConfig(model="char-cnn", dataset="languages", seed=0)
    return trained(config, out, "the languages test split (3,600 sentences, 600 per language)")


RECIPES: dict[str, Callable[[Path], dict]] = {
    "lab-small-cnn": classifier("small-cnn"),
    "lab-mlp": classifier("mlp"),
    "conv-vae": generator,
    "faces": face_finder,
    "digits": digit_finder,
    "char-cnn": char_cnn,
}


def copy_run(source: Path, target: Path) -> None:
    """The files of ``source`` that loading needs, its sub-runs (the digit reader) too."""
    target.mkdir(parents=True)
    for name in KEEP:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)
    for sub in source.iterdir():
        if sub.is_dir() and (sub / "config.json").is_file():
            copy_run(sub, target / sub.name)


def make(name: str) -> dict:
    """Train ``name``, measure it and put it in place with its card; the card."""
    with tempfile.TemporaryDirectory(prefix=f"cnnlab-{name}-") as scratch:
        made = RECIPES[name](Path(scratch))
        folder = made.pop("folder")
        card = {
            "name": name,
            **made,
            "parameters": params(folder),
            "seed": 0,
            "made": time.strftime("%Y-%m-%d"),
            "cnnlab": __version__,
            "torch": torch.__version__,
            "cpu": hardware(torch.device("cpu"))["cpu"],
        }
        fresh = shipped.HERE / f".{name}-new"
        shutil.rmtree(fresh, ignore_errors=True)
        copy_run(folder, fresh)
        (fresh / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(shipped.HERE / name, ignore_errors=True)
        fresh.rename(shipped.HERE / name)
    return card


def size_of(name: str) -> int:
    return sum(p.stat().st_size for p in (shipped.HERE / name).rglob("*") if p.is_file())


def cards_page() -> str:
    """docs/models.md: one card per shipped model."""
    lines = [
        "# The models cnnlab ships",
        "",
        "The lab, `cnnlab detect`, `cnnlab read`, `cnnlab generate` and `cnnlab predict --text` "
        "answer at once with these models, installed with cnnlab in `src/cnnlab/shipped/` as "
        "run folders (safetensors weights, no pickle). Each was made by `make models` "
        "(`scripts/make_models.py`) from cnnlab's own recipe with seed 0 and measured on data "
        "it was not trained on; `tests/test_shipped.py` checks that quality again on a quick "
        "subset. To train your own instead: `cnnlab serve --retrain`, `cnnlab detect --retrain` "
        "(kept in the cache, `$CNNLAB_CACHE`), or any `cnnlab train` run given as `--run`.",
        "",
        "> **En español:** cnnlab trae estos modelos ya entrenados; `make models` los vuelve a "
        "entrenar con las recetas del proyecto y escribe esta página.",
        "",
    ]
    total = 0
    for name in shipped.NAMES:
        if not shipped.available(name):
            lines += [f"## {name}", "", "Not made yet: run `make models`.", ""]
            continue
        card, size = shipped.card(name), size_of(name)
        total += size
        metrics = ", ".join(
            f"{k.replace('_', ' ')} **{v:.4g}**"
            if isinstance(v, float)
            else f"{k.replace('_', ' ')} **{v}**"
            for k, v in card["metrics"].items()
        )
        lines += [
            f"## {name}",
            "",
            "| | |",
            "|---|---|",
            f"| recipe | `{card['recipe']}` |",
            f"| data | {card['data']['name']}; SHA-256 of its arrays `{card['data']['sha256']}` |",
            f"| parameters | {card['parameters']:,} ({size / 1024:.0f} KiB on disk) |",
            f"| measured | {metrics} |",
            f"| held out | {card['held_out']} |",
            f"| training | {card['train_seconds']:.0f} s on {card['cpu']}, torch {card['torch']}, "
            f"{card['made']} |",
            f"| retrain | `python scripts/make_models.py --only {name}` |",
            "",
        ]
    lines += [f"All shipped models together: {total / 1024 / 1024:.2f} MiB (limit 5 MB).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=shipped.NAMES)
    parser.add_argument("--cards-only", action="store_true")
    args = parser.parse_args()
    if not args.cards_only:
        for name in args.only or shipped.NAMES:
            t0 = time.perf_counter()
            card = make(name)
            print(f"{name}: {card['metrics']} ({time.perf_counter() - t0:.0f} s)", flush=True)
    DOCS.write_text(cards_page(), encoding="utf-8")
    print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
