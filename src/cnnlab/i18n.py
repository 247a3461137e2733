"""English and Spanish text for people (CLI explanations, figure labels, reports, web labels).

Each module keeps its own table ``{key: {"en": ..., "es": ...}}`` and calls :func:`tr`. The
language comes from an explicit ``lang`` argument, else ``CNNLAB_LANG``, else ``LANG``/``LC_ALL``
(``es_*`` gives Spanish), else English. Code, identifiers and logs stay in English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cnnlab.errors import InvalidArgumentError

LANGS = ("en", "es")


def resolve_lang(lang: str | None = None) -> str:
    """Return ``"en"`` or ``"es"`` from ``lang`` or the environment."""
    if lang:
        code = lang.strip().lower()[:2]
        if code not in LANGS:
            raise InvalidArgumentError(
                f"unknown language {lang!r}; expected one of: {', '.join(LANGS)}. "
                f"Received: lang={lang!r}"
            )
        return code
    for var in ("CNNLAB_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(var, "").lower()
        if value[:2] in LANGS:
            return value[:2]
    return "en"


def tr(table: Mapping[str, Mapping[str, str]], key: str, lang: str | None = None, **fmt) -> str:
    """Translate ``key`` from ``table`` into ``lang`` and fill ``{placeholders}`` from ``fmt``."""
    entry = table[key]
    text = entry.get(resolve_lang(lang)) or entry["en"]
    return text.format(**fmt) if fmt else text
