"""Practice: generated, auto-checked exercises with worked solutions, problem sheets and grading.

>>> ex = make("conv-cell", seed=7, level="easy")
>>> ex.check(str(ex.answer)), ex.check("not a number")
(True, False)

Every exercise is regenerated exactly from ``(kind, seed, level)`` on any machine (NumPy's
PCG64 from a SeedSequence), so a sheet can be graded from its seeds alone.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable

import numpy as np

from cnnlab.errors import InvalidArgumentError
from cnnlab.exercises import kinds, layers
from cnnlab.exercises.core import LEVELS, Exercise, check_level, read_answer
from cnnlab.i18n import N_, _, unknown_name

#: every kind, in the order a course meets them
KINDS: dict[str, Callable[[np.random.Generator, str], Exercise]] = {
    "output-size": kinds.output_size,
    "conv-cell": kinds.conv_cell,
    "feature-map": kinds.feature_map,
    "correlate-vs-convolve": kinds.correlate_vs_convolve,
    "pooling": kinds.pooling,
    "parameters": layers.parameters,
    "receptive-field": layers.receptive_field,
    "which-kernel": kinds.which_kernel,
    "gradient": kinds.gradient,
}


def make(kind: str, seed: int = 0, level: str = "easy") -> Exercise:
    """The exercise ``kind`` for ``seed`` at ``level`` (easy, medium, hard)."""
    if kind not in KINDS:
        raise unknown_name(N_("exercise kind"), kind, list(KINDS))
    check_level(level)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidArgumentError(
            _("seed must be a whole number >= 0; expected e.g. 7. Received: seed={seed!r}",
              seed=seed)
        )  # fmt: skip
    rng = np.random.default_rng([zlib.crc32(kind.encode()), LEVELS.index(level), int(seed)])
    made = KINDS[kind](rng, level)
    return dataclasses.replace(made, seed=int(seed), answer=_plain(made.answer))


def _plain(value):
    """Whole numbers as ints (``-4.0`` → ``-4``), in matrices too, so JSON reads naturally."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


__all__ = ["KINDS", "LEVELS", "Exercise", "make", "read_answer"]
