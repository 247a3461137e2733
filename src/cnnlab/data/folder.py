"""A user's own images: ``folder:PATH`` with one subfolder per class.

::

    shapes/
      circle/  a.png b.jpg ...
      square/  c.png ...

Class names are the subfolder names in sorted order. Each PNG or JPEG (decoded only by
:func:`cnnlab.imageio.read_image`) is resized to ``image_size`` and scaled to [0, 1]. Other files
are skipped with a warning (hidden files such as ``.DS_Store`` silently); a class left without
images, or a folder without classes, is an error.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from cnnlab.data.transforms import resize
from cnnlab.errors import DataError, InputFileError, InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.imageio import read_image

COLORS = {"gray": "L", "rgb": "RGB"}


def _read_class(folder: Path, mode: str, size: tuple[int, int]) -> list[np.ndarray]:
    images = []
    files = (p for p in folder.rglob("*") if p.is_file())
    for path in sorted(p for p in files if not p.name.startswith(".")):  # skip .DS_Store etc.
        try:
            pixels = read_image(path, mode=mode)  # (H, W) or (H, W, 3) uint8
        except InputFileError as exc:
            warnings.warn(
                _("skipping {path}: {exc}", path=path, exc=exc),
                stacklevel=4,
            )
            continue
        chw = pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)  # (C, H, W)
        batch = chw[None].astype(np.float32) / np.float32(255)  # (1, C, H, W)
        images.append(resize(batch, size)[0])  # (C, H', W')
    return images


def load_folder(
    path: str | Path, image_size: tuple[int, int] = (28, 28), color: str = "gray"
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read ``path/<class>/<image>`` into x (N, C, H, W) float32 in [0, 1], y (N,), class names."""
    if not str(path).strip():  # Path("") would be the current folder, read recursively
        raise InvalidArgumentError(_("folder: needs a path; expected folder:PATH with one "
                                     "subfolder of images per class, e.g. folder:./shapes. "
                                     "Received: {path!r}",
                                     path=str(path)))  # fmt: skip
    root = Path(path).expanduser()
    if color not in COLORS:
        raise InvalidArgumentError(_("color must be one of {colors}. Received: color={color!r}",
                                     colors=", ".join(COLORS), color=color))  # fmt: skip
    size = (int(image_size[0]), int(image_size[1]))
    if min(size) < 1:
        raise InvalidArgumentError(_("image_size must be positive. Received: {image_size}",
                                     image_size=image_size))  # fmt: skip
    if not root.is_dir():
        raise DataError(_("image folder not found; expected a folder at {root}",
                          root=root))  # fmt: skip
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not classes:
        raise DataError(_("{root} has no class subfolders; expected one subfolder of PNG/JPEG "
                          "images per class (e.g. {root}/cat/1.png, {root}/dog/2.jpg)",
                          root=root))  # fmt: skip
    xs, ys = [], []
    for label, name in enumerate(classes):
        images = _read_class(root / name, COLORS[color], size)
        if not images:
            raise DataError(_("class {name!r} in {root} has no PNG or JPEG images; expected at "
                              "least one. Received: folder {folder}",
                              name=name, root=root, folder=root / name))  # fmt: skip
        xs.extend(images)
        ys.extend([label] * len(images))
    x = np.stack(xs).astype(np.float32)  # (N, C, H, W)
    return np.clip(x, 0.0, 1.0), np.asarray(ys, dtype=np.int64), classes
