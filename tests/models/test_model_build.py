"""Building models: presets' pinned counts, naming, rebuild-from-spec, forward shapes."""

from __future__ import annotations

import json

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.errors import ShapeError
from cnnlab.models import PRESETS, SpecModel, build, preset_spec, summary

# Parameter counts published for these architectures (LeNet-5 with padding 2 on MNIST: 61,706;
# PyTorch examples/mnist: 1,199,882; 784-256-256-10 MLP: 269,322) and hand-computed for the rest.
PINNED = {
    "lenet5": 61_706,
    "pytorch-example": 1_199_882,
    "mlp": 269_322,
    "logistic": 784 * 10 + 10,
    "tinyvgg": (1 * 10 * 9 + 10) + 3 * (10 * 10 * 9 + 10) + (10 * 4 * 4 * 10 + 10),
    # three stride-2 convs (28 -> 14 -> 7 -> 4), each followed by batch norm (2 params/channel)
    "small-cnn": sum((16 * 25 + 16, 32, 32 * 16 * 9 + 32, 64, 64 * 32 * 9 + 64, 128))
    + (64 * 4 * 4 * 10 + 10),
    "cnn1d": (25 * 5 + 25) + 2 * (25 * 25 * 3 + 25) + (25 * 5 * 10 + 10),
    "mlp1d": (40 * 100 + 100) + (100 * 100 + 100) + (100 * 10 + 10),
    # (1 + 10 label channels) conv 16, conv 32, latent (32·7·7 + 10 → 2·4), dense to 32·7·7,
    # (32 + 10) convt 16, (16 + 10) convt 1
    "conv-vae": (11 * 16 * 16 + 16)
    + (16 * 32 * 16 + 32)
    + (1568 + 10) * 8
    + 8
    + (14 * 1568 + 1568)
    + (42 * 16 * 16 + 16)
    + (26 * 1 * 16 + 1),
    "mlp-vae": (794 * 31 + 31) + (41 * 8 + 8) + (14 * 31 + 31) + (41 * 784 + 784),
    # text: a 1024-id embedding of 16, 64 kernels of 5 characters; 2,048 n-gram counts
    "char-cnn": 1024 * 16 + (64 * 16 * 5 + 64) + (64 * 10 + 10),
    "ngram-mlp": (2048 * 10 + 10) + (10 * 10 + 10),
}
#: presets that classify (the generative ones take a label and give back an image)
CLASSIFIERS = [name for name in PRESETS if "latent" not in PRESETS[name]]


def numel(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_parameter_counts_are_pinned(name):
    model = build(name, PRESETS[name].input_shape, 10)
    assert numel(model) == PINNED[name]
    assert summary(model).total_params == PINNED[name]


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_preset_forward_matches_summary(name):
    shape = PRESETS[name].input_shape
    model = build(name, shape, 10).eval()
    out = model(torch.randn(3, *shape))  # (N, K)
    s = summary(model)
    assert tuple(out.shape) == (3, *s.output_shape) == (3, 10)
    assert s.total_params == numel(model)
    assert PRESETS[name].describe("es") != PRESETS[name].describe("en")
    assert PRESETS[name] == preset_spec(name)


def test_children_are_named_in_order_and_state_dict_keys_are_deterministic():
    spec = "conv(16,3) relu maxpool(2) conv(32,3) relu maxpool(2) flatten dense(10)"
    model = build(spec, (1, 28, 28), num_classes=10)
    names = [n for n, _ in model.named_children()]
    assert names == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "dense1"]
    assert list(model.state_dict()) == [
        "conv1.weight",
        "conv1.bias",
        "conv2.weight",
        "conv2.bias",
        "dense1.weight",
        "dense1.bias",
    ]
    assert isinstance(model, torch.nn.Sequential)
    assert model.input_shape == (1, 28, 28) and model.spec == spec


@pytest.mark.parametrize("name", list(PRESETS))
def test_rebuild_from_spec_and_config_gives_the_same_architecture(name):
    model = build(name, PRESETS[name].input_shape, 7, seed=3)
    config = json.loads(json.dumps(model.config))  # as stored in config.json
    again = build(**config, seed=3)
    assert again.spec == model.spec
    a, b = model.state_dict(), again.state_dict()
    assert list(a) == list(b)
    assert all(a[k].shape == b[k].shape and torch.equal(a[k], b[k]) for k in a)
    again.load_state_dict(model.state_dict())  # strict: same names and shapes
    assert str(again) == str(model)


