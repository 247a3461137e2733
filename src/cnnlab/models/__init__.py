"""Models from spec strings that read like the deck's diagrams, presets and summaries.

>>> from cnnlab.models import build, summary
>>> model = build("conv(16,3) relu maxpool(2) conv(32,3) relu maxpool(2) flatten dense",
...               input_shape=(1, 28, 28), num_classes=10)
>>> [name for name, _ in model.named_children()][:3]
['conv1', 'relu1', 'pool1']
>>> summary(model).total_params
12810
"""

from __future__ import annotations

from cnnlab.models.build import SpecModel, build, parse_shape, plan, resolve_spec
from cnnlab.models.presets import PRESETS, Preset, preset_spec
from cnnlab.models.spec import LAYER_KINDS, LayerSpec, SpecError, parse_spec
from cnnlab.models.summary import (
    GrowthRow,
    Summary,
    SummaryRow,
    mlp_params,
    parameter_growth,
    summary,
)

__all__ = [
    "LAYER_KINDS",
    "PRESETS",
    "GrowthRow",
    "LayerSpec",
    "Preset",
    "SpecError",
    "SpecModel",
    "Summary",
    "SummaryRow",
    "build",
    "mlp_params",
    "parameter_growth",
    "parse_shape",
    "parse_spec",
    "plan",
    "preset_spec",
    "resolve_spec",
    "summary",
]
