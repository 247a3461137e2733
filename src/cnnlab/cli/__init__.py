"""Command-line interface: thin commands that parse, call the library and render.

Each ``*_cmds`` module registers its commands on :data:`cnnlab.cli.app.app` when imported. The
``cnnlab`` command itself (with the browser lab's ``serve``) is put together in
:mod:`cnnlab.main`, which imports only the module of the command being run, so that a command
that needs no model never loads torch.
"""

from __future__ import annotations

from cnnlab.cli.app import app

__all__ = ["app"]