def test_seed_is_reproducible_and_leaves_global_rng_alone():
    torch.manual_seed(0)
    expected = torch.rand(1)
    torch.manual_seed(0)
    w1 = build("lenet5", (1, 28, 28), 10, seed=5).conv1.weight
    assert torch.equal(torch.rand(1), expected)
    w2 = build("lenet5", (1, 28, 28), 10, seed=5).conv1.weight
    w3 = build("lenet5", (1, 28, 28), 10, seed=6).conv1.weight
    assert torch.equal(w1, w2) and not torch.equal(w1, w3)


def test_head_is_appended_when_the_spec_stops_early():
    model = build("conv(8,3) relu maxpool(2)", (1, 28, 28), 10)
    assert model.spec == "conv(8,3) relu maxpool(2) flatten dense(10)"
    assert tuple(model(torch.zeros(2, 1, 28, 28)).shape) == (2, 10)
    flat = build("flatten dense(32) relu", (1, 8, 8), 4)
    assert flat.spec == "flatten dense(32) relu dense(4)"
    gap = build("conv(10,3) relu globalavgpool", (3, 9, 9), 10)  # already K outputs: kept
    assert gap.spec == "conv(10,3) relu globalavgpool"
    assert tuple(gap(torch.zeros(1, 3, 9, 9)).shape) == (1, 10)


def test_without_num_classes_the_spec_is_kept_as_is():
    model = build("conv(8,3) relu", (1, 6, 6))
    assert model.spec == "conv(8,3) relu"
    assert tuple(model(torch.zeros(1, 1, 6, 6)).shape) == (1, 8, 4, 4)


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel:UserWarning")
def test_padding_same_keeps_size_for_odd_and_even_kernels():
    for k in (2, 3, 4, 5):
        model = build(f"conv(4,{k},padding=same)", (1, 7, 7))
        assert tuple(model(torch.zeros(1, 1, 7, 7)).shape) == (1, 4, 7, 7)
    strided = build("conv(4,3,stride=2,padding=same)", (1, 7, 7))
    assert summary(strided).output_shape == (4, 4, 4)  # ceil(7 / 2)


def test_one_dimensional_context_for_pooling_and_batchnorm():
    model = build("conv1d(8,3) batchnorm relu maxpool(2) avgpool(2) globalavgpool", (2, 20), 8)
    kinds = [p.kind for p in model.plan]
    assert kinds == ["conv1d", "batchnorm1d", "relu", "maxpool1d", "avgpool1d", "globalavgpool"]
    assert tuple(model(torch.zeros(2, 2, 20)).shape) == (2, 8)


def test_model_moves_between_devices_and_dtypes_like_any_module():
    model = build("small-cnn", (1, 28, 28), 10).to("cpu", torch.float64)
    assert model(torch.zeros(1, 1, 28, 28, dtype=torch.float64)).dtype == torch.float64
    assert isinstance(model, SpecModel)


# Random specs: every layer kind, drawn with small sizes so each example is cheap.
LAYER = st.one_of(
    st.builds(
        lambda o, k, s, p, b: f"conv({o},{k},stride={s},padding={p},bias={b})",
        st.integers(1, 4),
        st.integers(1, 4),
        st.integers(1, 2),
        st.sampled_from(["0", "1", "same", "valid"]),
        st.sampled_from(["true", "false"]),
    ),
    st.builds(lambda k, s: f"maxpool({k},{s})", st.integers(1, 3), st.integers(1, 3)),
    st.builds(lambda k: f"avgpool({k})", st.integers(1, 3)),
    st.sampled_from(["relu", "tanh", "sigmoid", "gelu", "batchnorm", "dropout(0.3)"]),
    st.sampled_from(["flatten", "globalavgpool", "dense(5)", "dense(3,bias=false)"]),
)


@given(
    layers=st.lists(LAYER, min_size=1, max_size=6),
    shape=st.tuples(st.integers(1, 3), st.integers(1, 12), st.integers(1, 12)),
    classes=st.integers(1, 6),
)
def test_random_specs_summary_matches_forward_pass(layers, shape, classes):
    spec = " ".join(layers)
    try:
        model = build(spec, shape, classes).eval()
    except ShapeError:
        return  # a misfit is reported before any weight exists; checked in test_model_spec
    s = summary(model)
    x = torch.randn(2, *shape)  # (N, C, H, W)
    for row, (name, child) in zip(s.rows, model.named_children(), strict=True):
        x = child(x)
        assert row.name == name
        assert tuple(x.shape[1:]) == row.output_shape
        assert row.params == sum(p.numel() for p in child.parameters())
    assert tuple(x.shape) == (2, classes)
    assert build(model.spec, shape, classes).spec == model.spec
