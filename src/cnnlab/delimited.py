"""Delimited text as spreadsheets write it, read one way everywhere: INPUT matrices, exercise
rosters and answer sheets.

The cell separator is found from the content: ``;`` or a tab where every line splits into the
same number of cells that way, else ``,``, else runs of spaces. A decimal comma is possible only
where ``;``, a tab or spaces separate cells (in a comma-separated file a comma is a separator);
:func:`decimal_mark` decides it from the cells. The text may start with a BOM and be UTF-8,
UTF-16 (Excel's "Unicode text") or Windows-1252 (older Excel); ``\\r\\n``, ``\\n`` and ``\\r``
all end a line. Cells are split by the csv module, so quoted cells may hold separators.
``csv.Sniffer`` is not used: it reads Spanish Excel's ``0,2;1,3`` as cells separated by commas.

>>> read_delimited("0,2;1,3\\n1,5;2\\n".encode()).dialect
Dialect(delimiter=';', encoding='utf-8')
>>> decimal_mark([(1, "", ["0,2", "1,3"])], ";")
','
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cnnlab.errors import InputFileError, clip
from cnnlab.i18n import N_, _, tr

#: separators tried in order; " " stands for any run of spaces
SEPARATORS = (";", "\t", ",", " ")
SEPARATOR_NAMES = {";": N_("';'"), "\t": N_("tabs"), ",": N_("','"), " ": N_("spaces")}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": N_("UTF-8 with BOM"), "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "cp1252": "Windows-1252"}  # fmt: skip
SAMPLE_LINES = 64  # lines the separator is judged on (the whole file is split by it)


@dataclass(frozen=True)
class Dialect:
    """How a text was read: its cell separator and its encoding."""

    delimiter: str  # ";", "\t", "," or " " (any run of spaces)
    encoding: str = "utf-8"  # as Python names it: utf-8, utf-8-sig, utf-16, cp1252

    def describe(self, decimal: str | None = None) -> str:
        """``cells separated by ';', decimal comma, UTF-8`` in the current language."""
        sep = tr(SEPARATOR_NAMES, self.delimiter)
        enc = tr(ENCODING_NAMES, self.encoding)
        if decimal is None:
            return _("cells separated by {sep}, {encoding}", sep=sep, encoding=enc)
        mark = _("decimal comma") if decimal == "," else _("decimal point")
        return _("cells separated by {sep}, {mark}, {encoding}", sep=sep, mark=mark, encoding=enc)


#: (line number, the line as written, its cells stripped of spaces)
Row = tuple[int, str, list[str]]


@dataclass(frozen=True)
class Table:
    """The non-blank lines of a text, split into cells, and how they were read."""

    rows: list[Row]
    dialect: Dialect


def decode(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of bytes a spreadsheet or editor wrote, or None for binary data.

    A BOM decides (UTF-8, UTF-16); NUL bytes in every other place mean UTF-16 without one;
    then UTF-8, then Windows-1252. Text holding control characters other than line breaks and
    tabs is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        tries = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        tries = ["utf-8-sig"]
    elif b"\x00" in data[:64] and len(data) % 2 == 0:
        tries = ["utf-16-le" if data[1:64:2].count(0) > data[0:64:2].count(0) else "utf-16-be"]
    else:
        tries = ["utf-8", "cp1252"]
    for encoding in tries:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16":
            text = text.removeprefix("\ufeff")
        return (text, encoding) if _looks_like_text(text) else None
    return None


def _looks_like_text(text: str) -> bool:
    return all(ch.isprintable() or ch.isspace() for ch in text[:4096]) and "\x00" not in text


def text_lines(text: str, comments: bool = False) -> list[tuple[int, str]]:
    """``(line number, line)`` of the non-blank lines (``#`` lines left out with ``comments``);
    ``\\r\\n``, ``\\n`` and ``\\r`` each end a line."""
    lines = io.StringIO(text, newline=None).read().split("\n")  # universal newlines
    return [(n, line) for n, line in enumerate(lines, start=1)
            if line.strip() and not (comments and line.lstrip().startswith("#"))]  # fmt: skip


def split_line(line: str, delimiter: str) -> list[str]:
    """The stripped cells of one line (quoted cells may hold the separator)."""
    if '"' not in line:  # the common case, without the csv module's 128 KiB cell limit
        return [cell.strip() for cell in (line.split() if delimiter == " " else
                                          line.split(delimiter))]  # fmt: skip
    if delimiter == " ":
        line = line.strip()
    try:
        cells = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
    except csv.Error as exc:
        raise InputFileError(_("a line could not be split into cells; expected cells of at most "
                               "128 KiB with their quotes closed. Received: {error}: {line!r}",
                               error=exc, line=clip(line))) from None  # fmt: skip
    return [cell.strip() for cell in cells]


def sniff(lines: list[tuple[int, str]]) -> str:
    """The cell separator of ``lines``: the first of ``;``, tab, ``,`` that splits every sampled
    line into the same number (> 1) of cells, else the first of them the first line holds, else
    spaces."""
    sample = [line for _n, line in lines[:SAMPLE_LINES]]
    if not sample:
        return ","
    for sep in SEPARATORS[:3]:
        counts = {len(split_line(line, sep)) for line in sample}
        if len(counts) == 1 and counts.pop() > 1:
            return sep
    return next((sep for sep in SEPARATORS[:3] if sep in sample[0]), " ")


def read_delimited(
    data: bytes,
    label: str = "<text>",
    expected: str | None = None,
    comments: bool = False,
    decimal_comma: bool = False,
    check: Callable[[int, int], None] | None = None,
) -> Table:
    """Decode ``data`` and split its non-blank lines into cells (see the module's rules).

    ``expected`` ends the refusal of binary data; ``comments`` leaves out ``#`` lines;
    ``decimal_comma`` says the commas are decimal marks, so they never separate cells;
    ``check(lines, cells of the first line)`` runs before any line is split (a size limit)."""
    decoded = decode(data)
    if decoded is None:
        raise InputFileError(_("{label} is not text (UTF-8, UTF-16 or Windows-1252); {expected}. "
                               "Received: binary data starting {head!r}", label=label,
                               expected=expected or _("expected a table saved as CSV or text"),
                               head=data[:8]))  # fmt: skip
    text, encoding = decoded
    lines = text_lines(text, comments)
    sep = sniff(lines)
    if decimal_comma and sep == ",":
        sep = " "
    if check is not None and lines:
        check(len(lines), len(split_line(lines[0][1], sep)))
    rows = [(n, line, split_line(line, sep)) for n, line in lines]
    return Table(rows, Dialect(sep, encoding))


_POINT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$")
_COMMA = re.compile(r"^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$")


def decimal_mark(rows: Iterable[Row], delimiter: str) -> str | tuple[str, str]:
    """``","`` where the cells write a decimal comma (never in a comma-separated text), ``"."``
    otherwise, or the two cells ``(point, comma)`` when both marks occur (ambiguous)."""
    if delimiter == ",":
        return "."
    point = comma = None
    for _n, _line, cells in rows:
        for cell in cells:
            if point is None and _POINT.match(cell):
                point = cell
            elif comma is None and _COMMA.match(cell):
                comma = cell
        if point is not None and comma is not None:
            return (point, comma)
    return "," if comma is not None else "."


#: a number grouped in thousands by the other mark: 1.234,5 (decimal comma), 1,234.5 (point)
_GROUPED = {",": re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$"),
            ".": re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")}  # fmt: skip


def to_float(cell: str, decimal: str) -> float:
    """A cell as a number with ``decimal`` as its mark; the other mark may group thousands
    (``"0,2"`` → 0.2 and ``"1.234,5"`` → 1234.5 with ``","``), else it raises ValueError."""
    other = "." if decimal == "," else ","
    if _GROUPED[decimal].match(cell):
        cell = cell.replace(other, "")
    elif other in cell:
        raise ValueError(cell)
    return float(cell.replace(",", "."))
