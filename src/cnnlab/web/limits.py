"""The browser lab's limits: the most work one request may cause, checked before allocating.

The CLI and the library keep their own, larger limits (a 40-megapixel photo convolves fine on the
command line); a page served to a whole classroom refuses anything that would take more than a
moment, or whose arrays (a convolution's or pooling's input, padded copy, output and buffer)
would take more than :data:`LIMITS.work_bytes`, and says which limit and which value. Decoding
an upload comes on top of that: measured peaks of one request (docs/benchmarks.md) are about
+65 MB for a 1400×1400 PNG convolved with an 11×11 kernel and about +180 MB for a CSV at the
size limit (2,000,000 values); the server computes two uploads at a time for that reason.

>>> LIMITS.side, LIMITS.work_bytes // 2**20
(2048, 64)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, group, resolve_lang, translate
from cnnlab.ops._args import positions

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    side: int = 2048  # rows or columns of a picture or matrix
    pixels: int = 2_000_000  # cells of a picture or matrix (1600×1200 fits)
    upload_bytes: int = 12 * MiB  # one uploaded file or drawing, as bytes
    body_bytes: int = 17 * MiB  # one request body (an upload travels base64-encoded: 4/3)
    kernel_side: int = 64  # rows or columns of a kernel
    kernel_text: int = 20_000  # characters of a typed kernel
    padding: int = 256  # zeros added on one side
    dilation: int = 64
    stride: int = 2048
    pool_size: int = 64
    work_bytes: int = 64 * MiB  # memory of one operation's arrays (inputs, outputs, buffers)
    mult_adds: int = 250_000_000  # multiply-adds (or window reads) of one operation
    spec_chars: int = 1000  # characters of a model spec
    spec_layers: int = 64  # layers in a model spec
    shape_side: int = 4096  # each dimension of a model's input shape
    channels: int = 1024  # input channels of a model
    classes: int = 10_000
    params: int = 100_000_000  # parameters a summarized model may have (nothing is allocated)
    shift: int = 6  # pixels the Draw tab moves a drawing
    gen_count: int = 64  # digits the Generate tab makes at once (each a decoder pass)
    gen_steps: int = 12  # pictures in the Generate tab's morph (fixed, not asked)
    gen_seed: int = 2**31 - 1  # the largest seed the Generate tab takes
    text_chars: int = 2000  # characters typed in the Text tab (a model reads the first 160)


LIMITS = Limits()


def refuse(what: str, limit: object, value: object, hint: str = "") -> InvalidArgumentError:
    """The one message shape for a lab limit: what, the limit, the value received, in the
    current language (the lab answers each request in its page's language). ``what`` and
    ``hint`` are English texts marked ``N_`` (translated here); numbers get the language's
    marks."""
    what, hint = _local(what), _local(hint)
    if hint:
        return InvalidArgumentError(
            _("{what} is over the lab's limit; expected at most {limit} ({hint}). "
              "Received: {value}", what=what, limit=limit, hint=hint, value=value)
        )  # fmt: skip
    return InvalidArgumentError(
        _("{what} is over the lab's limit; expected at most {limit}. Received: {value}",
          what=what, limit=limit, value=value)
    )  # fmt: skip


def _local(text: str) -> str:
    """An English text marked ``N_`` (or one already translated) in the current language."""
    return translate(text, resolve_lang(), {}) if text else text


def check_at_most(what: str, value: int, limit: int, hint: str = "") -> int:
    """``value`` when it is at most ``limit``; else the refusal, ``what`` and ``hint`` being
    English texts marked ``N_``."""
    if value > limit:
        raise refuse(what, group(limit), group(value), hint)
    return value


def check_picture(shape: tuple[int, ...], limits: Limits = LIMITS) -> None:
    """A picture's or matrix's (H, W): each side and the cell count."""
    height, width = shape[:2]
    side = max(height, width)
    check_at_most(N_("the picture's side"), side, limits.side,
                  _("{n} pixels per side", n=limits.side))  # fmt: skip
    check_at_most(N_("the picture's pixel count"), height * width, limits.pixels)


def pads_total(pads: tuple[tuple[int, int], tuple[int, int]]) -> tuple[int, int]:
    return pads[0][0] + pads[0][1], pads[1][0] + pads[1][1]


def conv_cost(
    size: tuple[int, int], kernel: tuple[int, int], stride: int, pads, dilation: int
) -> tuple[int, int]:
    """``(bytes, mult-adds)`` of one strip-wise convolution, from its arguments alone.

    Memory: the float64 input, its padded copy and the output, plus the column buffer of one
    strip (at most :data:`STRIP_BYTES`).
    """
    (ph, pw), (kh, kw) = pads_total(pads), kernel
    padded = (size[0] + ph) * (size[1] + pw)
    out_h = max(0, positions(size[0] + ph, kh, stride, dilation))
    out_w = max(0, positions(size[1] + pw, kw, stride, dilation))
    out = out_h * out_w
    return 8 * (size[0] * size[1] + padded + out) + STRIP_BYTES, out * kh * kw


#: column buffer of one strip of a large convolution (see handlers.convolve_strips)
STRIP_BYTES = 8 * MiB


#: what the memory and multiply-add limits are about, by operation
WORK = {
    "this convolution": (N_("the memory this convolution needs"),
                         N_("the multiply-adds of this convolution")),
    "this pooling": (N_("the memory this pooling needs"), N_("the multiply-adds of this pooling")),
}  # fmt: skip


def check_work(what: str, cost: tuple[int, int], limits: Limits = LIMITS) -> None:
    """Refuse an operation (``"this convolution"`` or ``"this pooling"``) whose memory or
    multiply-adds are over the limits."""
    memory, mult_adds = cost
    memory_text, mult_adds_text = WORK[what]
    if memory > limits.work_bytes:
        raise refuse(
            memory_text,
            f"{limits.work_bytes // MiB} MB",
            f"{math.ceil(memory / MiB)} MB",
            N_("use a smaller picture, kernel or padding"),
        )
    check_at_most(mult_adds_text, mult_adds, limits.mult_adds)
