"""Figures for the self-contained HTML pages: each inlined as a ``data:image/png;base64`` URI.
The rest of the page is built by :mod:`cnnlab.html`."""

from __future__ import annotations

import base64

from matplotlib.figure import Figure

from cnnlab.html import CSS, esc, page, section, table
from cnnlab.viz._common import figure_bytes

__all__ = ["CSS", "esc", "figure_html", "page", "png_data_uri", "section", "table"]


def png_data_uri(fig: Figure, dpi: int = 110) -> str:
    """The figure as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(figure_bytes(fig, "png", dpi)).decode()


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> str:
    """An inline image of ``fig`` with alt text and an optional caption."""
    uri = png_data_uri(fig)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{uri}" alt="{esc(alt)}">{cap}</figure>'
