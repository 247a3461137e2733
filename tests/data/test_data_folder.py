"""folder:PATH data sets: class subfolders of PNG/JPEG images."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnnlab.data import load
from cnnlab.errors import DataError, InvalidArgumentError


def _png(path, value: int, size=(10, 12), rgb=False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode, fill = ("RGB", (value, 0, 255 - value)) if rgb else ("L", value)
    Image.new(mode, size, fill).save(path)


@pytest.fixture
def shapes(tmp_path):
    root = tmp_path / "shapes"
    for i in range(5):
        _png(root / "circle" / f"{i}.png", 255)
        _png(root / "square" / f"{i}.jpg", 0)
    return root


def test_folder_loads_classes_resized(shapes):
    ds = load(f"folder:{shapes}", image_size=(8, 8), val_fraction=0.0)
    assert ds.classes == ["circle", "square"] and ds.kind == "image"
    assert ds.input_shape == (1, 8, 8)
    assert len(ds.train) + len(ds.test) == 10 and len(ds.test) == 2
    x = np.concatenate([ds.train.x, ds.test.x])
    y = np.concatenate([ds.train.y, ds.test.y])
    np.testing.assert_allclose(x[y == 0], 1.0, atol=1e-6)  # white circles
    np.testing.assert_allclose(x[y == 1], 0.0, atol=0.02)  # black squares (JPEG)


def test_folder_rgb(tmp_path):
    for cls in ("a", "b"):
        for i in range(3):
            _png(tmp_path / cls / f"{i}.png", 200, rgb=True)
    ds = load(f"folder:{tmp_path}", image_size=(4, 5), color="rgb", val_fraction=0.0)
    assert ds.input_shape == (3, 4, 5)
    np.testing.assert_allclose(ds.train.x[0, :, 0, 0], [200 / 255, 0.0, 55 / 255], atol=1e-6)
    assert len(ds.mean) == 3


def test_non_images_skipped_with_warning(shapes):
    (shapes / "circle" / "notes.txt").write_text("not an image")
    (shapes / "circle" / "fake.png").write_bytes(b"GIF89a....")
    with pytest.warns(UserWarning) as record:
        ds = load(f"folder:{shapes}", val_fraction=0.0)
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2
    assert "fake.png is not a PNG or JPEG" in messages[0] and "notes.txt" in messages[1]
    assert len(ds.train) + len(ds.test) == 10


def test_class_without_images_is_an_error(shapes):
    (shapes / "triangle").mkdir()
    (shapes / "triangle" / "readme.md").write_text("# nothing")
    with pytest.warns(UserWarning), pytest.raises(DataError, match=r"class 'triangle'.*no PNG"):
        load(f"folder:{shapes}")


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(DataError, match="has no class subfolders"):
        load(f"folder:{tmp_path}")


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(DataError, match="image folder not found"):
        load(f"folder:{tmp_path / 'nope'}")


def test_bad_color(shapes):
    with pytest.raises(InvalidArgumentError, match="color must be one of gray, rgb"):
        load(f"folder:{shapes}", color="cmyk")


def test_hidden_files_are_skipped_silently(shapes, recwarn):
    (shapes / "circle" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    ds = load(f"folder:{shapes}", val_fraction=0.0)
    assert len(ds.train) + len(ds.test) == 10
    assert not [w for w in recwarn if ".DS_Store" in str(w.message)]


@pytest.mark.parametrize("name", ["folder:", "folder:  "])
def test_empty_folder_path_is_refused_not_the_current_folder(name):
    with pytest.raises(InvalidArgumentError, match="folder: needs a path"):
        load(name)
