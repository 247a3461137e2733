"""cnnlab's version, read from the installed package's metadata (the ground layer: anything may
import it, the package top included)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cnnlab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
