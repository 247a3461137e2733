"""The languages study in one run: every number of docs/experiments.md's "Read text" section.

Trains char-cnn and ngram-mlp on ``languages`` (cnnlab's default settings), scores them and
langid, langdetect and lingua on the same test sentences (whole and cut to ≤ 10, ≤ 20, ≤ 30
characters), shuffles the letters inside every word and trains both again, and measures texts per
second at prediction. Needs the data set (``cnnlab data fetch languages``) and the ``dev`` extra.
Writes ``OUT/results.json`` and ``OUT/results.md`` and prints the tables. Run under the lock:

    flock /tmp/cnnlab-cpu.lock .venv/bin/python benchmarks/languages.py --out runs/languages-study
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from cnnlab.data.languages import LANGUAGES
from cnnlab.fileio import atomic_write_text
from cnnlab.text.compare import (
    LENGTHS,
    MODELS,
    load_languages_dataset,
    model_guesser,
    score_all,
    shuffled,
    test_set,
    tool_guesser,
    topic_leak,
    train_model,
)
from cnnlab.text.tools import TOOLS
from cnnlab.train import TrainConfig


def accuracy(run, split) -> float:
    probs = run.predict(split.x, engine="torch")  # (N, K)
    return float((probs.argmax(axis=1) == split.y).mean())


def train_both(ds, out: Path, config: TrainConfig, tag: str) -> dict:
    runs = {}
    for model in MODELS:
        run, seconds = train_model(model, ds, str(out / f"{tag}-{model}"), config)
        params = sum(p.numel() for p in run.model.parameters())
        runs[model] = {"run": run, "seconds": seconds, "params": params,
                       "test_acc": accuracy(run, ds.test)}  # fmt: skip
    return runs


def plain(runs: dict) -> dict:
    """The JSON-ready part of train_both's answer (the Run objects left out)."""
    return {m: {k: v for k, v in d.items() if k != "run"} for m, d in runs.items()}


def tables(scores: list, trained: dict, shuffled_runs: dict, leak: tuple) -> str:
    lines = ["| system | " + " | ".join(LENGTHS) + " | texts/s (whole) |", "|---" * 6 + "|"]
    for system in [*MODELS, *TOOLS]:
        row = {s.length: s for s in scores if s.system == system}
        cells = [f"{100 * row[k].accuracy:.1f}%" for k in LENGTHS]
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {row['whole'].texts_per_s:,.0f} |")
    for length in ("≤20", "whole"):
        lines += ["", f"Per language, {length}:", "",
                  "| system | " + " | ".join(LANGUAGES) + " |", "|---" * 7 + "|"]  # fmt: skip
        for s in (s for s in scores if s.length == length):
            cells = [f"{100 * s.per_language[lang]:.1f}%" for lang in LANGUAGES]
            lines.append(f"| {s.system} | " + " | ".join(cells) + " |")
    lines += ["", "| model | params | training s | test (whole) | letters shuffled in words |",
              "|---|---|---|---|---|"]  # fmt: skip
    for model in MODELS:
        a, b = trained[model], shuffled_runs[model]
        lines.append(f"| {model} | {a['params']:,} | {a['seconds']:.1f} | "
                     f"{100 * a['test_acc']:.1f}% | {100 * b['test_acc']:.1f}% |")  # fmt: skip
    cnn = next(s for s in scores if s.system == "char-cnn" and s.length == "whole")
    lines += ["", "char-cnn per source (whole): " + ", ".join(
        f"{k} {100 * v:.1f}%" for k, v in cnn.per_source.items())]  # fmt: skip
    lines += [f"char-cnn answers fr for {100 * leak[0]:.1f}% of the other languages' manual-page "
              f"sentences and {100 * leak[1]:.1f}% of their fortunes"]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="runs/languages-study", help="folder for runs and results")
    parser.add_argument("--epochs", type=int, default=TrainConfig().epochs)
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists():
        raise SystemExit(f"{out} exists; expected a new folder (remove it to run again)")
    config = TrainConfig(dataset="languages", epochs=args.epochs)
    ds, test = load_languages_dataset(config), test_set()
    trained = train_both(ds, out, config, "plain")
    systems = {m: model_guesser(trained[m]["run"]) for m in MODELS}
    systems |= {tool: tool_guesser(tool) for tool in TOOLS}
    scores = score_all(systems, test)
    shuffled_runs = train_both(shuffled(ds), out, config, "shuffled")
    leak = topic_leak(trained["char-cnn"]["run"], test)
    text = tables(scores, trained, shuffled_runs, leak)
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "machine": platform.processor() or platform.machine(),
            "when": time.ctime()}  # fmt: skip
    results = {"info": info, "scores": [asdict(s) for s in scores],
               "trained": plain(trained), "shuffled": plain(shuffled_runs)}  # fmt: skip
    atomic_write_text(out / "results.json", json.dumps(results, indent=2, default=float))
    atomic_write_text(out / "results.md", text + "\n")
    print(text)
    print(f"\nwrote {out / 'results.json'} and {out / 'results.md'}", flush=True)


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
