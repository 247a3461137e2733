"""Every generated answer recomputed by an independent path (torch, SciPy, brute force) over
hundreds of seeds and every level; the same seed gives the same exercise."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F

from cnnlab.exercises import KINDS, LEVELS, make
from cnnlab.exercises.layers import field_by_rule
from cnnlab.models import build

SEEDS = range(100)  # × 3 levels = 300 cases per kind


def t(a) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)[None, None]


def cases(kind: str):
    return [make(kind, seed, level) for level in LEVELS for seed in SEEDS]


def test_output_size_matches_torch_layers():
    for ex in cases("output-size"):
        d = ex.data
        x = torch.zeros(1, 1, d["n"], d["n"])
        if d["op"] == "conv":
            y = F.conv2d(x, torch.zeros(1, 1, d["k"], d["k"]), stride=d["stride"],
                         padding=d["padding"], dilation=d["dilation"])  # fmt: skip
        else:
            y = F.max_pool2d(x, d["k"], d["stride"], d["padding"])
        assert ex.answer == y.shape[2], ex.data


def test_conv_cells_and_maps_match_torch():
    for ex in cases("conv-cell") + cases("feature-map"):
        d = ex.data
        y = F.conv2d(t(d["image"]), t(d["kernel"]), stride=d["stride"], padding=d["padding"])[0, 0]
        if ex.kind == "conv-cell":
            assert ex.answer == pytest.approx(float(y[d["row"], d["col"]]))
        else:
            np.testing.assert_allclose(ex.answer, y.numpy())


def test_true_convolution_matches_scipy():
    for ex in cases("correlate-vs-convolve"):
        d = ex.data
        full = scipy.signal.convolve2d(d["image"], d["kernel"], mode="valid")
        assert ex.answer == pytest.approx(full[d["row"], d["col"]])


def test_pooling_matches_torch():
    for ex in cases("pooling"):
        d = ex.data
        pool = F.max_pool2d if d["kind"] == "max" else F.avg_pool2d
        y = pool(t(d["map"]), d["k"], d["k"])[0, 0].numpy()
        np.testing.assert_allclose(ex.answer, np.round(y, 2), atol=1e-9)


def test_parameter_counts_match_torch_modules():
    for ex in cases("parameters"):
        d = ex.data
        if d["kind"] == "conv":
            module = torch.nn.Conv2d(d["c_in"], d["c_out"], d["k"])
        elif d["kind"] == "dense":
            module = torch.nn.Linear(d["f_in"], d["f_out"])
        elif d["kind"] == "spec":
            module = build(d["spec"], tuple(d["input"]), d["classes"])
        else:
            module = build("mlp", (1, d["side"], d["side"]), 10)
        assert ex.answer == sum(p.numel() for p in module.parameters()), d


def brute_force_field(layers) -> int:
    """How many input columns one output cell depends on, read from torch's gradient."""
    side = 200
    net = []
    for name, k, s in layers:
        if name == "conv":
            conv = torch.nn.Conv2d(1, 1, k, s, bias=False)
            torch.nn.init.ones_(conv.weight)
            net.append(conv)
        else:
            net.append(torch.nn.AvgPool2d(k, s))  # linear: every input of the window counts
    x = torch.ones(1, 1, side, side, requires_grad=True)
    y = torch.nn.Sequential(*net)(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    cols = torch.nonzero(x.grad[0, 0].abs().sum(dim=0)).flatten()
    return int(cols.max() - cols.min() + 1)


def test_receptive_fields_match_a_brute_force_gradient():
    for ex in cases("receptive-field"):
        assert (
            ex.answer == field_by_rule(ex.data["layers"]) == brute_force_field(ex.data["layers"])
        ), ex.data


def test_which_kernel_has_one_right_choice():
    from cnnlab.ops.explain import convolve_image
    from cnnlab.samples import get_kernel

    for ex in cases("which-kernel"):
        image = np.array(ex.data["image"], float)
        right = [
            c
            for c in ex.choices
            if np.allclose(convolve_image(image, get_kernel(c)), ex.data["map"], atol=1e-3)
        ]
        assert right == [ex.answer]  # fmt: skip


def test_gradients_match_autograd():
    for ex in cases("gradient"):
        d = ex.data
        w = t(d["w"]).requires_grad_(True)
        y = F.conv2d(t(d["x"]), w)
        (y * t(d["g"])).sum().backward()
        assert ex.answer == pytest.approx(float(w.grad[0, 0, d["i"], d["j"]]))


@pytest.mark.parametrize("kind", list(KINDS))
def test_same_seed_same_exercise_and_its_own_answer_checks(kind):
    for level in LEVELS:
        a, b = make(kind, 11, level), make(kind, 11, level)
        assert a == b and a.to_dict("es") == b.to_dict("es")
        typed = (
            a.answer
            if a.form != "matrix"
            else "; ".join(" ".join(str(v) for v in row) for row in a.answer)
        )
        assert a.check(str(typed)) and not a.check("banana")
        assert a.solution("es")[-1].startswith("Respuesta:")
    assert make(kind, 11) != make(kind, 12) or kind == "output-size"
