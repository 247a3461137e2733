"""Transforms: hand-checkable examples, invariants, and resize against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from cnnlab.data.transforms import (
    center,
    normalize,
    pad,
    permute_pixels,
    random_shift,
    resize,
    translate,
)
from cnnlab.errors import InvalidArgumentError, ShapeError


def _batch(n=5, c=2, h=6, w=7, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, c, h, w)).astype(np.float32)


def test_normalize_per_channel():
    x = _batch()
    out = normalize(x, [0.5, 0.25], [0.5, 2.0])
    np.testing.assert_allclose(out[:, 0], (x[:, 0] - 0.5) / 0.5, rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], (x[:, 1] - 0.25) / 2.0, rtol=1e-6)
    assert out.dtype == np.float32


def test_normalize_refuses_wrong_channel_count_and_zero_std():
    with pytest.raises(ShapeError, match="one value per channel"):
        normalize(_batch(), [0.5], [0.5])
    with pytest.raises(InvalidArgumentError, match="std must be positive"):
        normalize(_batch(c=1), [0.5], [0.0])


def test_translate_hand_example():
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    out = translate(x, dx=1, dy=-1)[0, 0]
    assert out.tolist() == [[0, 3, 4], [0, 6, 7], [0, 0, 0]]
    assert translate(x, dx=5)[0, 0].sum() == 0


def test_translate_sequences():
    x = np.arange(1, 5, dtype=np.float32).reshape(1, 1, 4)
    assert translate(x, -2)[0, 0].tolist() == [3, 4, 0, 0]


def test_random_shift_is_seeded_and_each_image_a_translate():
    x = _batch(n=40)
    a = random_shift(x, 2, np.random.default_rng(3))
    b = random_shift(x, 2, 3)
    np.testing.assert_array_equal(a, b)
    shifts = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)]
    for i in range(len(x)):
        assert any(np.array_equal(a[i], translate(x[i : i + 1], dx, dy)[0]) for dy, dx in shifts)
    assert not np.array_equal(a, x)
    np.testing.assert_array_equal(random_shift(x, 0, 1), x)


def test_permute_pixels_same_permutation_for_all_and_lossless():
    x = _batch(n=4, c=3)
    out = permute_pixels(x, seed=7)
    np.testing.assert_array_equal(out, permute_pixels(x, seed=7))
    assert not np.array_equal(out, x)
    order = np.random.default_rng(7).permutation(6 * 7)
    np.testing.assert_array_equal(out.reshape(4, 3, -1), x.reshape(4, 3, -1)[:, :, order])
    np.testing.assert_array_equal(np.sort(out, axis=None), np.sort(x, axis=None))


def test_pad_shape_and_zeros():
    out = pad(_batch(h=4, w=4), 2)
    assert out.shape == (5, 2, 8, 8)
    assert out[:, :, :2].sum() == 0 and out[:, :, :, -2:].sum() == 0


def test_center_moves_mass_to_the_middle():
    x = np.zeros((2, 1, 9, 9), np.float32)
    x[0, 0, 0:2, 0:2] = 1.0  # a blob in the corner
    x[1, 0, 4, 4] = 1.0  # already centred
    out = center(x)
    ys, xs = np.nonzero(out[0, 0])
    assert ys.mean() == pytest.approx(4.0, abs=0.5) and xs.mean() == pytest.approx(4.0, abs=0.5)
    assert out[0].sum() == 4.0
    np.testing.assert_array_equal(out[1], x[1])
    np.testing.assert_array_equal(center(np.zeros((1, 1, 3, 3), np.float32)), 0)


def test_resize_hand_example():
    x = np.array([[[[0.0, 1.0]]]], np.float32)
    assert resize(x, (1, 4))[0, 0, 0].tolist() == pytest.approx([0.0, 0.25, 0.75, 1.0])


@given(
    h=st.integers(2, 12),
    w=st.integers(2, 12),
    oh=st.integers(2, 12),
    ow=st.integers(2, 12),
)
def test_resize_matches_torch_antialias(h, w, oh, ow):
    # sizes >= 2: torch's antialiased kernel differs from PIL's when a side is 1
    x = np.random.default_rng(h * 100 + w).random((2, 3, h, w))
    want = torch.nn.functional.interpolate(
        torch.from_numpy(x), size=(oh, ow), mode="bilinear", align_corners=False, antialias=True
    ).numpy()
    np.testing.assert_allclose(resize(x, (oh, ow)), want, atol=1e-6)


@given(
    h=st.integers(1, 12),
    w=st.integers(1, 12),
    oh=st.integers(1, 12),
    ow=st.integers(1, 12),
)
def test_resize_matches_pillow_bilinear(h, w, oh, ow):
    x = np.random.default_rng(h * 100 + w).random((h, w)).astype(np.float32)
    want = np.asarray(Image.fromarray(x, mode="F").resize((ow, oh), Image.BILINEAR))
    np.testing.assert_allclose(resize(x[None, None], (oh, ow))[0, 0], want, atol=1e-5)


@pytest.mark.parametrize(
    ("func", "args"),
    [(translate, (1,)), (pad, (1,)), (center, ()), (permute_pixels, (0,))],
)
def test_refuse_unbatched_input(func, args):
    with pytest.raises(ShapeError, match="must be a batch"):
        func(np.zeros((4, 4), np.float32), *args)


def test_normalize_integer_pixels_gives_float32():
    x = np.full((1, 1, 2, 2), 200, np.uint8)
    out = normalize(x, [100.0], [50.0])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, 2.0)


def test_resize_integer_pixels_rounds_to_nearest():
    x = np.array([[[[0, 255]]]], np.uint8)  # 1×2 -> 1×4 gives 0, 63.75, 191.25, 255
    assert resize(x, (1, 4))[0, 0, 0].tolist() == [0, 64, 191, 255]
