"""Write a sequence of RGB frames as a GIF (Pillow) or an MP4 (ffmpeg, when available), atomically.

GIF frames share one 256-color palette taken from the final frame (which holds every color the
animation uses), so colors do not flicker and each frame is quantized quickly.
"""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import animation
from PIL import Image

from cnnlab.errors import InvalidArgumentError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import _

FINAL_HOLD_S = 2.5  # the finished feature map stays on screen this long before the loop restarts


def mp4_available() -> bool:
    """True when matplotlib finds an ffmpeg writer."""
    return animation.writers.is_available("ffmpeg")


def hold_frames(fps: float) -> int:
    """Copies of the final frame appended to an MP4 so that it stays about FINAL_HOLD_S on screen
    (a GIF holds it with a longer frame duration instead): ``hold_frames(8) == 19``."""
    return max(0, round(FINAL_HOLD_S * fps) - 1)


def check_output(path: str | os.PathLike, fps: float = 8.0) -> str:
    """The animation format of ``path`` (``"gif"`` or ``"mp4"``), refused early when unknown,
    when MP4 has no ffmpeg, or when ``fps`` is not positive."""
    target = Path(path)
    suffix = target.suffix.lower()
    if fps <= 0:
        raise InvalidArgumentError(_("fps must be positive. Received: fps={fps}", fps=fps))
    if suffix not in (".gif", ".mp4"):
        raise InvalidArgumentError(
            _(
                "unknown animation format {suffix!r}; expected .gif or .mp4. Received: {name}",
                suffix=suffix or _("(none)"),
                name=target.name,
            )
        )
    if suffix == ".mp4" and not mp4_available():
        raise InvalidArgumentError(
            _(
                "writing MP4 needs ffmpeg, which was not found; expected a .gif output or "
                "ffmpeg installed. Received: {name}",
                name=target.name,
            )
        )
    return suffix[1:]


def write_frames(
    path: str | os.PathLike,
    frames: Callable[[], Iterable[np.ndarray]],
    last_frame: Callable[[], np.ndarray],
    fps: float = 8.0,
) -> Path:
    """Encode ``frames()`` to ``path`` (.gif, or .mp4 with ffmpeg); return the path.

    Both end on ``last_frame()`` held for about FINAL_HOLD_S seconds.
    """
    if check_output(path, fps) == "gif":
        data = gif_bytes(frames(), last_frame(), fps)
    else:
        hold = itertools.repeat(last_frame(), hold_frames(fps))  # video players do not pause
        data = mp4_bytes(itertools.chain(frames(), hold), fps)
    atomic_write_bytes(Path(path), data)
    return Path(path)


def gif_bytes(frames: Iterable[np.ndarray], last: np.ndarray, fps: float) -> bytes:
    """A looping GIF of ``frames``; ``last`` (the final frame) gives the shared palette."""
    palette = Image.fromarray(last).quantize(256, method=Image.Quantize.MEDIANCUT)
    images = [
        Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames
    ]
    step_ms = round(1000 / fps)
    durations = [step_ms] * (len(images) - 1) + [max(step_ms, round(FINAL_HOLD_S * 1000))]
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        loop=0,
        duration=durations,
        optimize=False,
        disposal=1,
    )
    return buf.getvalue()


def mp4_bytes(frames: Iterable[np.ndarray], fps: float) -> bytes:
    """An H.264 MP4 of ``frames`` made by piping raw RGB to ffmpeg."""
    frames = iter(frames)
    first = next(frames)
    h, w = first.shape[:2]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.mp4"
        cmd = [
            matplotlib.rcParams["animation.ffmpeg_path"],
            *["-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s"],
            f"{w}x{h}",
            *("-r", str(fps), "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"),
            *["-pix_fmt", "yuv420p", "-vcodec", "libx264"],
            str(out),
        ]
        with subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            proc.stdin.write(first.tobytes())
            for frame in frames:
                proc.stdin.write(frame.tobytes())
            proc.stdin.close()
            err = proc.stderr.read() if proc.stderr else b""
        if proc.returncode != 0:
            raise InvalidArgumentError(
                _(
                    "ffmpeg could not write the MP4; expected exit code 0. Received: "
                    "{code} ({detail})",
                    code=proc.returncode,
                    detail=err.decode(errors="replace").strip()[:200],
                )
            )
        return out.read_bytes()
