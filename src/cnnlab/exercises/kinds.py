"""The convolution and pooling exercises: each generator takes a seeded NumPy generator and a
level and returns an :class:`~cnnlab.exercises.core.Exercise` whose answer and worked solution
are computed by :mod:`cnnlab.ops` (easy levels keep numbers small and whole, for paper)."""

from __future__ import annotations

import numpy as np

from cnnlab.exercises.core import Exercise
from cnnlab.ops import conv2d_backward, conv_output_size, explain_conv, explain_pool, size_formula
from cnnlab.ops.explain import convolve_image, format_number
from cnnlab.samples import get_kernel

#: the image side, value range and conv settings of each level
SETTINGS = {
    "easy": dict(side=5, low=0, high=3, klow=-1, khigh=1, strides=(1,), pads=(0,)),
    "medium": dict(side=6, low=0, high=5, klow=-1, khigh=2, strides=(1, 2), pads=(0, 1)),
    "hard": dict(side=7, low=-3, high=5, klow=-2, khigh=2, strides=(1, 2), pads=(1, 2)),
}


def factor(v: int) -> str:
    """``-2`` → ``(−2)``, as the dot products of :mod:`cnnlab.ops.explain` write it."""
    return f"(−{-v})" if v < 0 else str(v)


def ints(rng: np.random.Generator, shape, low: int, high: int) -> list[list[int]]:
    return rng.integers(low, high + 1, size=shape).tolist()


def output_size(rng: np.random.Generator, level: str) -> Exercise:
    while True:
        op = "conv" if level == "easy" or rng.random() < 0.7 else "pool"
        n = int(rng.integers(5, {"easy": 32, "medium": 64, "hard": 224}[level] + 1))
        k = int(rng.choice({"easy": (1, 3, 5), "medium": (3, 5, 7), "hard": (3, 5, 7, 11)}[level]))
        s = int(rng.choice((1, 2) if level == "easy" else (1, 2, 3)))
        p = int(rng.integers(0, {"easy": 1, "medium": 3, "hard": 5}[level] + 1))
        d = 1 if level != "hard" or op == "pool" else int(rng.choice((1, 2, 3)))
        if op == "pool":
            k, s, p = (2, 2, 0) if level != "hard" else (3, 2, 1)
        if d * (k - 1) + 1 <= n + 2 * p:
            break
    data = dict(op=op, op_en=op, op_es="convolución" if op == "conv" else "pooling", n=n, k=k,
                stride=s, padding=p, dilation=d)  # fmt: skip
    steps = (("size_rule", {}), ("filled", {"formula": size_formula(n, k, s, p, d)}))
    return Exercise("output-size", 0, level, data, conv_output_size(n, k, s, p, d), steps=steps)


def conv_cell(rng: np.random.Generator, level: str) -> Exercise:
    cfg = SETTINGS[level]
    image = ints(rng, (cfg["side"], cfg["side"]), cfg["low"], cfg["high"])
    kernel = ints(rng, (3, 3), cfg["klow"], cfg["khigh"])
    stride, pad = int(rng.choice(cfg["strides"])), int(rng.choice(cfg["pads"]))
    side = conv_output_size(cfg["side"], 3, stride, pad)
    row, col = (int(v) for v in rng.integers(0, side, size=2))
    step = explain_conv(np.array(image, float), np.array(kernel, float), row, col, stride, pad)
    data = dict(image=image, kernel=kernel, stride=stride, padding=pad, mode="correlate",
                cell=[row, col], row=row, col=col)  # fmt: skip
    window = {"r0": step.input_origin[0], "c0": step.input_origin[1],
              "window": step.window.tolist()}  # fmt: skip
    steps = (("window", window), ("dot", {"formula": step.formula()}))
    return Exercise("conv-cell", 0, level, data, step.total, steps=steps)


def feature_map(rng: np.random.Generator, level: str) -> Exercise:
    side, k, stride, pad = {"easy": (4, 2, 1, 0), "medium": (5, 3, 1, 0),
                            "hard": (6, 3, 2, 1)}[level]  # fmt: skip
    cfg = SETTINGS[level]
    image = ints(rng, (side, side), cfg["low"], cfg["high"])
    kernel = ints(rng, (k, k), cfg["klow"], cfg["khigh"])
    result = convolve_image(np.array(image, float), np.array(kernel, float), stride, pad)
    first = explain_conv(np.array(image, float), np.array(kernel, float), 0, 0, stride, pad)
    data = dict(image=image, kernel=kernel, stride=stride, padding=pad, mode="correlate")
    steps = (("dot", {"formula": first.formula()}), ("map", {"matrix": result.tolist()}))
    return Exercise("feature-map", 0, level, data, result.tolist(), form="matrix", steps=steps)


