"""Animate a transposed convolution: each input value in turn, multiplied by the kernel, is
added onto its output window, and the overlaps add up (the mirror of the sliding window).

>>> anim = animate_transposed(np.ones((3, 3)), np.ones((3, 3)), stride=2)  # doctest: +SKIP
>>> anim.save("runs/transposed.gif")                                       # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, number, tr
from cnnlab.ops import conv_transpose2d, explain_transposed
from cnnlab.viz._common import new_figure
from cnnlab.viz._video import write_frames

MAX_CELLS = 400  # input cells one animation may walk through (one frame each)
TEXT = {
    "input": N_("input: cell ({r}, {c}) = {v}"),
    "output": N_("output: + {v}·K at rows {r0}–{r1}, cols {c0}–{c1}"),
}


@dataclass
class TransposedAnimation:
    """The frames of a transposed convolution, one per input cell, ready to save."""

    image: np.ndarray  # (H, W)
    kernel: np.ndarray  # (kH, kW)
    stride: int
    padding: int
    output: np.ndarray  # (H_out, W_out) the finished result
    lang: str

    @property
    def n_frames(self) -> int:
        return self.image.size

    def partial(self, upto: int) -> np.ndarray:
        """The output after input cells 0..upto (row by row) have been spread."""
        part = np.zeros_like(self.image)
        part.ravel()[: upto + 1] = self.image.ravel()[: upto + 1]
        return conv_transpose2d(part[None, None], self.kernel[None, None], stride=self.stride,
                                padding=self.padding)[0, 0]  # fmt: skip

    def frames(self) -> Iterator[np.ndarray]:
        fig = new_figure(9.0, 4.2)
        ax_in, ax_out = fig.subplots(1, 2, width_ratios=[1, 1.6])
        for i in range(self.n_frames):
            yield self._frame(fig, ax_in, ax_out, i)

    def _frame(self, fig: Figure, ax_in, ax_out, i: int) -> np.ndarray:
        r, c = divmod(i, self.image.shape[1])
        step = explain_transposed(self.image, self.kernel, r, c, self.stride, self.padding)
        top, left = step.output_origin
        kh, kw = self.kernel.shape
        for ax in (ax_in, ax_out):
            ax.clear()
            ax.set_xticks([])
            ax.set_yticks([])
        ax_in.imshow(self.image, cmap="gray")
        ax_in.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, color="red", lw=2.5))
        value = number(step.value, "g", self.lang)
        ax_in.set_title(tr(TEXT, "input", self.lang, r=r, c=c, v=value), fontsize=10)
        low, high = min(0.0, float(self.output.min())), max(0.0, float(self.output.max()))
        ax_out.imshow(self.partial(i), cmap="gray", vmin=low, vmax=high if high > low else 1.0)
        ax_out.add_patch(Rectangle((left - 0.5, top - 0.5), kw, kh, fill=False, color="red",
                                   lw=2.5))  # fmt: skip
        words = dict(v=value, r0=top, r1=top + kh - 1, c0=left, c1=left + kw - 1)
        ax_out.set_title(tr(TEXT, "output", self.lang, **words), fontsize=10)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()  # (H, W, 3)

    def save(self, path: str | os.PathLike, fps: float = 4.0) -> Path:
        """Write the frames as a GIF (or MP4 with ffmpeg), ending on the finished output."""
        frames = list(self.frames())
        return write_frames(path, lambda: iter(frames), lambda: frames[-1], fps)


def animate_transposed(image: object, kernel: object, stride: int = 1, padding: int = 0,
                       lang: str = "en") -> TransposedAnimation:  # fmt: skip
    """The animation of ``conv_transpose2d(image, kernel, stride, padding)`` on a 2-D input."""
    img = np.asarray(image, dtype=np.float64)
    ker = np.asarray(kernel, dtype=np.float64)
    if img.ndim != 2 or img.size > MAX_CELLS:
        raise InvalidArgumentError(
            _("the transposed animation walks every input cell; expected a 2-D input of at most "
              "{limit} cells (e.g. 8×8). Received: input of shape {shape}", limit=MAX_CELLS,
              shape=img.shape)
        )  # fmt: skip
    step = explain_transposed(img, ker, 0, 0, stride, padding)  # checks every argument
    return TransposedAnimation(img, ker, stride, padding, step.output, lang)
