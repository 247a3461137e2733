"""One quick walk-through page on the small digits data set, built once for the deck tests.

Under pytest-xdist every worker asks for it; the first builds it in a folder the workers share
(under a file lock) and the others read its studies back, so the training happens once.
"""

from __future__ import annotations

import fcntl

import pytest

from cnnlab.deck import DeckConfig, build_deck


@pytest.fixture(scope="session")
def deck_pages(tmp_path_factory, worker_id) -> dict[str, object]:
    """The Spanish page (its studies trained, or read back), then the English one."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != "master" else base  # shared by the xdist workers
    out = root / "deck-shared"
    events: dict[str, list] = {"es": [], "en": []}
    pages = {}
    with open(root / "deck-shared.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fresh = not (out / "studies-quick" / "tabular" / "results.json").exists()
        for lang in ("es", "en"):
            cfg = DeckConfig(quick=True, dataset="digits", lang=lang, out=str(out))
            path = build_deck(cfg, lambda e, i, lang=lang: events[lang].append((e, i)))
            pages[lang] = path.with_name(f"page-{lang}.html")  # the next page overwrites index
            pages[lang].write_bytes(path.read_bytes())
    return {"pages": pages, "events": events, "out": out, "fresh": fresh}
