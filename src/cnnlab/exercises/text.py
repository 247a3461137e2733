"""The exercises' words: each question and each line of a worked solution, in English and in
Spanish (written for a Spanish-speaking class, not translated word for word)."""

from __future__ import annotations

from typing import Any

from cnnlab.i18n import N_, local_number, tr

QUESTIONS = {
    "output-size": N_(
        "A {op_en} layer with a {k}×{k} window, stride {stride}, padding {padding} and "
        "dilation {dilation} is applied to an input of {n}×{n}. How many rows does its output "
        "have?"
    ),
    "conv-cell": N_(
        "Slide the kernel over the image as a CNN does (cross-correlation, the kernel as "
        "written), with stride {stride} and padding {padding}. What is the value of the output "
        "cell (row {row}, column {col})? Rows and columns count from 0."
    ),
    "feature-map": N_(
        "Compute the whole feature map of the image with this kernel (cross-correlation, "
        "stride {stride}, padding {padding}). Write it row by row."
    ),
    "correlate-vs-convolve": N_(
        "This time compute a true convolution: the kernel is flipped (rotated 180°) before "
        "it slides, stride 1, no padding. What is the value of the output cell (row {row}, "
        "column {col})?"
    ),
    "pooling": N_(
        "Apply {kind_en} pooling with a {k}×{k} window and stride {k} to the map. Write "
        "the pooled map row by row{rounding_en}."
    ),
    "parameters": N_("How many trainable parameters (weights and biases) does {what_en} have?"),
    "receptive-field": N_(
        "These layers are applied in order: {layers_en}. How many input pixels wide is "
        "the receptive field of one output cell of the last layer (its side, in pixels)?"
    ),
    "which-kernel": N_(
        "The feature map below was made by sliding one of these named kernels over the "
        "image (cross-correlation, no padding). Which one?"
    ),
    "gradient": N_(
        "A conv layer slides the kernel w over x as CNNs do (cross-correlation, the kernel "
        "as written; stride 1, no padding). Its output y feeds a loss L = Σ g·y with the given g "
        "(the gradient of L with respect to y). What is ∂L/∂w[{i}][{j}]?"
    ),
}

STEPS = {
    "size_rule": N_("Output size = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1"),
    "filled": N_("Filled in: {formula}"),
    "window": N_(
        "The cell reads the window whose top-left corner is input ({r0}, {c0}) of the "
        "padded image: {window}"
    ),
    "dot": N_("Multiply cell by cell and add (dot product): {formula}"),
    "flipped": N_("The flipped kernel: {kernel}"),
    "map": N_("The whole map: {matrix}"),
    "pool_cell": N_("Window at ({row}, {col}): {window} → {value}"),
    "count": N_("Parameters: {formula}"),
    "rf_rule": N_(
        "Each layer widens the field by (k − 1) × the product of the strides before it, "
        "starting from 1 pixel."
    ),
    "rf_layer": N_("{layer}: {before} + ({k} − 1)·{jump} = {field}"),
    "kernel_map": N_("{name} gives {matrix}"),
    "grad_rule": N_("∂L/∂w[{i}][{j}] = Σ g[r][c]·x[r+{i}][c+{j}] over every output cell (r, c)"),
}

HINTS = {
    "output-size": N_(
        "Add the padding on both sides, take away the span of the window minus one, divide "
        "by the stride (rounding down) and add 1."
    ),
    "conv-cell": N_(
        "Find the window: output (row, col) starts at input (row·stride, col·stride) of "
        "the padded image. Then multiply cell by cell and add."
    ),
    "pooling": N_("Each output cell looks at its own window only; windows do not overlap here."),
    "parameters": N_(
        "A conv layer has C_out·C_in·k·k weights plus one bias per output channel; a dense "
        "layer has inputs·outputs weights plus one bias per output."
    ),
    "receptive-field": N_(
        "Start at 1 and add (k − 1) times the product of the strides of the layers before."
    ),
    "which-kernel": N_("Compute one or two cells of the map with each candidate and compare."),
    "gradient": N_(
        "w[i][j] multiplies x[r+i][c+j] in every output cell (r, c); the gradient adds "
        "g[r][c] times that input."
    ),
}
HINTS["feature-map"] = HINTS["conv-cell"]
HINTS["correlate-vs-convolve"] = N_(
    "Flip the kernel upside down and left to right first, then slide it as usual."
)

KIND_NAMES = {
    "output-size": N_("output size"),
    "conv-cell": N_("one cell of a convolution"),
    "feature-map": N_("a whole feature map"),
    "correlate-vs-convolve": N_("correlation vs convolution"),
    "pooling": N_("pooling"),
    "parameters": N_("counting parameters"),
    "receptive-field": N_("receptive field"),
    "which-kernel": N_("which kernel?"),
    "gradient": N_("a weight's gradient"),
}  # fmt: skip

LABELS = {
    "image": N_("Image"),
    "kernel": N_("Kernel"),
    "map": N_("Map"),
    "x": N_("x (input)"),
    "w": N_("w (kernel)"),
    "g": N_("g (gradient of L with respect to y)"),
    "choices": N_("Choices"),
    "answer": N_("Answer"),
    "solution": N_("Worked solution"),
    "hint": N_("Hint"),
}


def fmt(value: Any, lang: str) -> str:
    """A number or a matrix as written in ``lang`` (``1.5`` / ``1,5``; rows as ``[1 2; 3 4]``)."""
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], list | tuple):
            return "[" + "; ".join(" ".join(fmt(v, lang) for v in row) for row in value) + "]"
        return "[" + " ".join(fmt(v, lang) for v in value) + "]"
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:.4g}"
    return local_number(text, lang).replace("-", "−")


def question(kind: str, data: dict[str, Any], lang: str) -> str:
    return tr(QUESTIONS, kind, lang, **data)


def hint(kind: str, lang: str) -> str:
    return tr(HINTS, kind, lang)


def steps(lines, lang: str) -> list[str]:
    """The worked solution's lines; matrices and numbers written in ``lang``."""
    out = []
    for key, values in lines:
        shown = {k: fmt(v, lang) if isinstance(v, int | float | list) else v
                 for k, v in values.items()}  # fmt: skip
        out.append(tr(STEPS, key, lang, **shown))
    return out


LEVEL_NAMES = {
    "easy": N_("easy"),
    "medium": N_("medium"),
    "hard": N_("hard"),
}


def level_name(level: str, lang: str) -> str:
    return tr(LEVEL_NAMES, level, lang)


def kind_name(kind: str, lang: str) -> str:
    return tr(KIND_NAMES, kind, lang)


def label(key: str, lang: str) -> str:
    return tr(LABELS, key, lang)
