"""Small HTML builders for cnnlab's self-contained pages (reports, sheets, the deck, the lab):
every text escaped, the style sheet inline, no scripts, nothing linked outside the file.

>>> esc('<b> & "x"')
'&lt;b&gt; &amp; &quot;x&quot;'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2457a6; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; background: white; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 8px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 34px 0 10px; font-size: 21px; color: var(--accent);
     border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0; font-size: 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 4px; }
.card { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
nav ol { columns: 2; margin: 8px 0 0; padding-left: 22px; }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
figure { margin: 10px 0 16px; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
p.note { color: var(--muted); }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f1f3f7; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap;
      overflow-wrap: anywhere; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: white; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, .cards, pre { break-inside: avoid; page-break-inside: avoid; }
  section.page { break-before: page; page-break-before: always; }
  a { color: inherit; }
}
"""


def esc(value: object) -> str:
    """Escape any value as HTML text."""
    return html.escape(str(value), quote=True)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool] | None = None,
    total: Sequence[object] | None = None,
) -> str:
    """A table; ``numeric`` right-aligns columns, ``total`` adds a bold last row."""
    numeric = numeric or [False] * len(headers)

    def cells(values: Sequence[object], tag: str) -> str:
        return "".join(
            f"<{tag}{' class=num' if n else ''}>{esc(v)}</{tag}>"
            for v, n in zip(values, numeric, strict=True)
        )

    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    if total is not None:
        body += f'<tr class="total">{cells(total, "td")}</tr>'
    return f"<table><thead><tr>{cells(headers, 'th')}</tr></thead><tbody>{body}</tbody></table>"


def section(sid: str, title: str, body: str, new_page: bool = False) -> str:
    """A section with an id (the report's anchors and the tests look for these)."""
    cls = ' class="page"' if new_page else ""
    return f'<section id="{esc(sid)}"{cls}><h2>{esc(title)}</h2>{body}</section>'


def page(title: str, lang: str, body: str) -> str:
    """The whole document: doctype, inline CSS, no external resources."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
