"""summary(): counts, multiply-adds and memory checked against PyTorch; parameter_growth()."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from cnnlab.errors import InvalidArgumentError
from cnnlab.models import PRESETS, build, mlp_params, parameter_growth, summary


def test_conv_mult_adds_follow_the_hand_formula():
    # C_out·H_out·W_out·(C_in/groups)·kH·kW
    s = summary("conv(6,5,padding=2)", (1, 28, 28))
    assert s.rows[0].mult_adds == 6 * 28 * 28 * 1 * 5 * 5 == 117_600
    assert s.rows[0].params == 6 * 25 + 6
    grouped = summary("conv(8,3,stride=2,groups=2,bias=false)", (4, 9, 9)).rows[0]
    h_out = (9 - 3) // 2 + 1  # 4
    assert grouped.output_shape == (8, h_out, h_out)
    assert grouped.mult_adds == 8 * h_out * h_out * (4 // 2) * 3 * 3 == 2304
    assert grouped.params == 8 * 2 * 9
    dense = summary("flatten dense(7)", (3, 4, 5)).rows[1]
    assert (dense.mult_adds, dense.params) == (60 * 7, 60 * 7 + 7)


@pytest.mark.parametrize("name", list(PRESETS))
def test_mult_adds_equal_half_of_pytorch_flop_counter(name):
    shape = PRESETS[name].input_shape
    model = build(name, shape, 10).eval()
    labels = (torch.zeros(1, dtype=torch.long),) if "latent" in PRESETS[name] else ()
    with FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, *shape), *labels)  # a generative preset also reads a label
    assert 2 * summary(model).total_mult_adds == counter.get_total_flops()


@pytest.mark.parametrize("name", [n for n in PRESETS if "latent" not in PRESETS[n]])
def test_memory_figures_match_the_real_tensors(name):  # classifiers: one child after the other
    shape = PRESETS[name].input_shape
    model = build(name, shape, 10).eval()
    outputs = []
    hooks = [c.register_forward_hook(lambda m, i, o: outputs.append(o)) for c in model.children()]
    model(torch.zeros(1, *shape))
    for hook in hooks:
        hook.remove()
    s = summary(model)
    assert s.activation_bytes == sum(o.numel() * o.element_size() for o in outputs)
    assert s.param_bytes == sum(p.numel() * p.element_size() for p in model.parameters())
    assert [r.output_shape for r in s.rows] == [tuple(o.shape[1:]) for o in outputs]


def test_mlp_equivalent_is_the_mlp_preset_on_the_same_input():
    s = summary(build("lenet5", (1, 28, 28), 10))
    mlp = build("mlp", (1, 28, 28), 10)
    assert s.mlp_equivalent_params == sum(p.numel() for p in mlp.parameters()) == 269_322
    assert s.has_conv and not summary("mlp").has_conv
    assert mlp_params(3 * 32 * 32, 10) == 3072 * 256 + 256 + 256 * 256 + 256 + 2570


def test_summary_accepts_names_specs_and_another_input_shape():
    by_name = summary("small-cnn")
    assert by_name.input_shape == (1, 28, 28) and by_name.num_classes == 10
    assert by_name.output_shape == (10,) and by_name.total_params == 34_026
    assert summary("lenet5", num_classes=3).output_shape == (3,)
    bigger = summary(build("tinyvgg", (1, 28, 28), 10), input_shape=(3, 64, 64))
    assert bigger.rows[-1].params == 10 * 13 * 13 * 10 + 10  # CNN Explainer's 64×64×3 input
    assert bigger.totals == {"params": bigger.total_params, "mult_adds": bigger.total_mult_adds}
    assert bigger.to_dict()["input_shape"] == (3, 64, 64)


def test_trainable_count_follows_requires_grad():
    model = build("lenet5", (1, 28, 28), 10)
    model.conv1.requires_grad_(False)
    s = summary(model)
    assert s.total_params - s.trainable_params == 156


def test_summary_rejects_foreign_objects_and_missing_shapes():
    with pytest.raises(InvalidArgumentError, match="Received: Linear"):
        summary(torch.nn.Linear(2, 2))
    with pytest.raises(InvalidArgumentError, match="needs input_shape"):
        summary("conv(4,3) relu")


def test_growth_mlp_grows_quadratically_while_conv_layers_stay_flat():
    sizes = (28, 64, 128, 256, 512, 1024)
    rows = parameter_growth(sizes)
    assert [r.size for r in rows] == list(sizes)
    assert len({r.conv_params for r in rows}) == 1
    assert rows[0].conv_params == (16 * 25 + 16) + (32 * 16 * 9 + 32) + (64 * 32 * 9 + 64)
    norms = 2 * (16 + 32 + 64)  # batch norm scales and shifts: not conv, not size-dependent
    for r in rows:  # small-cnn: three stride-2 convs leave ceil(size / 8)² positions per channel
        side = -(-r.size // 8)
        assert r.cnn_params == r.conv_params + norms + 64 * side * side * 10 + 10
    for small, big in itertools.pairwise(rows[2:]):  # doubling the side
        assert 3.9 < big.mlp_params / small.mlp_params < 4.0
        head = [r.cnn_params - r.conv_params - norms - 10 for r in (small, big)]
        assert head[1] == 4 * head[0]  # the dense head grows with the area
    pooled = parameter_growth((64, 128), cnn="conv(8,3,padding=same) relu maxpool(2) flatten dense")
    assert pooled[1].cnn_params - 10 == 4 * (pooled[0].cnn_params - 10) - 3 * (8 * 9 + 8)
    assert all(r.mlp_params > 10 * r.cnn_params for r in rows[1:])
    assert rows[0].mlp_params == 269_322


def test_growth_matches_built_models_and_global_pooling_keeps_cnn_flat():
    for row in parameter_growth((28, 40), cnn="lenet5", channels=3, num_classes=5):
        model = build("lenet5", (3, row.size, row.size), 5)
        assert row.cnn_params == sum(p.numel() for p in model.parameters())
        mlp = build("mlp", (3, row.size, row.size), 5)
        assert row.mlp_params == sum(p.numel() for p in mlp.parameters())
    gap = parameter_growth((16, 256), cnn="conv(8,3) relu conv(10,3) globalavgpool")
    assert gap[0].cnn_params == gap[1].cnn_params == gap[0].conv_params
    seq = parameter_growth((40, 80), cnn="cnn1d")
    assert seq[0].cnn_params == 5210 and seq[1].conv_params == seq[0].conv_params
    assert seq[1].mlp_params - seq[0].mlp_params == 40 * 256


def test_growth_too_small_input_names_the_layer():
    with pytest.raises(Exception, match=r"layer 4 conv\(16,5\)"):
        parameter_growth((8,), cnn="lenet5")
    assert math.isfinite(parameter_growth((8,))[0].cnn_params)
