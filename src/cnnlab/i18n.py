"""English and Spanish text for people: messages, errors, warnings, help, tables, figures, pages.

Every such text is written in English, the source language, and translated through gettext
catalogs: ``_("kernel {k} is too large", k=...)`` gives the text in the current language with its
placeholders filled, numbers in that language's marks (:func:`number`). A module that names its
texts keeps a table ``{key: N_("...")}`` and calls :func:`tr`. The language comes from an explicit
``lang`` argument, else the one set by :func:`speaking` (the CLI sets ``--lang`` for the whole
command, the lab the page's language for one request), else ``CNNLAB_LANG``, else
``LC_ALL``/``LANG`` (``es_*`` gives Spanish), else English. Code, identifiers and logs stay in
English.

``locale/LANG/LC_MESSAGES/cnnlab.po`` in the package is the only copy of a translation. Its binary
form, the ``.mo`` file gettext reads, is compiled from the ``.po`` (with Babel) the first time a
process needs it and kept in the cnnlab cache under a name made of the ``.po``'s SHA-256, so an
edited ``.po`` is compiled again and a stale ``.mo`` is never read. Nothing is built at install
time, so a plain, an editable (``pip install -e .``) and a wheel install behave the same; where the
cache cannot be written, the ``.mo`` is kept in memory. ``scripts/update_catalog.py`` (``make
catalog``) extracts the English texts (the CLI's help from the live command tree, every
``_()``/``N_()`` text from the source) into the ``.po``, keeping the translations it has."""

from __future__ import annotations

import contextlib
import difflib
import functools
import gettext
import hashlib
import io
import os
import string
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from numbers import Number
from pathlib import Path

from cnnlab.errors import InvalidArgumentError, UnknownNameError, clip
from cnnlab.fileio import atomic_write_bytes, cache_dir

LANGS = ("en", "es")

#: the language :func:`speaking` set for the work in progress (None: the environment's)
_SPEAKING: ContextVar[str | None] = ContextVar("cnnlab_speaking", default=None)


def resolve_lang(lang: str | None = None) -> str:
    """Return ``"en"`` or ``"es"`` from ``lang``, else :func:`speaking`'s, else the environment."""
    if lang:
        code = lang.strip().lower()[:2]
        if code not in LANGS:
            raise InvalidArgumentError(
                _(
                    "unknown language {lang!r}; expected one of: {known}. Received: lang={lang!r}",
                    lang=lang,
                    known=", ".join(LANGS),
                )
            )
        return code
    if _SPEAKING.get():
        return _SPEAKING.get()
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


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Within this block, text for people is in ``lang`` (None: leave the language as it is)."""
    token = _SPEAKING.set(resolve_lang(lang) if lang else _SPEAKING.get())
    try:
        yield resolve_lang()
    finally:
        _SPEAKING.reset(token)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog where it is written; :func:`tr` or :func:`_` translates
    it where it is shown."""
    return message


def _(message: str, /, **params: object) -> str:
    """``message`` (English) in the current language, its ``{placeholders}`` filled from
    ``params`` with numbers in that language's marks: ``_("{n:,} images", n=1438.5)`` is
    ``"1,438.5 images"`` in English and ``"1 438,5 imágenes"`` (thin space) in Spanish."""
    return translate(message, resolve_lang(), params)


def tr(table: Mapping[str, str], key: str, lang: str | None = None, **fmt) -> str:
    """The text ``key`` of ``table`` (an English text marked ``N_``) in ``lang`` (default: the
    current language), its ``{placeholders}`` filled from ``fmt`` as :func:`_` does."""
    return translate(table[key], resolve_lang(lang), fmt)


def translate(message: str, lang: str, params: Mapping[str, object]) -> str:
    """``message`` in ``lang`` (``"en"`` or ``"es"``), filled from ``params`` if any."""
    text = translations(lang).gettext(message) if message else message
    return _Local(lang).format(text, **params) if params else text


# ---- numbers and shapes as people read them, one rule for every front end ----

#: Spanish writes 1 438,5: a decimal comma and a thin space (U+2009) between thousands
THIN_SPACE = "\u2009"
_SPANISH_MARKS = str.maketrans({",": THIN_SPACE, ".": ","})


def number(value: Number, spec: str = "", lang: str | None = None) -> str:
    """``format(value, spec)`` in ``lang``'s marks, the one number formatter of every front end:
    ``number(1438.5, ",.1f", "es") == "1\u2009438,5"``, ``number(0.929, ".1%", "es") ==
    "92,9\u00a0%"`` (Spanish sets a percent sign apart), English as Python writes it."""
    text = format(value, spec)
    if resolve_lang(lang) != "es":
        return text
    text = text.translate(_SPANISH_MARKS)
    return text[:-1] + "\u00a0%" if text.endswith("%") else text


class _Local(string.Formatter):
    """``str.format`` whose numbers (not bools) are written by :func:`number` in one language;
    ``{x!r}`` of a number is the number itself."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def convert_field(self, value, conversion):
        if _is_number(value) and conversion in ("r", "s"):
            return value
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        if _is_number(value):
            return number(value, format_spec, self.lang)
        return super().format_field(value, format_spec)


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def local_number(text: str, lang: str | None = None) -> str:
    """A number written the English way, in ``lang``'s marks: Spanish writes a decimal comma
    and a thin space between thousands (``local_number("1,438.5", "es") == "1\u2009438,5"``)."""
    return text.translate(_SPANISH_MARKS) if resolve_lang(lang) == "es" else text


def group(n: int | float, lang: str | None = None, digits: int = 1) -> str:
    """Thousands separators: ``61,706`` in English, ``61 706`` (thin space) in Spanish (floats:
    ``digits``)."""
    return number(n, "," if isinstance(n, int) else f",.{digits}f", lang)


def fixed(x: float, decimals: int, lang: str | None = None) -> str:
    """A decimal number: ``0.2770`` in English, ``0,2770`` in Spanish."""
    return number(float(x), f".{decimals}f", lang)


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


# ---- the message for a name that does not exist, in every language ----


#: the longest name a "did you mean" hint is looked for (difflib's cost grows with the square of
#: the length: a 4 MiB name took a worker's CPU for half a minute)
SUGGEST_CHARS = 40


def suggest(name: str, known: Iterable[str], n: int = 3) -> str:
    """A ``did you mean ...?`` hint for ``name`` among ``known`` (empty if none is close, or if
    ``name`` is longer than :data:`SUGGEST_CHARS`)."""
    if len(name) > SUGGEST_CHARS:
        return ""
    close = difflib.get_close_matches(name, list(known), n=n, cutoff=0.5)
    if not close:
        return ""
    return " " + _("Did you mean {names}?", names=_(" or ").join(repr(c) for c in close))


def unknown_name(kind: str, name: str, known: Iterable[str]) -> UnknownNameError:
    """The standard error for an unknown ``kind`` (an English text marked ``N_``, translated
    here) called ``name``."""
    known = sorted(known)
    kind, shown = translate(kind, resolve_lang(), {}), clip(name)
    return UnknownNameError(
        _("unknown {kind} {name!r}; expected one of: {known}.", kind=kind, name=shown,
          known=", ".join(known))
        + suggest(name, known) + " " + _("Received: {name!r}", name=shown)
    )  # fmt: skip
