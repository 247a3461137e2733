"""Command-line interface: thin commands that parse, call the library and render."""

from __future__ import annotations

from cnnlab.cli import (  # noqa: F401
    data_cmds,
    experiment_cmds,
    model_cmds,
    ops_cmds,
    train_cmds,
    viz_cmds,
    web_cmds,
)
from cnnlab.cli.app import app, main

#: the order `cnnlab --help` lists commands in: from one kernel to a trained, compared model
HELP_ORDER = (
    *("demo", "convolve", "explain", "pool", "kernels", "samples", "animate"),
    *("summary", "models", "train", "evaluate", "predict", "visualize", "report"),
    *("compare", "serve", "version"),
)


def _help_rank(command) -> int:
    name = command.name or command.callback.__name__.replace("_", "-")
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


app.registered_commands.sort(key=_help_rank)

__all__ = ["app", "main"]
