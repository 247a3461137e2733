"""Sentences out of fortune files and manual pages (roff), cleaned the same way for every language.

A fortune file holds quotations separated by lines with a single ``%``; the author line (``--
Name``) is dropped. A manual page is roff: macro lines (``.SH``, ``.PP``, ...) end a paragraph,
the font macros (``.B word``, ``.IR a b``) keep their words, code blocks (``.nf``/``.fi``,
``.EX``/``.EE``) are skipped, and escapes (``\\fB``, ``\\-``, ``\\(aq``) become plain characters.
Paragraphs are split into sentences after ``.``, ``!`` or ``?`` followed by a capital letter,
and a sentence is kept only if it reads as prose: 12 to 160 characters, at least three words,
a capital (or ``¿``, ``¡``, ``«``, ``"``) first and ``.``, ``!``, ``?`` last, at least 85% of its
other characters letters, and none of the characters of code and paths (``/ \\ _ = < > { } [ ] |
$ # @ * ~ ^``).
"""

from __future__ import annotations

import gzip
import io
import re

from cnnlab.errors import DataError
from cnnlab.i18n import _

MIN_CHARS, MAX_CHARS = 12, 160  # a kept sentence's length, in characters (code points)
MIN_WORDS = 3
MIN_LETTER_SHARE = 0.85  # of the characters that are neither spaces nor punctuation . , ; : ' "
MAX_MAN_BYTES = 4 << 20  # one decompressed manual page

_CODE_CHARS = re.compile(r"[/\\_=<>{}\[\]|$#@*~^`%+0-9]")
_SPLIT = re.compile(r"(?<=[.!?])[\"»”)]?\s+(?=[\"«“¿¡(]?[A-ZÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÄÖÜÇÑ])")
_SPACE = re.compile(r"\s+")
_FIRST = re.compile(r"[\"«“¿¡]?[A-ZÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÄÖÜÇÑ]")
_LAST = re.compile(r"[.!?][\"»”]?$")
_PUNCT = set(" .,;:'\"!?¿¡«»“”’()-–—")
_ESCAPES = {
    r"\-": "-", r"\(aq": "'", r"\(em": "—", r"\(en": "–", r"\(lq": "“", r"\(rq": "”",
    r"\(Fo": "«", r"\(Fc": "»", r"\[Fo]": "«", r"\[Fc]": "»", r"\(oq": "‘", r"\(cq": "’",
    r"\e": "\\", r"\&": "", r"\ ": " ", r"\~": " ", r"\c": "", r"\%": "", r"\|": "", r"\^": "",
}  # fmt: skip
_ESCAPE = re.compile("|".join(re.escape(k) for k in sorted(_ESCAPES, key=len, reverse=True)))
_NAME = r"(\(..|\[[^\]]*\]|.)"  # a roff name: one character, (xx or [long]
_FONT = re.compile(rf"\\f{_NAME}|\\s[+-]?\d+|\\\*{_NAME}|\\\(..|\\\[[^\]]*\]")
_FONT_MACROS = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB"}
_CODE_START, _CODE_END = {"nf", "EX"}, {"fi", "EE"}


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences and keep those that read as prose (module docstring).

    >>> sentences("Hola, ¿qué tal estás hoy? Bien. Ver /etc/passwd para más detalles ahora.")
    ['Hola, ¿qué tal estás hoy?']
    """
    flat = _SPACE.sub(" ", text).strip()
    return [s for s in _SPLIT.split(flat) if is_prose(s)]


def is_prose(s: str) -> bool:
    """The sentence filter of the module docstring."""
    if not MIN_CHARS <= len(s) <= MAX_CHARS or len(s.split()) < MIN_WORDS:
        return False
    if not _FIRST.match(s) or not _LAST.search(s) or _CODE_CHARS.search(s):
        return False
    body = [c for c in s if c not in _PUNCT]
    return bool(body) and sum(c.isalpha() for c in body) >= MIN_LETTER_SHARE * len(body)


def decode(raw: bytes) -> str:
    """UTF-8 text, or Latin-1 for the older fortune files that are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def fortune_sentences(raw: bytes) -> list[str]:
    """The prose sentences of one fortune file (quotations separated by ``%`` lines)."""
    out = []
    for quote in re.split(r"^%\s*$", decode(raw), flags=re.MULTILINE):
        lines = [ln for ln in quote.splitlines() if not re.match(r"\s*(--|—|~~)", ln)]
        out.extend(sentences(" ".join(lines)))
    return out


def _macro_text(line: str) -> tuple[str | None, str]:
    """(macro name or None, the words the line contributes to the running paragraph)."""
    if not line.startswith((".", "'")):
        return None, line
    parts = line[1:].strip().split(None, 1)
    name = parts[0] if parts else ""
    if name in _FONT_MACROS and len(parts) > 1:
        words = re.findall(r'"([^"]*)"|(\S+)', parts[1])
        joiner = "" if len(name) == 2 else " "  # .BR a b → "ab" (alternating fonts, no space)
        return name, joiner.join(a or b for a, b in words)
    return name, ""


def roff_paragraphs(source: str) -> list[str]:
    """Paragraphs of plain text from a roff manual page (module docstring)."""
    paragraphs, current, in_code = [], [], False
    for line in source.splitlines():
        if line.startswith(('.\\"', "'\\\"", '.\\"')):
            continue
        name, words = _macro_text(line)
        if name in _CODE_START or name in _CODE_END:
            in_code = name in _CODE_START
        if in_code or (name is not None and not words):
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        current.append(words)
    if current:
        paragraphs.append(" ".join(current))
    return [plain(p) for p in paragraphs]


def plain(text: str) -> str:
    """Roff escapes to characters: ``plain(r"\\fBls\\fR lists \\(aqfiles\\(aq")`` →
    ``"ls lists 'files'"``."""
    text = _ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)
    return _FONT.sub("", text)


def man_sentences(raw: bytes) -> list[str]:
    """The prose sentences of one gzip-compressed manual page."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = fh.read(MAX_MAN_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise DataError(_("a manual page is not valid gzip: {exc}", exc=exc)) from None
    if len(data) > MAX_MAN_BYTES:
        return []
    out = []
    for paragraph in roff_paragraphs(decode(data)):
        out.extend(sentences(paragraph))
    return out
