"""What ``cnnlab explain --transposed`` prints: one input value spread over an output window."""

from __future__ import annotations

from rich.console import Console

from cnnlab.cli.ops_render import matrix_table, show
from cnnlab.i18n import N_, number, shape_text, tr
from cnnlab.ops import SpreadStep
from cnnlab.present.ops import fits_table, position_labels

TEXT = {
    "head": N_(
        "Transposed convolution (stride {s}, padding {p}): input value ({row}, {col}) = "
        "{value} is multiplied by the whole kernel and added onto the output window starting at "
        "({r0}, {c0}) = (row·s − p, col·s − p); output {shape}."
    ),
    "adds": N_("added onto the output"),
    "overlap": N_(
        "The windows of neighbouring inputs start {s} apart; with a {k}-wide kernel they "
        "overlap and their contributions add up (rows or columns marked pad are cut by the "
        "padding)."
    ),
    "output": N_("output of the transposed convolution"),
}


def show_spread(step: SpreadStep, lang: str) -> None:
    """Print the sentence, the window's contribution with its output positions, the output."""
    console = Console(highlight=False)
    head = tr(TEXT, "head", lang, s=step.stride, p=step.padding, row=step.row, col=step.col,
              value=number(step.value, "g", lang), r0=step.output_origin[0],
              c0=step.output_origin[1],
              shape=shape_text(step.output.shape))  # fmt: skip
    rows, cols = position_labels(step.output_positions)
    window = matrix_table(step.contribution, tr(TEXT, "adds", lang), rows, cols)
    note = tr(TEXT, "overlap", lang, s=step.stride, k=step.kernel.shape[1])
    show(console, head, window, note)
    if fits_table(step.output.shape):
        title = f"{tr(TEXT, 'output', lang)} {shape_text(step.output.shape)}"
        show(console, matrix_table(step.output, title))
