"""One quick walk-through page on the small digits data set, built once for the deck tests."""

from __future__ import annotations

import pytest

from cnnlab.deck import DeckConfig, build_deck


@pytest.fixture(scope="session")
def deck_pages(tmp_path_factory) -> dict[str, object]:
    """The Spanish page (its studies trained), then the English one reading the same studies."""
    out = tmp_path_factory.mktemp("deck")
    events: dict[str, list] = {"es": [], "en": []}
    pages = {}
    for lang in ("es", "en"):
        cfg = DeckConfig(quick=True, dataset="digits", lang=lang, out=str(out))
        path = build_deck(cfg, lambda e, i, lang=lang: events[lang].append((e, i)))
        pages[lang] = path.with_name(f"page-{lang}.html")  # the next page overwrites index.html
        pages[lang].write_bytes(path.read_bytes())
    return {"pages": pages, "events": events, "out": out}
