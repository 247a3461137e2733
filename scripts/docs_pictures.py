"""Regenerate the pictures in docs/img from the current code (``make pictures``).

Each picture is made by cnnlab itself and, for pages, photographed in headless Chromium
(Debian's, never a downloaded one):

- ``deck-page.png``: the top of the walk-through page ``cnnlab deck --quick --lang en`` writes.

Usage: ``python scripts/docs_pictures.py [--out docs/img] [--deck runs/deck-en]``
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/img", type=Path)
    parser.add_argument("--deck", default="runs/deck-en", type=Path)
    args = parser.parse_args()
    print(deck_page(args.deck, args.out))


if __name__ == "__main__":
    main()
