"""The hand-checkable examples in the docstrings (output sizes, kernels, samples) really run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cnnlab.ops",
    "cnnlab.ops.sizes",
    "cnnlab.samples",
    "cnnlab.samples.kernels",
    "cnnlab.samples.images",
    "cnnlab.inputs",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} lost its examples"
    assert result.failed == 0
