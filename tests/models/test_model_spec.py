"""Spec strings: parsing, canonical form and errors that point at the bad token."""

from __future__ import annotations

import pytest

from cnnlab.errors import CnnlabError, InvalidArgumentError, ShapeError, UnknownNameError
from cnnlab.i18n import speaking
from cnnlab.models import SpecError, build, parse_spec

IMG = (1, 28, 28)


def test_parse_records_kinds_args_and_positions():
    layers = parse_spec("conv(16, 3) relu -> maxpool(2,stride=1), Linear(10)")
    assert [la.kind for la in layers] == ["conv", "relu", "maxpool", "dense"]
    assert layers[0].args == ("16", "3") and layers[0].text == "conv(16, 3)"
    assert layers[2].kwargs == (("stride", "1"),)
    assert [la.position for la in layers] == [0, 12, 20, 41]
    assert [la.index for la in layers] == [1, 2, 3, 4]


def test_canonical_spec_is_a_fixed_point():
    spec = build("CONV2D(8, 3, padding=valid) BN relu maxpool(2, 2) flatten fc", IMG, 10).spec
    assert spec == "conv(8,3) batchnorm relu maxpool(2) flatten dense(10)"
    assert build(spec, IMG, 10).spec == spec


def caret_column(message: str) -> int:
    """Column of the caret relative to the spec line above it."""
    spec_line, caret_line = message.splitlines()[-2:]
    return caret_line.index("^") - (len(spec_line) - len(spec_line.lstrip()))


@pytest.mark.parametrize(
    ("spec", "position", "fragment"),
    [
        ("conv(16,3) relu maxpool(2) ) flatten dense", 27, "unexpected ')'"),
        ("conv(16,3) relu maxpool(2", 25, "expected ',' or ')'"),
        ("conv(16,3) relu maxpool(2) flatten dense(10 10)", 44, "expected ',' or ')'"),
        ("conv(16,3) $relu", 11, "unexpected '$'"),
        ("conv(16,3)relu", 10, "expected a space between layers"),
        ("conv(8,3)) relu", 9, "unmatched ')' after layer 'conv(8,3)'"),
        ("conv(16,k=3,5)", 12, "positional argument after key=value"),
        ("conv(16,3,stride=)", 16, "missing value after '='"),
    ],
)
def test_syntax_errors_show_caret_under_the_bad_token(spec, position, fragment):
    with pytest.raises(SpecError, match="at position") as info:
        parse_spec(spec) if "dense(10 10)" not in spec else build(spec, IMG, 10)
    exc = info.value
    assert exc.position == position
    assert fragment in str(exc)
    assert f"(at position {position})" in str(exc)
    assert caret_column(str(exc)) == position
    assert exc.spec in str(exc)


def test_unknown_layer_suggests_the_closest_and_points_at_it():
    with pytest.raises(UnknownNameError, match=r"Did you mean 'maxpool'") as info:
        parse_spec("conv(16,3) relu maxpol(2) flatten dense")
    assert info.value.position == 16
    assert caret_column(str(info.value)) == 16
    assert isinstance(info.value, SpecError)  # also a ValueError for callers that catch that


def test_unknown_argument_suggests_the_closest():
    with pytest.raises(UnknownNameError, match=r"unknown argument 'strid'.*'stride'") as info:
        build("conv(16,3,strid=2) flatten dense", IMG, 10)
    assert info.value.position == 10


def test_unknown_preset_suggests_the_closest():
    with pytest.raises(UnknownNameError, match=r"Did you mean 'lenet5'"):
        build("lenet", IMG, 10)
    with pytest.raises(UnknownNameError, match=r"Did you mean 'small-cnn'"):
        build("small_cnn", IMG, 10)


@pytest.mark.parametrize(
    ("spec", "fragment", "position"),
    [
        ("conv(16)", "conv needs 2 arguments (out, k)", 0),
        ("relu conv(1,2,3,4,5,6,7,8)", "conv takes at most 7 arguments", 5),
        ("flatten dense(10,true,3)", "dense takes at most 2 arguments", 8),
        ("relu(2) flatten dense", "relu takes at most 0 arguments", 0),
        ("maxpool flatten dense", "maxpool needs 1 arguments (k)", 0),
        ("conv(k=3) flatten dense", "missing out", 0),
        ("conv(16,3,stride=1,stride=2)", "argument stride given twice", 19),
    ],
)
def test_wrong_argument_counts(spec, fragment, position):
    with pytest.raises(SpecError) as info:
        build(spec, IMG, 10)
    assert fragment in str(info.value)
    assert info.value.position == position


@pytest.mark.parametrize(
    ("spec", "fragment", "position"),
    [
        ("conv(0,3)", "out must be a whole number >= 1", 5),
        ("conv(16,-3)", "k must be a whole number >= 1", 8),
        ("conv(16,3,stride=0)", "Received: stride=0", 10),
        ("conv(16,3,padding=-1)", "padding must be a whole number >= 0 or same/valid", 10),
        ("conv(16,2.5)", "Received: k=2.5", 8),
        ("maxpool(2,padding=same)", "padding must be a whole number >= 0;", 10),
        ("flatten dense(-10)", "n must be a whole number >= 1", 14),
        ("dropout(1.5) flatten dense", "p must be a probability 0 <= p < 1", 8),
        ("flatten dense(10,bias=maybe)", "bias must be true or false", 17),
    ],
)
def test_bad_values_point_at_the_argument(spec, fragment, position):
    with pytest.raises(SpecError) as info:
        build(spec, IMG, 10)
    assert fragment in str(info.value)
    assert info.value.position == position
    assert caret_column(str(info.value)) == position


