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


# ---- numbers and shapes as people read them, one rule for every front end ----

_SPANISH_MARKS = str.maketrans(",.", ".,")


def local_number(text: str, lang: str | None = None) -> str:
    """A number written the English way, in ``lang``'s marks: Spanish swaps the thousands and
    decimal marks (``local_number("1,438.5", "es") == "1.438,5"``)."""
    return text.translate(_SPANISH_MARKS) if resolve_lang(lang) == "es" else text


def group(n: int | float, lang: str | None = None, digits: int = 1) -> str:
    """Thousands separators: ``61,706`` in English, ``61.706`` in Spanish (floats: ``digits``)."""
    return local_number(f"{n:,}" if isinstance(n, int) else f"{n:,.{digits}f}", lang)


def fixed(x: float, decimals: int, lang: str | None = None) -> str:
    """A decimal number: ``0.2770`` in English, ``0,2770`` in Spanish."""
    return local_number(f"{float(x):.{decimals}f}", lang)


def human_bytes(n: int, lang: str | None = None) -> str:
    """``246824`` → ``'241.0 KiB'`` (``'241,0 KiB'`` in Spanish); ``3 * 2**30`` → ``'3.0 GiB'``."""
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{group(value, lang)} {unit}"


def shape_text(shape) -> str:
    """``(18, 17)`` → ``'18×17'``: a shape as every picture, table and message writes it."""
    return "×".join(str(int(n)) for n in shape)
