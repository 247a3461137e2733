"""Regenerate the pictures in docs/img from the current code (``make pictures``).

Each picture is made by cnnlab itself and, for pages, photographed in headless Chromium
(Debian's, never a downloaded one):

- ``deck-page.png``: the top of the walk-through page ``cnnlab deck --quick --lang en`` writes.
- ``generate-conv-vae.png``, ``generate-mlp-vae.png``, ``generate-morph-3-8.gif``: digits of
  the generator study's seed-0 runs (``cnnlab generate-study`` writes them; skipped when the
  study folder is missing).

Usage: ``python scripts/docs_pictures.py [--out docs/img] [--deck runs/deck-en]
[--study runs/generate-study]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def deck_page(folder: Path, out: Path) -> Path:
    """Build (or read back) the quick English deck page and photograph its first screen."""
    subprocess.run([sys.executable, "-m", "cnnlab", "deck", "--quick", "--lang", "en",
                    "--out", str(folder)], check=True)  # fmt: skip
    from playwright.sync_api import sync_playwright  # only this script needs a browser

    target = out / "deck-page.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto((folder / "index.html").resolve().as_uri())
        page.screenshot(path=str(target))
        browser.close()
    return target


def generator_pictures(study: Path, out: Path) -> list[Path]:
    """Each generator's 8 digits per label and conv-vae's morph from 3 to 8 (seed 0)."""
    made = []
    for model in ("conv-vae", "mlp-vae"):
        run = study / f"{model}-seed0"
        if not (run / "model.safetensors").is_file():
            print(f"skipped {model}: no finished run in {run} (cnnlab generate-study)")
            continue
        target = out / f"generate-{model}.png"
        subprocess.run([sys.executable, "-m", "cnnlab", "generate", str(run), "--count", "80",
                        "--out", str(target), "--force"], check=True)  # fmt: skip
        made.append(target)
        if model == "conv-vae":
            morph = out / "generate-morph-3-8.gif"
            subprocess.run([sys.executable, "-m", "cnnlab", "generate", str(run), "--interpolate",
                            "3,8", "--out", str(morph), "--force"], check=True)  # fmt: skip
            made.append(morph)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/img", type=Path)
    parser.add_argument("--deck", default="runs/deck-en", type=Path)
    parser.add_argument("--study", default="runs/generate-study", type=Path)
    args = parser.parse_args()
    print(deck_page(args.deck, args.out))
    for path in generator_pictures(args.study, args.out):
        print(path)


if __name__ == "__main__":
    main()
