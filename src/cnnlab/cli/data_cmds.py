"""CLI commands (data)."""

from __future__ import annotations

from cnnlab.cli.app import app  # noqa: F401
