"""The browser lab's own words in English and Spanish (labels, hints, messages).

Text shared with the CLI (feature map, window, kernel, the dot-product heading, the size rule) comes
from :mod:`cnnlab.cli.ops_render` and :mod:`cnnlab.cli.model_cmds`; only what the page alone says
lives here.
"""

from __future__ import annotations

from cnnlab.i18n import tr

TEXT = {
    "title": {"en": "cnnlab: the CNN lab", "es": "cnnlab: el laboratorio de CNN"},
    "intro": {
        "en": "Slide a kernel over a picture, pool a map, size up a model, or ask a trained "
        "network what digit you drew. Every number is computed by cnnlab.",
        "es": "Desliza un kernel sobre una imagen, reduce un mapa con pooling, mide un modelo o "
        "pregunta a una red entrenada qué dígito dibujaste. Cada número lo calcula cnnlab.",
    },
    "other_lang": {"en": "Español", "es": "English"},
    "tab_conv": {"en": "Convolution", "es": "Convolución"},
    "tab_pool": {"en": "Pooling", "es": "Pooling"},
    "tab_model": {"en": "Model", "es": "Modelo"},
    "tab_draw": {"en": "Draw a digit", "es": "Dibuja un dígito"},
    "sample": {"en": "Sample picture", "es": "Imagen de ejemplo"},
    "upload": {
        "en": "…or your own file (PNG, JPEG, CSV, .npy)",
        "es": "…o tu propio archivo (PNG, JPEG, CSV, .npy)",
    },
    "kernel_pick": {"en": "Named kernel", "es": "Kernel con nombre"},
    "kernel_text": {
        "en": "Kernel (filter): a name, or rows separated by ; and numbers by ,",
        "es": "Kernel (filtro): un nombre, o filas separadas por ; y números por ,",
    },
    "stride": {"en": "Stride (s)", "es": "Paso / stride (s)"},
    "padding": {
        "en": "Padding (p): a number, ROWS,COLS, valid, same or full",
        "es": "Relleno / padding (p): un número, FILAS,COLUMNAS, valid, same o full",
    },
    "dilation": {"en": "Dilation (d)", "es": "Dilatación (d)"},
    "mode": {"en": "Mode", "es": "Modo"},
    "row": {"en": "Output row", "es": "Fila de salida"},
    "col": {"en": "Output column", "es": "Columna de salida"},
    "compute": {"en": "Compute", "es": "Calcular"},
    "input_img": {"en": "Input", "es": "Entrada"},
    "map_img": {"en": "Feature map", "es": "Mapa de características"},
    "pooled_img": {"en": "Pooled map", "es": "Mapa reducido"},
    "pick_cell": {
        "en": "Choose an output cell (row, column) to see how it is computed.",
        "es": "Elige una celda de salida (fila, columna) para ver cómo se calcula.",
    },
    "kind": {"en": "Pooling", "es": "Pooling"},
    "size": {"en": "Window size (k)", "es": "Tamaño de ventana (k)"},
    "pool_stride": {"en": "Stride (0 = size)", "es": "Paso / stride (0 = tamaño)"},
    "pool_padding": {"en": "Padding", "es": "Relleno / padding"},
    "model": {
        "en": "Preset or spec, e.g. conv(16,3) relu maxpool(2) flatten dense",
        "es": "Modelo predefinido o especificación, p. ej. conv(16,3) relu maxpool(2) flatten "
        "dense",
    },
    "input_shape": {
        "en": "Input shape (C×H×W), empty = the preset's",
        "es": "Forma de entrada (C×H×W), vacío = la del modelo",
    },
    "classes": {"en": "Classes", "es": "Clases"},
    "summarize": {"en": "Summarize", "es": "Resumir"},
    "run_folder": {
        "en": "Run folder (from cnnlab train)",
        "es": "Carpeta de la corrida (de cnnlab train)",
    },
    "load_run": {"en": "Load run", "es": "Cargar corrida"},
    "sketch": {
        "en": "Draw one digit (pick the brush first)",
        "es": "Dibuja un dígito (elige primero el pincel)",
    },
    "predict": {"en": "Predict", "es": "Predecir"},
    "top3": {"en": "Top 3", "es": "Las 3 más probables"},
    "seen": {"en": "What the model sees", "es": "Lo que ve el modelo"},
    "no_run": {
        "en": "No run loaded. Train one (cnnlab train --model small-cnn --dataset mnist "
        "--out runs/mnist), then give its folder above or start with "
        "cnnlab serve --run runs/mnist.",
        "es": "No hay corrida cargada. Entrena una (cnnlab train --model small-cnn --dataset mnist "
        "--out runs/mnist) y escribe su carpeta arriba, o inicia con "
        "cnnlab serve --run runs/mnist.",
    },
    "run_loaded": {
        "en": "Run {path}: {spec} on {dataset}, {k} classes, input {shape}.",
        "es": "Corrida {path}: {spec} sobre {dataset}, {k} clases, entrada {shape}.",
    },
    "empty_canvas": {
        "en": "The canvas is empty: draw a digit with the brush, then press Predict.",
        "es": "El lienzo está vacío: dibuja un dígito con el pincel y pulsa Predecir.",
    },
    "error": {"en": "Error", "es": "Error"},
    "used_input": {"en": "Input: {name}, {shape}", "es": "Entrada: {name}, {shape}"},
    "your_file": {"en": "your file", "es": "tu archivo"},
    "big_map": {
        "en": "The map is too large for a table ({shape}); the picture shows all of it "
        "(min → black, max → white).",
        "es": "El mapa es demasiado grande para una tabla ({shape}); la imagen lo muestra entero "
        "(mínimo → negro, máximo → blanco).",
    },
    "offline": {
        "en": "Runs on this computer; nothing is sent anywhere.",
        "es": "Funciona en este equipo; no se envía nada a ningún sitio.",
    },
}


def t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``."""
    return tr(TEXT, key, lang, **fmt)