def correlate_vs_convolve(rng: np.random.Generator, level: str) -> Exercise:
    cfg = SETTINGS[level]
    side = 4 if level == "easy" else 5
    image = ints(rng, (side, side), cfg["low"], cfg["high"])
    while True:
        kernel = ints(rng, (3, 3), cfg["klow"], cfg["khigh"])
        if np.array(kernel)[::-1, ::-1].tolist() != kernel:  # flipping must change it
            break
    row, col = (int(v) for v in rng.integers(0, side - 2, size=2))
    step = explain_conv(np.array(image, float), np.array(kernel, float), row, col,
                        mode="convolve")  # fmt: skip
    data = dict(image=image, kernel=kernel, stride=1, padding=0, mode="convolve",
                cell=[row, col], row=row, col=col)  # fmt: skip
    steps = (("flipped", {"kernel": step.kernel.tolist()}), ("dot", {"formula": step.formula()}))
    return Exercise("correlate-vs-convolve", 0, level, data, step.total, steps=steps)


def pooling(rng: np.random.Generator, level: str) -> Exercise:
    side, k = {"easy": (4, 2), "medium": (6, 2), "hard": (6, 3)}[level]
    kind = "max" if level == "easy" else str(rng.choice(("max", "avg")))
    values = ints(rng, (side, side), 0, 9)
    arr = np.array(values, float)
    out, steps = [], []
    for r in range(side // k):
        out.append([])
        for c in range(side // k):
            step = explain_pool(arr, r, c, kind, k, k)
            value = round(float(step.value), 2)
            out[-1].append(value)
            steps.append(("pool_cell", {"row": r, "col": c, "window": step.window.tolist(),
                                        "value": value}))  # fmt: skip
    is_max = kind == "max"
    data = dict(map=values, kind=kind, k=k, kind_en="max" if is_max else "average",
                kind_es="máximo" if is_max else "promedio",
                rounding_en="" if is_max else " (averages rounded to two decimals)",
                rounding_es="" if is_max else " (promedios redondeados a dos decimales)",
                )  # fmt: skip
    return Exercise("pooling", 0, level, data, out, form="matrix", steps=tuple(steps),
                    tolerance=0.005)  # fmt: skip


#: candidates of which-kernel: their feature maps look different on an edge picture
SHOWN_KERNELS = ("identity", "box-blur", "sharpen", "laplacian", "sobel-x", "sobel-y",
                 "prewitt-x", "outline")  # fmt: skip


def which_kernel(rng: np.random.Generator, level: str) -> Exercise:
    side = {"easy": 5, "medium": 6, "hard": 6}[level]
    image = np.zeros((side, side), int)
    edge = int(rng.integers(1, side - 1))
    image[:, edge:] = int(rng.integers(1, 5)) if rng.random() < 0.5 else 0
    image[edge:, :] += int(rng.integers(1, 5))
    image += rng.integers(0, 2 if level == "easy" else 4, size=image.shape)
    while True:  # four candidates whose maps differ, so that one answer is right
        choices = [str(c) for c in rng.choice(SHOWN_KERNELS, size=4, replace=False)]
        maps = {c: convolve_image(image.astype(float), get_kernel(c)) for c in choices}
        flat = {np.round(m, 6).tobytes() for m in maps.values()}
        if len(flat) == 4:
            break
    answer = choices[int(rng.integers(0, 4))]
    data = dict(image=image.tolist(), map=np.round(maps[answer], 3).tolist(), choices=choices,
                kernels={c: get_kernel(c).tolist() for c in choices})  # fmt: skip
    steps = tuple(("kernel_map", {"name": c, "matrix": np.round(maps[c], 3).tolist()})
                  for c in choices)  # fmt: skip
    return Exercise("which-kernel", 0, level, data, answer, form="choice",
                    choices=tuple(choices), steps=steps, tolerance=0.0)  # fmt: skip


def gradient(rng: np.random.Generator, level: str) -> Exercise:
    side, high = {"easy": (3, 3), "medium": (4, 4), "hard": (4, 5)}[level]
    x = ints(rng, (side, side), 0, high)
    w = ints(rng, (2, 2), -1, 2)
    out = side - 1
    g = [[1] * out for _ in range(out)] if level == "easy" else ints(rng, (out, out), -2, 2)
    i, j = (int(v) for v in rng.integers(0, 2, size=2))
    grad_w = conv2d_backward(np.array(g, float)[None, None], np.array(x, float)[None, None],
                             np.array(w, float)[None, None])[1]  # fmt: skip
    terms = " + ".join(f"{factor(g[r][c])}·{factor(x[r + i][c + j])}"
                       for r in range(out) for c in range(out))  # fmt: skip
    value = float(grad_w[0, 0, i, j])
    data = dict(x=x, w=w, g=g, i=i, j=j)
    steps = (("grad_rule", {"i": i, "j": j}),
             ("dot", {"formula": f"{terms} = {format_number(value)}"}))  # fmt: skip
    return Exercise("gradient", 0, level, data, value, steps=steps)
