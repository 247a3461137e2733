"""Figures (matplotlib, Agg; every function returns a Figure), animations and the HTML report.

>>> from cnnlab.viz import animate_conv, plot_kernels, save_figure, write_report  # doctest: +SKIP
"""

from __future__ import annotations

from cnnlab.viz._common import figure_bytes, save_figure
from cnnlab.viz.animate import ConvAnimation, animate_conv
from cnnlab.viz.cam import CamResult, grad_cam, plot_cams
from cnnlab.viz.layers import (
    layer_outputs,
    plot_feature_maps,
    plot_kernels,
    plot_pooling,
    pool_winners,
)
from cnnlab.viz.report import build_report, write_report
from cnnlab.viz.training import (
    confident_mistakes,
    plot_confusion,
    plot_curves,
    plot_mistakes,
    plot_parameter_growth,
    plot_run_growth,
    plot_samples,
)

__all__ = [
    "CamResult",
    "ConvAnimation",
    "animate_conv",
    "build_report",
    "confident_mistakes",
    "figure_bytes",
    "grad_cam",
    "layer_outputs",
    "plot_cams",
    "plot_confusion",
    "plot_curves",
    "plot_feature_maps",
    "plot_kernels",
    "plot_mistakes",
    "plot_parameter_growth",
    "plot_pooling",
    "plot_run_growth",
    "plot_samples",
    "pool_winners",
    "save_figure",
    "write_report",
]
