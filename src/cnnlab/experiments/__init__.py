"""Reproducible experiments; first of all the deck's conclusion (CNN vs MLP), measured.

>>> from cnnlab.experiments import CompareConfig, compare, write_outputs  # doctest: +SKIP
>>> result = compare(CompareConfig(dataset="digits", epochs=2, seeds=(0, 1)), "runs/cmp")
>>> write_outputs(result, "runs/cmp", lang="es")  # results.json, summary.md, figures
"""

from __future__ import annotations

from cnnlab.experiments.compare import DEFAULT_MODELS, CompareConfig, compare
from cnnlab.experiments.figures import (
    plot_overview,
    plot_parameters,
    plot_permutation,
    plot_shift,
)
from cnnlab.experiments.measure import (
    permuted_dataset,
    shift_accuracy,
    subset_dataset,
)
from cnnlab.experiments.report import TextTable, markdown, tables, write_outputs
from cnnlab.experiments.results import (
    ORIGINAL,
    PERMUTED,
    CompareResult,
    GrowthPoint,
    ModelSummary,
    Stat,
    Trial,
)

__all__ = [
    "DEFAULT_MODELS",
    "ORIGINAL",
    "PERMUTED",
    "CompareConfig",
    "CompareResult",
    "GrowthPoint",
    "ModelSummary",
    "Stat",
    "TextTable",
    "Trial",
    "compare",
    "markdown",
    "permuted_dataset",
    "plot_overview",
    "plot_parameters",
    "plot_permutation",
    "plot_shift",
    "shift_accuracy",
    "subset_dataset",
    "tables",
    "write_outputs",
]