@pytest.mark.parametrize("spec", ["", "   ", None])
def test_empty_spec(spec):
    with pytest.raises(InvalidArgumentError, match="expected"):
        build(spec, IMG, 10)


@pytest.mark.parametrize(
    ("spec", "shape", "fragments"),
    [
        (
            "conv(16,3) relu maxpool(2) conv(32,3) maxpool(2) conv(32,7)",
            IMG,
            ["layer 6 conv(32,7)", "input 32×5×5", "kernel 7×7"],
        ),
        (
            "conv(8,3) maxpool(2) conv(32,3) maxpool(2) conv(32,3) conv(32,5)",
            IMG,
            ["layer 6 conv(32,5): input 32×3×3 is smaller than the kernel 5×5", "expected"],
        ),
        (
            "conv(16,3) relu maxpool(2) conv(32,3) maxpool(2) maxpool(2) conv(32,5)",
            IMG,
            ["layer 7 conv(32,5): input 32×2×2 is smaller than the kernel 5×5", "Received"],
        ),
        ("conv(6,5) dense(10)", IMG, ["layer 2 dense(10)", "input 6×24×24 is not flat"]),
        ("flatten conv(3,3)", IMG, ["layer 2 conv(3,3)", "input 784 is 1-D", "C×H×W"]),
        ("conv1d(4,3)", IMG, ["layer 1 conv1d(4,3)", "input 1×28×28 is 3-D", "C×L"]),
        ("conv(4,3)", (1, 40), ["input 1×40 is 2-D", "C×H×W"]),
        ("maxpool(3,padding=2)", IMG, ["padding=2 is more than half the window 3"]),
        ("conv(4,3,groups=3)", (4, 8, 8), ["groups=3 must divide the input channels 4"]),
        ("conv(4,2,stride=2,padding=same)", (1, 8, 8), ["padding=same with stride > 1"]),
        ("flatten dense(5)", IMG, ["gives 5 scores but there are 10 classes", "dense(10)"]),
        ("flatten globalavgpool", IMG, ["input 784 is 1-D"]),
        ("flatten maxpool(2)", IMG, ["input 784 is 1-D"]),
        ("conv(4,3,padding=1) maxpool(5,padding=1)", (1, 1, 1), ["4×1×1 (padded 3×3)"]),
    ],
)
def test_shape_errors_name_the_layer_and_both_shapes(spec, shape, fragments):
    with pytest.raises(ShapeError) as info:
        build(spec, shape, 10)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert info.value.spec in str(info.value)


def test_dense_without_size_needs_classes():
    with pytest.raises(ShapeError, match="needs the number of classes"):
        build("flatten dense", IMG)


@pytest.mark.parametrize("shape", ["", "0x28x28", "1x2x3x4", "ax3", (1, -2), [], "28.5"])
def test_bad_input_shapes(shape):
    with pytest.raises(InvalidArgumentError, match="input shape"):
        build("flatten dense", shape, 10)


@pytest.mark.parametrize("k", [0, -1, True, 2.5, "10"])
def test_bad_num_classes(k):
    with pytest.raises(InvalidArgumentError, match="num_classes"):
        build("flatten dense", IMG, k)


def test_numpy_integers_are_plain_ints():
    import numpy as np

    model = build("flatten dense", np.array([1, 4, 4]), np.int64(3))
    assert model.num_classes == 3 and type(model.num_classes) is int
    assert model.input_shape == (1, 4, 4) and all(type(d) is int for d in model.input_shape)


def test_every_error_is_a_cnnlab_error():
    for spec in ["conv(", "xyz(1)", "conv(1) flatten", "conv(1,40)"]:
        with pytest.raises(CnnlabError):
            build(spec, IMG, 10)


def test_spec_errors_are_spanish_under_spanish():
    with speaking("es"), pytest.raises(UnknownNameError) as unknown:
        parse_spec("conv(8,3) relux dense")
    text = str(unknown.value)
    assert text.count("Recibido: 'relux'") == 1 and "Received" not in text
    assert "(en la posición 10)" in text and "relux" in unknown.value.one_line
    with (
        speaking("es"),
        pytest.raises(ShapeError, match=r"capa 3 dense\(10\): la entrada 8×26×26 no es plana"),
    ):
        build("conv(8,3) relu dense(10)", input_shape=(1, 28, 28))
    with speaking("es"), pytest.raises(SpecError, match=r"p\. ej\. dropout\(0\.25\)") as bad:
        build("flatten dropout(1.5) dense(10)", input_shape=(1, 28, 28))
    assert "debe ser una probabilidad 0 <= p < 1" in str(bad.value)
