"""English and Spanish text for people (CLI explanations, figure labels, reports, web labels).

Each module keeps its own table ``{key: {"en": ..., "es": ...}}`` and calls :func:`tr`. The
language comes from an explicit ``lang`` argument, else ``CNNLAB_LANG``, else ``LANG``/``LC_ALL``
(``es_*`` gives Spanish), else English. Code, identifiers and logs stay in English.

Text that lives outside such tables (the CLI's ``--help``) goes through gettext catalogs, English
being the source language: ``locale/LANG/LC_MESSAGES/cnnlab.po`` in the package is the only copy
of a translation. Its binary form, the ``.mo`` file gettext reads, is compiled from the ``.po``
(with Babel) the first time a process needs it and kept in the cnnlab cache under a name made of
the ``.po``'s SHA-256, so an edited ``.po`` is compiled again and a stale ``.mo`` is never read.
Nothing is built at install time, so a plain, an editable (``pip install -e .``) and a wheel
install behave the same; where the cache cannot be written, the ``.mo`` is kept in memory.
``scripts/update_catalog.py`` (``make catalog``) writes the English texts of the CLI into the
``.po``, keeping the translations it has.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import hashlib
import io
import os
from collections.abc import Mapping
from pathlib import Path

from cnnlab.errors import InvalidArgumentError
from cnnlab.fileio import atomic_write_bytes, cache_dir

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


#: the gettext catalogs: ``LOCALE_DIR/es/LC_MESSAGES/cnnlab.po``
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "cnnlab"


def po_path(lang: str) -> Path:
    """The ``.po`` catalog of ``lang`` (``"es"``) in the package."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str | None = None) -> gettext.NullTranslations:
    """The gettext catalog of ``lang`` (or the environment's language); English, the source
    language, is the identity: ``translations("es").gettext("Options") == "Opciones"``."""
    return _translations(resolve_lang(lang))


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    po = po_path(lang)
    if lang == "en" or not po.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compiled_catalog(po)))


def compiled_catalog(po: Path) -> bytes:
    """The ``.mo`` bytes of the ``.po`` file ``po``, from the cache when this very ``.po`` (by
    its SHA-256) was compiled before, else compiled now and stored there."""
    source = po.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    cached = cache_dir() / "locale" / f"{po.parent.parent.name}-{po.stem}-{digest}.mo"
    with contextlib.suppress(OSError):
        return cached.read_bytes()
    mo = compile_po(source)
    with contextlib.suppress(OSError):  # a read-only cache: the catalog stays in memory
        atomic_write_bytes(cached, mo)
    return mo


def compile_po(source: bytes) -> bytes:
    """``.po`` text → ``.mo`` bytes, the same bytes every time; fuzzy entries are left out."""
    from babel.messages import mofile, pofile  # only for a .po new to the cache: 0.1 s to import

    out = io.BytesIO()
    mofile.write_mo(out, pofile.read_po(io.BytesIO(source)), use_fuzzy=False)
    return out.getvalue()


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
