"""Figures and their errors in Spanish: value ranges and cell numbers with decimal commas."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnlab import viz
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import speaking
from cnnlab.viz.animate import frame_ends


def test_feature_map_ranges_are_written_with_spanish_marks(digits_run):
    x = np.random.default_rng(0).random((1, 8, 8), dtype=np.float32)
    fig = viz.plot_feature_maps(digits_run.model, x, digits_run.preprocess, max_channels=2,
                                lang="es")  # fmt: skip
    labels = " ".join(ax.get_ylabel() for ax in fig.axes)
    out = viz.layer_outputs(digits_run.model, digits_run.preprocess(x[None]))[0][2]
    low, high = (f"{v:.2g}".replace(".", ",") for v in (float(out.min()), float(out.max())))
    assert f"[{low}; {high}]" in labels  # conv1's value range, a semicolon between the ends
    assert not re.search(r"\d\.\d", labels)


def test_figure_and_animation_errors_are_in_spanish():
    fig = viz.plot_curves([{"epoch": 1, "train_loss": 0.5, "train_acc": 0.8}])
    with speaking("es"):
        with pytest.raises(InvalidArgumentError, match="formato de figura desconocido: 'bmp'"):
            viz.figure_bytes(fig, "bmp")
        with pytest.raises(InvalidArgumentError, match="no hay métricas que graficar"):
            viz.plot_curves([])
        with pytest.raises(InvalidArgumentError, match="--every 5 o más para 10 celdas"):
            frame_ends(10, 4, 2)
