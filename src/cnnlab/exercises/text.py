"""The exercises' words: each question and each line of a worked solution, in English and in
Spanish (written for a Spanish-speaking class, not translated word for word)."""

from __future__ import annotations

from typing import Any

from cnnlab.i18n import local_number, tr

QUESTIONS = {
    "output-size": {
        "en": "A {op} layer with a {k}×{k} window, stride {stride}, padding {padding} and "
        "dilation {dilation} is applied to an input of {n}×{n}. How many rows does its output "
        "have?",
        "es": "Se aplica una capa de {op_es} con ventana de {k}×{k}, paso (stride) {stride}, "
        "relleno (padding) {padding} y dilatación {dilation} a una entrada de {n}×{n}. ¿Cuántas "
        "filas tiene la salida?",
    },
    "conv-cell": {
        "en": "Slide the kernel over the image as a CNN does (cross-correlation, the kernel as "
        "written), with stride {stride} and padding {padding}. What is the value of the output "
        "cell (row {row}, column {col})? Rows and columns count from 0.",
        "es": "Desliza el kernel (filtro) sobre la imagen como lo hace una CNN (correlación "
        "cruzada, el kernel tal cual), con paso {stride} y relleno {padding}. ¿Cuál es el valor "
        "de la celda de salida (fila {row}, columna {col})? Filas y columnas se cuentan desde 0.",
    },
    "feature-map": {
        "en": "Compute the whole feature map of the image with this kernel (cross-correlation, "
        "stride {stride}, padding {padding}). Write it row by row.",
        "es": "Calcula el mapa de características completo de la imagen con este kernel "
        "(correlación cruzada, paso {stride}, relleno {padding}). Escríbelo fila por fila.",
    },
    "correlate-vs-convolve": {
        "en": "This time compute a true convolution: the kernel is flipped (rotated 180°) before "
        "it slides, stride 1, no padding. What is the value of the output cell (row {row}, "
        "column {col})?",
        "es": "Esta vez calcula una convolución verdadera: el kernel se voltea (rota 180°) antes "
        "de deslizarse, paso 1, sin relleno. ¿Cuál es el valor de la celda de salida (fila {row}, "
        "columna {col})?",
    },
    "pooling": {
        "en": "Apply {kind_en} pooling with a {k}×{k} window and stride {k} to the map. Write "
        "the pooled map row by row{rounding_en}.",
        "es": "Aplica pooling de {kind_es} con ventana de {k}×{k} y paso {k} al mapa. Escribe el "
        "mapa reducido fila por fila{rounding_es}.",
    },
    "parameters": {
        "en": "How many trainable parameters (weights and biases) does {what_en} have?",
        "es": "¿Cuántos parámetros entrenables (pesos y sesgos) tiene {what_es}?",
    },
    "receptive-field": {
        "en": "These layers are applied in order: {layers_en}. How many input pixels wide is "
        "the receptive field of one output cell of the last layer (its side, in pixels)?",
        "es": "Estas capas se aplican en orden: {layers_es}. ¿Cuántos píxeles de la entrada "
        "abarca el campo receptivo de una celda de salida de la última capa (su lado, en "
        "píxeles)?",
    },
    "which-kernel": {
        "en": "The feature map below was made by sliding one of these named kernels over the "
        "image (cross-correlation, no padding). Which one?",
        "es": "El mapa de características de abajo se obtuvo deslizando uno de estos kernels con "
        "nombre sobre la imagen (correlación cruzada, sin relleno). ¿Cuál?",
    },
    "gradient": {
        "en": "A conv layer slides the kernel w over x as CNNs do (cross-correlation, the kernel "
        "as written; stride 1, no padding). Its output y feeds a loss L = Σ g·y with the given g "
        "(the gradient of L with respect to y). What is ∂L/∂w[{i}][{j}]?",
        "es": "Una capa conv desliza el kernel w sobre x como lo hacen las CNN (correlación "
        "cruzada, el kernel tal cual; paso 1, sin relleno). Su salida y entra en una pérdida "
        "L = Σ g·y con el g dado (el gradiente de L respecto de y). ¿Cuánto vale "
        "∂L/∂w[{i}][{j}]?",
    },
}

STEPS = {
    "size_rule": {
        "en": "Output size = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1",
        "es": "Tamaño de salida = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1",
    },
    "filled": {"en": "Filled in: {formula}", "es": "Reemplazando: {formula}"},
    "window": {
        "en": "The cell reads the window whose top-left corner is input ({r0}, {c0}) of the "
        "padded image: {window}",
        "es": "La celda lee la ventana cuya esquina superior izquierda es la entrada ({r0}, {c0}) "
        "de la imagen con relleno: {window}",
    },
    "dot": {
        "en": "Multiply cell by cell and add (dot product): {formula}",
        "es": "Multiplica celda a celda y suma (producto punto): {formula}",
    },
    "flipped": {
        "en": "The flipped kernel: {kernel}",
        "es": "El kernel volteado: {kernel}",
    },
    "map": {"en": "The whole map: {matrix}", "es": "El mapa completo: {matrix}"},
    "pool_cell": {
        "en": "Window at ({row}, {col}): {window} → {value}",
        "es": "Ventana en ({row}, {col}): {window} → {value}",
    },
    "count": {"en": "Parameters: {formula}", "es": "Parámetros: {formula}"},
    "rf_rule": {
        "en": "Each layer widens the field by (k − 1) × the product of the strides before it, "
        "starting from 1 pixel.",
        "es": "Cada capa agranda el campo en (k − 1) × el producto de los pasos anteriores, "
        "partiendo de 1 píxel.",
    },
    "rf_layer": {
        "en": "{layer}: {before} + ({k} − 1)·{jump} = {field}",
        "es": "{layer}: {before} + ({k} − 1)·{jump} = {field}",
    },
    "kernel_map": {
        "en": "{name} gives {matrix}",
        "es": "{name} da {matrix}",
    },
    "grad_rule": {
        "en": "∂L/∂w[{i}][{j}] = Σ g[r][c]·x[r+{i}][c+{j}] over every output cell (r, c)",
        "es": "∂L/∂w[{i}][{j}] = Σ g[r][c]·x[r+{i}][c+{j}] sobre cada celda de salida (r, c)",
    },
}

