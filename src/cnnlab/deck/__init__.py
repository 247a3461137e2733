"""The deck, computed: the walk-through page (``cnnlab deck``), its studies and its verdicts.

>>> from cnnlab.deck import DeckConfig, build_deck  # doctest: +SKIP
>>> build_deck(DeckConfig(quick=True, lang="es"))  # runs/deck/index.html
"""

from __future__ import annotations

from cnnlab.deck.page import SECTIONS, build_deck, build_html
from cnnlab.deck.studies import DeckConfig, Studies, run_studies
from cnnlab.deck.verdicts import Verdict, verdicts

__all__ = [
    "SECTIONS",
    "DeckConfig",
    "Studies",
    "Verdict",
    "build_deck",
    "build_html",
    "run_studies",
    "verdicts",
]
