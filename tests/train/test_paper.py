"""Photos of writing on any paper: the same digits read as well on gray, shaded paper with blue
ink saved as JPEG, and as white on a black screen, as on white paper."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from cnnlab.train.images import predict_files
from cnnlab.train.paper import ink_map, otsu

N = 60  # test digits per rendering


def big(x: np.ndarray, side: int = 96) -> np.ndarray:
    """An 8×8 digit in [0, 1] as ink coverage on a side × side sheet (smooth strokes, margin)."""
    up = np.asarray(Image.fromarray(np.uint8(x * 255)).resize((56, 56), Image.BILINEAR)) / 255
    sheet = np.zeros((side, side))
    sheet[14:70, 24:80] = up  # off centre, as a photo is
    return sheet


def white_paper(x: np.ndarray) -> bytes:
    return _png(np.uint8(np.rint(255 * (1 - big(x)))))


def gray_paper_blue_ink(x: np.ndarray) -> bytes:
    ink = big(x)[..., None]  # (H, W, 1)
    h, w = ink.shape[:2]
    light = np.linspace(150, 215, w)[None, :, None] + np.linspace(-15, 10, h)[:, None, None]
    paper = np.broadcast_to(light, (h, w, 3)) * np.array([1.0, 0.98, 0.95])  # warm, shaded
    blue = np.array([40.0, 55.0, 160.0])
    rgb = paper * (1 - ink) + blue * ink
    buf = io.BytesIO()
    Image.fromarray(np.uint8(np.clip(np.rint(rgb), 0, 255))).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def white_on_black(x: np.ndarray) -> bytes:
    return _png(np.uint8(np.rint(255 * big(x))))


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG")
    return buf.getvalue()


def accuracy(run, render, tmp_path) -> float:
    ds = run.dataset()
    paths = []
    for i in range(N):
        path = tmp_path / f"{render.__name__}{i}.img"
        path.write_bytes(render(ds.test.x[i, 0]))
        paths.append(str(path))
    results = predict_files(run, paths, top=1, engine="torch")
    return float(np.mean([int(r["top"][0]["class"]) == int(y)
                          for r, y in zip(results, ds.test.y[:N], strict=True)]))  # fmt: skip


def test_gray_paper_with_blue_ink_reads_within_five_points_of_white_paper(digits_run, tmp_path):
    white = accuracy(digits_run, white_paper, tmp_path)
    gray = accuracy(digits_run, gray_paper_blue_ink, tmp_path)
    screen = accuracy(digits_run, white_on_black, tmp_path)
    assert white >= 0.7  # chance is 0.1
    assert gray >= white - 0.05
    assert screen >= white - 0.05


def test_ink_map_finds_the_strokes_not_the_paper():
    digit = np.zeros((8, 8))
    digit[1:7, 3:5] = 1.0  # a "1"
    ink = ink_map(np.asarray(Image.open(io.BytesIO(gray_paper_blue_ink(digit)))))
    truth = big(digit) > 0.5
    assert ink[truth].mean() > 0.8  # the stroke is ink
    assert ink[~ndilate(truth)].max() < 0.3  # the shaded paper and the JPEG noise are not


def ndilate(mask: np.ndarray) -> np.ndarray:
    from scipy import ndimage

    return ndimage.binary_dilation(mask, iterations=3)


@pytest.mark.parametrize("values, low, high", [([0.1] * 5 + [0.9] * 5, 0.1, 0.9),
                                                ([0.2] * 9 + [0.6], 0.2, 0.6)])  # fmt: skip
def test_otsu_cuts_between_two_groups(values, low, high):
    assert low <= otsu(np.array(values)) <= high


def test_blank_paper_has_no_ink():
    assert ink_map(np.full((30, 40, 3), 180, np.uint8)).max() == 0.0
