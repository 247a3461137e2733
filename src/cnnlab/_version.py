"""cnnlab's version: the one place it is written (pyproject.toml reads it from here); the ground
layer, so anything may import it, the package top included."""

__version__ = "0.1.0"
