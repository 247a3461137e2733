"""Argument checks: every refusal pinned by its message; output-shape tables."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from cnnlab.errors import InvalidArgumentError, ShapeError, UnknownNameError
from cnnlab.i18n import speaking
from cnnlab.ops import (
    as_pair,
    avg_pool2d,
    conv1d,
    conv2d,
    conv_output_size,
    correlate2d,
    cross_entropy,
    global_avg_pool2d_backward,
    linear,
    max_pool2d,
    pool_output_size,
    softmax,
)
from cnnlab.ops.explain import format_number

X = np.zeros((1, 2, 5, 5))
W = np.zeros((3, 2, 3, 3))


@pytest.mark.parametrize(
    ("shape", "kernel", "stride", "padding", "expected"),
    [
        ((20, 19), (3, 3), 1, "valid", (18, 17)),  # the deck
        ((20, 19), (3, 3), 1, "same", (20, 19)),
        ((20, 19), (3, 3), 1, "full", (22, 21)),
        ((28, 28), (5, 5), 2, 2, (14, 14)),
        ((28, 28), (5, 5), 1, 0, (24, 24)),
        ((7, 6), (2, 4), (2, 1), (1, 0), (4, 3)),
        ((4, 4), (2, 2), 1, "same", (4, 4)),
        ((5, 5), (5, 5), 1, 0, (1, 1)),
    ],
)
def test_output_shape_table(shape, kernel, stride, padding, expected):
    assert correlate2d(np.zeros(shape), np.ones(kernel), stride, padding).shape == expected
    if isinstance(padding, int):
        assert (
            conv_output_size(shape[0], kernel[0], as_pair(stride, "s")[0], padding),
            conv_output_size(shape[1], kernel[1], as_pair(stride, "s")[1], padding),
        ) == expected


@pytest.mark.parametrize(
    ("shape", "kernel", "stride", "padding", "expected"),
    [
        ((64, 24, 24, 24), 2, None, 0, (64, 24, 12, 12)),
        ((1, 1, 5, 5), 3, 2, 1, (1, 1, 3, 3)),
        ((1, 1, 7, 4), (3, 2), 1, 0, (1, 1, 5, 3)),
        ((2, 5, 5), 2, None, 0, (2, 2, 2)),
    ],
)
def test_pool_shape_table(shape, kernel, stride, padding, expected):
    assert max_pool2d(np.zeros(shape), kernel, stride, padding).shape == expected
    assert avg_pool2d(np.zeros(shape), kernel, stride, padding).shape == expected


def test_size_formulas_by_hand():
    assert conv_output_size(20, 3) == 18  # ⌊(20 + 0 − 2 − 1)/1⌋ + 1
    assert conv_output_size(10, 3, stride=2, padding=1, dilation=2) == 4  # ⌊(10+2−4−1)/2⌋+1
    assert pool_output_size(24, 2) == 12


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: conv2d(np.zeros((5, 5)), W),
            ShapeError,
            r"input has 2 dimensions; expected 4-D \(N, C, H, W\) or 3-D \(C, H, W\)\. "
            r"Received: input of shape \(5, 5\)",
        ),
        (lambda: conv2d(X, np.zeros((3, 3))), ShapeError, r"weight has 2 dimensions.*\(3, 3\)"),
        (
            lambda: correlate2d(np.zeros((3, 4)), np.ones((5, 5))),
            ShapeError,
            r"^kernel 5×5 is larger than the padded input 3×4; expected a kernel no larger than "
            r"the input \(add padding or use a smaller kernel\)\. Received: input 3×4, "
            r"kernel 5×5$",
        ),
        (lambda: conv2d(X, W, dilation=3), ShapeError, r"kernel 3×3 \(dilated to 7×7\)"),
        (
            lambda: conv2d(X, np.zeros((3, 2, 0, 3))),
            ShapeError,
            r"^kernel 0×3 is empty; expected at least one row and one column\. "
            r"Received: kernel 0×3$",
        ),
        (lambda: correlate2d(np.zeros((3, 3)), np.zeros((2, 0))), ShapeError, r"kernel 2×0 is emp"),
        (
            lambda: conv2d(X, W, stride=0),
            InvalidArgumentError,
            r"stride must be at least 1.*Received: stride=0",
        ),
        (
            lambda: conv2d(X, W, dilation=(1, 0)),
            InvalidArgumentError,
            r"dilation must be at least 1.*Received: dilation=\(1, 0\)",
        ),
        (
            lambda: conv2d(X, W, stride=1.5),
            InvalidArgumentError,
            r"stride must be an int or a pair of ints.*Received: stride=1\.5",
        ),
        (lambda: conv2d(X, W, padding=-1), InvalidArgumentError, r"padding must be at least 0"),
        (
            lambda: conv2d(np.zeros((1, 3, 5, 5)), np.zeros((4, 1, 3, 3)), groups=2),
            ShapeError,
            r"channels must be divisible by groups.*Received: groups=2",
        ),
        (
            lambda: conv2d(X, np.zeros((3, 1, 3, 3))),
            ShapeError,
            r"weight expects 1 input channels but the input has 2",
        ),
        (lambda: conv2d(X, W, bias=np.zeros(2)), ShapeError, r"bias must hold one value per"),
        (
            lambda: conv2d(np.full((1, 2, 5, 5), np.nan), W),
            InvalidArgumentError,
            r"input contains NaN or infinity.*at index \(0, 0, 0, 0\)",
        ),
        (
            lambda: conv2d(X, np.full((3, 2, 3, 3), np.inf)),
            InvalidArgumentError,
            r"weight contains NaN or infinity",
        ),
        (
            lambda: conv2d(X, W, padding="sme"),
            UnknownNameError,
            r"unknown padding 'sme'; expected one of: full, same, valid\. Did you mean 'same'",
        ),
        (
            lambda: conv2d(X, W, padding_mode="mirror"),
            UnknownNameError,
            r"unknown padding_mode 'mirror'; expected one of: circular, reflect, replicate, zeros",
        ),
        (
            lambda: conv2d(X, W, stride=2, padding="same"),
            InvalidArgumentError,
            r"padding='same' needs stride 1",
        ),
        (
            lambda: conv2d(X, W, padding=5, padding_mode="reflect"),
            InvalidArgumentError,
            r"reflect padding of 5 does not fit an input side of 5",
        ),
        (
            lambda: conv2d(X.astype(complex), W),
            InvalidArgumentError,
            r"input must hold real numbers.*Received: dtype complex128",
        ),
        (
            lambda: correlate2d(np.array([["a"]]), np.ones((1, 1))),
            InvalidArgumentError,
            r"image must hold real numbers",
        ),
        (
            lambda: correlate2d(np.zeros((1, 3, 3)), np.ones((1, 1))),
            ShapeError,
            r"image has 3 dimensions; expected 2-D \(H, W\)",
        ),
        (
            lambda: conv1d(np.zeros((2, 2, 2, 2)), np.zeros((1, 2, 1))),
            ShapeError,
            r"input has 4 dimensions; expected 3-D \(N, C, L\)",
        ),
        (
            lambda: max_pool2d(X, 3, padding=2),
            InvalidArgumentError,
            r"pooling padding must be at most half the kernel size",
        ),
        (lambda: max_pool2d(X, 0), InvalidArgumentError, r"kernel_size must be at least 1"),
        (lambda: avg_pool2d(X, 6), ShapeError, r"kernel 6×6 is larger than the padded input"),
        (lambda: softmax(np.zeros(3), dim=2), InvalidArgumentError, r"dim 2 is out of range"),
        (
            lambda: linear(np.zeros((2, 3)), np.zeros((4, 5))),
            ShapeError,
            r"input's last dimension must equal weight's in_features",
        ),
        (
            lambda: cross_entropy(np.zeros((2, 3)), np.array([0, 3])),
            InvalidArgumentError,
            r"target holds a class index outside the logits",
        ),
        (
            lambda: cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])),
            ShapeError,
            r"target must hold one class index per row",
        ),
        (
            lambda: cross_entropy(np.zeros((2, 3)), np.array([0, 1]), 2.0),
            InvalidArgumentError,
            r"label_smoothing must be between 0 and 1",
        ),
        (lambda: conv_output_size(3, 5), ShapeError, r"kernel 5 \(spanning 5\) is larger"),
        (
            lambda: global_avg_pool2d_backward(np.ones((2, 3)), np.zeros((1, 1, 2, 3))),
            ShapeError,
            r"grad_out must have the pooling output's shape; expected \(1, 1, 1, 1\)\. "
            r"Received: grad_out of shape \(2, 3\)",
        ),
        (
            lambda: global_avg_pool2d_backward(np.ones((1, 1)), np.zeros((4, 5))),
            ShapeError,
            r"input has 2 dimensions; expected 4-D \(N, C, H, W\) or 3-D \(C, H, W\)",
        ),
    ],
)
def test_refusals_name_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_ops_import_without_torch():
    """cnnlab.ops must work where importing torch fails."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ImportError('torch is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import numpy as np\n"
        "import cnnlab.ops as ops\n"
        "from cnnlab.ops import explain\n"
        "y = ops.correlate2d(np.arange(9).reshape(3, 3), np.ones((2, 2)))\n"
        "assert y.tolist() == [[8, 12], [20, 24]], y\n"
        "assert 'torch' not in sys.modules\n"
        "others = {'scipy', 'PIL', 'matplotlib', 'skimage', 'rich', 'typer'} & set(sys.modules)\n"
        "assert not others, others  # NumPy only\n"
        "up = [m for m in sys.modules if m.startswith(('cnnlab.samples', 'cnnlab.cli', "
        "'cnnlab.models', 'cnnlab.train', 'cnnlab.data', 'cnnlab.viz'))]\n"
        "assert not up, up  # imports point downward\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_refusals_are_spanish_with_decimal_commas_under_spanish() -> None:
    with speaking("es"), pytest.raises(InvalidArgumentError, match="debe estar entre 0 y 1") as e:
        cross_entropy(np.zeros((2, 3)), np.array([0, 1]), label_smoothing=1.5)
    assert "Recibido: label_smoothing=1,5" in str(e.value)
    assert "1.5" not in str(e.value)
    with speaking("es"), pytest.raises(ShapeError, match="es más grande que la entrada"):
        correlate2d(np.zeros((2, 2)), np.ones((3, 3)))
    with speaking("es"):
        assert format_number(0.25) == "0,25"
    assert format_number(0.25, "en") == "0.25"