HINTS = {
    "output-size": {
        "en": "Add the padding on both sides, take away the span of the window minus one, divide "
        "by the stride (rounding down) and add 1.",
        "es": "Suma el relleno de ambos lados, resta el alcance de la ventana menos uno, divide "
        "por el paso (redondeando hacia abajo) y suma 1.",
    },
    "conv-cell": {
        "en": "Find the window: output (row, col) starts at input (row·stride, col·stride) of "
        "the padded image. Then multiply cell by cell and add.",
        "es": "Ubica la ventana: la salida (fila, col) empieza en la entrada "
        "(fila·paso, col·paso) de la imagen con relleno. Luego multiplica celda a celda y suma.",
    },
    "pooling": {
        "en": "Each output cell looks at its own window only; windows do not overlap here.",
        "es": "Cada celda de salida mira solo su propia ventana; aquí las ventanas no se "
        "superponen.",
    },
    "parameters": {
        "en": "A conv layer has C_out·C_in·k·k weights plus one bias per output channel; a dense "
        "layer has inputs·outputs weights plus one bias per output.",
        "es": "Una capa conv tiene C_out·C_in·k·k pesos más un sesgo por canal de salida; una "
        "capa densa tiene entradas·salidas pesos más un sesgo por salida.",
    },
    "receptive-field": {
        "en": "Start at 1 and add (k − 1) times the product of the strides of the layers before.",
        "es": "Parte en 1 y suma (k − 1) por el producto de los pasos de las capas anteriores.",
    },
    "which-kernel": {
        "en": "Compute one or two cells of the map with each candidate and compare.",
        "es": "Calcula una o dos celdas del mapa con cada candidato y compara.",
    },
    "gradient": {
        "en": "w[i][j] multiplies x[r+i][c+j] in every output cell (r, c); the gradient adds "
        "g[r][c] times that input.",
        "es": "w[i][j] multiplica a x[r+i][c+j] en cada celda de salida (r, c); el gradiente "
        "suma g[r][c] por esa entrada.",
    },
}
HINTS["feature-map"] = HINTS["conv-cell"]
HINTS["correlate-vs-convolve"] = {
    "en": "Flip the kernel upside down and left to right first, then slide it as usual.",
    "es": "Primero voltea el kernel de arriba abajo y de izquierda a derecha; luego deslízalo "
    "como siempre.",
}

KIND_NAMES = {
    "output-size": {"en": "output size", "es": "tamaño de salida"},
    "conv-cell": {"en": "one cell of a convolution", "es": "una celda de una convolución"},
    "feature-map": {"en": "a whole feature map", "es": "un mapa de características completo"},
    "correlate-vs-convolve": {"en": "correlation vs convolution",
                              "es": "correlación vs convolución"},
    "pooling": {"en": "pooling", "es": "pooling"},
    "parameters": {"en": "counting parameters", "es": "contar parámetros"},
    "receptive-field": {"en": "receptive field", "es": "campo receptivo"},
    "which-kernel": {"en": "which kernel?", "es": "¿qué kernel?"},
    "gradient": {"en": "a weight's gradient", "es": "el gradiente de un peso"},
}  # fmt: skip

LABELS = {
    "image": {"en": "Image", "es": "Imagen"},
    "kernel": {"en": "Kernel", "es": "Kernel (filtro)"},
    "map": {"en": "Map", "es": "Mapa"},
    "x": {"en": "x (input)", "es": "x (entrada)"},
    "w": {"en": "w (kernel)", "es": "w (kernel)"},
    "g": {"en": "g (gradient of L with respect to y)", "es": "g (gradiente de L respecto de y)"},
    "choices": {"en": "Choices", "es": "Opciones"},
    "answer": {"en": "Answer", "es": "Respuesta"},
    "solution": {"en": "Worked solution", "es": "Solución paso a paso"},
    "hint": {"en": "Hint", "es": "Pista"},
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
    "easy": {"en": "easy", "es": "fácil"},
    "medium": {"en": "medium", "es": "intermedio"},
    "hard": {"en": "hard", "es": "difícil"},
}


def level_name(level: str, lang: str) -> str:
    return tr(LEVEL_NAMES, level, lang)


def kind_name(kind: str, lang: str) -> str:
    return tr(KIND_NAMES, kind, lang)


def label(key: str, lang: str) -> str:
    return tr(LABELS, key, lang)
