"""Rich renderings for the terminal: matrices as tables like the deck's, never squeezed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table, box

from cnnlab.present.ops import fmt_cell


def matrix_table(
    arr: np.ndarray,
    title: str | None = None,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
) -> Table:
    """A table of ``arr`` with row and column indices, like the deck's tables."""
    rows = row_labels if row_labels is not None else [str(i) for i in range(arr.shape[0])]
    cols = col_labels if col_labels is not None else [str(j) for j in range(arr.shape[1])]
    table = Table(title=title, box=box.SIMPLE, pad_edge=False, title_justify="left")
    table.add_column("", style="dim", justify="right", no_wrap=True)
    for label in cols:
        table.add_column(label, justify="right", no_wrap=True)
    for label, row in zip(rows, arr, strict=True):
        table.add_row(label, *(fmt_cell(v) for v in row))
    return table


def show(console: Console, *items: RenderableType) -> None:
    """Print ``items``, widening past the terminal rather than squeezing a table's numbers."""
    for item in items:
        if isinstance(item, Table):
            if item.title:  # on its own line: a title wider than the table would wrap
                console.print(item.title)
                item.title = None
            wide = console.options.update_width(10_000)
            need = Measurement.get(console, wide, item).maximum
            if need > console.width:
                console = Console(width=need, highlight=False, file=console.file)
            console.print(item)
        else:
            console.print(item, crop=False)
