"""The sliding-kernel animation: a frame per output cell (or every N), ending on the deck map."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnnlab.errors import InvalidArgumentError
from cnnlab.ops import conv2d, correlate2d
from cnnlab.samples import DECK_PRINTED_OUTPUT, get_kernel, get_sample
from cnnlab.viz._video import hold_frames, mp4_available
from cnnlab.viz.animate import animate_conv, frame_ends


@pytest.fixture(scope="module")
def deck_anim():
    return animate_conv(get_sample("bidoof-worked"), get_kernel("deck"))


def test_deck_example_has_one_frame_per_output_cell(deck_anim):
    assert deck_anim.output.shape == (18, 17)
    assert deck_anim.n_frames == 18 * 17
    assert deck_anim.frame_ends == list(range(306))
    assert deck_anim.cells_per_frame == 1
    assert len(deck_anim.steps) == 306  # every cell explained


def test_deck_last_frame_is_the_decks_output_table(deck_anim):
    last = deck_anim.map_at(deck_anim.n_frames - 1)
    expected = correlate2d(get_sample("bidoof-worked"), get_kernel("deck"))
    np.testing.assert_array_equal(last, expected)
    for r, row in enumerate(DECK_PRINTED_OUTPUT):  # the values the deck prints
        np.testing.assert_array_equal(last[r, : len(row)], row)
    assert deck_anim.steps[0].formula().endswith("= 750")


def test_map_fills_in_cell_by_cell(deck_anim):
    m = deck_anim.map_at(20)  # 21 cells shown
    assert np.isfinite(m).sum() == 21
    assert np.isfinite(m[0]).all() and np.isfinite(m[1, :4]).all() and np.isnan(m[1, 4])


def test_rendered_frames_differ_and_are_not_blank(deck_anim):
    frames = deck_anim.frames()
    first = next(frames)
    second = next(frames)
    last = deck_anim.last_frame()
    assert first.ndim == 3 and first.shape[2] == 3 and first.shape == last.shape
    assert first.std() > 10
    assert not np.array_equal(first, second)  # the window moved
    assert (
        np.abs(last.astype(int) - first.astype(int)).sum()
        > np.abs(second.astype(int) - first.astype(int)).sum()
    )  # the whole map is colored at the end


def test_gif_has_the_stated_frames(tmp_path):
    img = np.arange(64, dtype=float).reshape(8, 8)
    anim = animate_conv(img, get_kernel("deck"), every=5)
    out = anim.save(tmp_path / "conv.gif")
    with Image.open(out) as gif:
        assert gif.n_frames == anim.n_frames == len(frame_ends(36, 5, 400)) == 8
        gif.seek(gif.n_frames - 1)
        assert np.asarray(gif.convert("RGB")).std() > 10


@pytest.mark.parametrize(
    ("stride", "padding", "dilation"), [(2, 1, 1), (1, 0, 2), (3, 2, 2), (1, "same", 1)]
)
def test_any_stride_padding_dilation_ends_on_conv2d(stride, padding, dilation):
    img = np.random.default_rng(0).integers(0, 9, (11, 13)).astype(float)
    ker = np.array([[1.0, -1.0, 0.0], [2.0, 0.0, 1.0]])
    anim = animate_conv(img, ker, stride, padding, dilation)
    expected = conv2d(
        img[None, None], ker[None, None], stride=stride, padding=padding, dilation=dilation
    )[0, 0]
    np.testing.assert_allclose(anim.map_at(anim.n_frames - 1), expected)
    assert anim.n_frames == expected.size
    assert anim.last_frame().std() > 10


def test_large_input_uses_a_frame_stride_and_no_numbers():
    img = np.random.default_rng(1).random((60, 50))
    anim = animate_conv(img, get_kernel("deck"), max_frames=40)
    assert anim.n_frames <= 40 and anim.frame_ends[-1] == anim.output.size - 1
    assert anim.cells_per_frame == 70 and anim.frame_ends[:2] == [69, 139]  # ceil(58·48 / 40)
    assert not anim._artists["numbers"]
    np.testing.assert_allclose(anim.map_at(anim.n_frames - 1), correlate2d(img, get_kernel("deck")))
    assert anim.last_frame().std() > 5


def test_frame_ends_and_refusals():
    assert frame_ends(10, 4, 100) == [3, 7, 9]
    assert frame_ends(10, None, 5) == [1, 3, 5, 7, 9]
    with pytest.raises(InvalidArgumentError, match="--every 3"):
        frame_ends(300, 1, 100)
    with pytest.raises(InvalidArgumentError, match="every must be at least 1"):
        frame_ends(10, 0, 100)


def test_unknown_format_and_mp4_refused_without_ffmpeg(tmp_path, deck_anim, monkeypatch):
    from cnnlab.viz import _video

    with pytest.raises(InvalidArgumentError, match=r"expected \.gif or \.mp4"):
        deck_anim.save(tmp_path / "conv.avi")
    monkeypatch.setattr(_video, "mp4_available", lambda: False)
    with pytest.raises(InvalidArgumentError, match="needs ffmpeg"):
        deck_anim.save(tmp_path / "conv.mp4")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not mp4_available(), reason="no ffmpeg writer on this machine")
def test_mp4_has_a_frame_per_cell_then_holds_the_last(tmp_path):
    import re
    import subprocess

    import matplotlib

    anim = animate_conv(np.eye(4), np.ones((2, 2)))  # 3×3 = 9 output cells
    path = anim.save(tmp_path / "conv.mp4", fps=8)
    assert path.read_bytes()[4:8] == b"ftyp"
    ffmpeg = matplotlib.rcParams["animation.ffmpeg_path"]
    cmd = [ffmpeg, "-i", str(path), "-map", "0:v:0", "-f", "null", "-"]
    log = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stderr
    frames = int(re.findall(r"frame=\s*(\d+)", log)[-1])
    assert frames == 9 + hold_frames(8) == 9 + 19


def test_large_input_defaults_and_visible_window():
    """A large picture: at most 120 frames by default, the map as tall as the input, and the
    3×3 window outlined at least 5 % of the picture's side so that it can be seen."""
    img = np.random.default_rng(2).random((200, 160))
    anim = animate_conv(img, get_kernel("sobel-x"), stride=2)
    assert anim.output.shape == (99, 79) and anim.n_frames <= 120
    assert anim.cells_per_frame == -(-99 * 79 // 120)
    ax_in, _, ax_out = anim.figure.axes[:3]
    frame = anim.last_frame()
    assert frame.std() > 5
    assert abs(ax_in.get_position().height - ax_out.get_position().height) < 0.02
    window = anim._artists["window"]
    assert window.get_width() == pytest.approx(0.05 * 200)
    r0, c0 = anim.steps[anim.frame_ends[-1]].input_origin
    assert window.get_x() < c0 and window.get_x() + window.get_width() > c0 + 2  # around it
    assert window.get_y() < r0 and window.get_y() + window.get_height() > r0 + 2


def test_deck_last_rendered_frame_paints_the_deck_table(deck_anim):
    """Sample the last frame's pixels: each output cell has the color of the deck's value."""
    frame = deck_anim.last_frame()  # (H, W, 3)
    out_img = deck_anim._artists["out_img"]
    ax = out_img.axes
    expected = correlate2d(get_sample("bidoof-worked"), get_kernel("deck"))
    height = frame.shape[0]
    worst = 0.0
    for (r, c), value in np.ndenumerate(expected):
        x, y = ax.transData.transform((c - 0.38, r - 0.38))  # a cell corner, clear of its number
        pixel = frame[round(height - y), round(x)] / 255.0
        color = np.array(out_img.cmap(out_img.norm(value))[:3])
        worst = max(worst, float(np.abs(pixel - color).max()))
    assert worst < 0.06
