"""Command-line interface: thin commands that parse, call the library and render.

The ``cnnlab`` command itself (with the browser lab's ``serve``) is put together in
:mod:`cnnlab.main`.
"""

from __future__ import annotations

from cnnlab.cli import (  # noqa: F401
    data_cmds,
    deck_cmds,
    detect_cmds,
    exercise_cmds,
    experiment_cmds,
    generate_cmds,
    model_cmds,
    ops_cmds,
    train_cmds,
    viz_cmds,
)
from cnnlab.cli.app import app, main

__all__ = ["app", "main"]
