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
    "choice_correlate": {
        "en": "correlate (the kernel as written, as CNNs do)",
        "es": "correlación (el kernel tal cual, como en las CNN)",
    },
    "choice_convolve": {
        "en": "convolve (the kernel flipped first)",
        "es": "convolución (primero se voltea el kernel)",
    },
    "choice_max": {"en": "max", "es": "máximo"},
    "choice_avg": {"en": "average", "es": "promedio"},
    "row": {"en": "Output row", "es": "Fila de salida"},
    "col": {"en": "Output column", "es": "Columna de salida"},
    "compute": {"en": "Compute", "es": "Calcular"},
    "input_img": {"en": "Input", "es": "Entrada"},
    "map_img": {"en": "Feature map", "es": "Mapa de características"},
    "pooled_img": {"en": "Pooled map", "es": "Mapa reducido"},
    "pick_cell": {
        "en": "Choose an output cell (row, column), or click it in the table or the picture, to "
        "see how it is computed.",
        "es": "Elige una celda de salida (fila, columna), o haz clic en ella en la tabla o en la "
        "imagen, para ver cómo se calcula.",
    },
    "click_cell": {
        "en": "Click a cell to see how it is computed",
        "es": "Haz clic en una celda para ver cómo se calcula",
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
    "sketch": {
        "en": "Draw one digit with the mouse or a finger",
        "es": "Dibuja un dígito con el ratón o el dedo",
    },
    "predict": {"en": "Predict", "es": "Predecir"},
    "clear": {"en": "Clear", "es": "Borrar"},
    "clear_file": {"en": "Remove the file", "es": "Quitar el archivo"},
    "models_pick": {"en": "Models compared", "es": "Modelos comparados"},
    "shift_x": {"en": "Move right (pixels)", "es": "Mover a la derecha (píxeles)"},
    "shift_y": {"en": "Move down (pixels)", "es": "Mover hacia abajo (píxeles)"},
    "shift_hint": {
        "en": "Move the drawing and watch both answers: a CNN's kernels slide with it, an MLP's "
        "weights are tied to fixed pixels.",
        "es": "Mueve el dibujo y mira ambas respuestas: los kernels de una CNN se deslizan con él, "
        "los pesos de un MLP están atados a píxeles fijos.",
    },
    "seen": {"en": "What the models see", "es": "Lo que ven los modelos"},
    "features": {
        "en": "The CNN's feature maps of your drawing, layer by layer",
        "es": "Los mapas de características de la CNN para tu dibujo, capa por capa",
    },
    "no_run": {
        "en": "No trained model is available. Start the lab without --run to train the default "
        "pair (a small CNN and an MLP on MNIST), or give one: cnnlab serve --run "
        "runs/mnist-small-cnn.",
        "es": "No hay ningún modelo entrenado. Inicia el laboratorio sin --run para entrenar el "
        "par por defecto (una CNN pequeña y un MLP sobre MNIST), o indica uno: cnnlab serve "
        "--run runs/mnist-small-cnn.",
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
    "busy": {"en": "Computing…", "es": "Calculando…"},
    "tab_practice": {"en": "Practice", "es": "Práctica"},
    "tab_text": {"en": "Text", "es": "Texto"},
    "text_intro": {
        "en": "Type a sentence in Spanish, Portuguese, Italian, French, German or English: a 1-D "
        "convolution over its characters guesses the language as you type. Each character is "
        "coloured by how strongly the kernels that decided respond to it.",
        "es": "Escribe una frase en español, portugués, italiano, francés, alemán o inglés: una "
        "convolución 1-D sobre sus caracteres adivina el idioma mientras escribes. Cada carácter "
        "se colorea según lo fuerte que le responden los kernels que decidieron.",
    },
    "text_label": {"en": "Your sentence", "es": "Tu frase"},
    "text_example": {"en": "Where is the library?", "es": "¿Dónde está la biblioteca?"},
    "text_run": {"en": "Text model (run)", "es": "Modelo de texto (ejecución)"},
    "text_kernels": {
        "en": "Coloured by the top kernels of the first layer",
        "es": "Coloreado por los kernels principales de la primera capa",
    },
    "no_text_run": {
        "en": "No text run is loaded. Train one (cnnlab train --model char-cnn --dataset "
        "languages) and start the lab with --run runs/languages-char-cnn.",
        "es": "No hay ninguna ejecución de texto cargada. Entrena una (cnnlab train --model "
        "char-cnn --dataset languages) y arranca el laboratorio con --run "
        "runs/languages-char-cnn.",
    },
    "type_text": {"en": "Type a sentence.", "es": "Escribe una frase."},
    "no_kernels": {
        "en": "This model has no convolution (a bag of n-grams): no kernel responses to show.",
        "es": "Este modelo no tiene convolución (una bolsa de n-gramas): no hay respuestas de "
        "kernels que mostrar.",
    },
    "practice_intro": {
        "en": "Exercises to do by hand, checked at once: a hint after a wrong answer, the worked "
        "solution after the second. Your score stays in this browser.",
        "es": "Ejercicios para hacer a mano, corregidos al instante: una pista tras una respuesta "
        "incorrecta y la solución paso a paso tras la segunda. Tu puntaje queda en este navegador.",
    },
    "kinds_pick": {"en": "Kinds of exercise", "es": "Tipos de ejercicio"},
    "level": {"en": "Level", "es": "Nivel"},
    "level_easy": {"en": "easy", "es": "fácil"},
    "level_medium": {"en": "medium", "es": "intermedio"},
    "level_hard": {"en": "hard", "es": "difícil"},
    "new_exercise": {"en": "New exercise", "es": "Nuevo ejercicio"},
    "your_answer": {"en": "Your answer", "es": "Tu respuesta"},
    "check": {"en": "Check", "es": "Revisar"},
    "right": {"en": "Right!", "es": "¡Correcto!"},
    "wrong": {"en": "Not quite.", "es": "No exactamente."},
    "hint_word": {"en": "Hint:", "es": "Pista:"},
    "score": {"en": "Score: {right} of {done}", "es": "Puntaje: {right} de {done}"},
    "unreadable": {
        "en": "“{typed}” is not an answer of the expected form; expected a number such as 12 or "
        "1.5, a matrix such as 1 2; 3 4, or a letter for a choice. This try does not count.",
        "es": "«{typed}» no es una respuesta de la forma esperada; se espera un número como 12 o "
        "1,5, una matriz como 1 2; 3 4, o una letra para una opción. Este intento no cuenta.",
    },
    "matrix_answer": {
        "en": "Type the matrix row by row, rows separated by ; (e.g. 1 2; 3 4).",
        "es": "Escribe la matriz fila por fila, con las filas separadas por ; (p. ej. 1 2; 3 4).",
    },
    "net_error": {
        "en": "The lab did not answer ({detail}); is cnnlab serve still running?",
        "es": "El laboratorio no respondió ({detail}); ¿sigue en marcha cnnlab serve?",
    },
    "no_file": {"en": "No file chosen", "es": "Ningún archivo elegido"},
    "choose_file": {"en": "Choose a file…", "es": "Elegir un archivo…"},
    "probability": {"en": "probability", "es": "probabilidad"},
    "need_token": {
        "en": "This lab needs its access token: open the address that cnnlab serve printed "
        "(it ends in ?token=…).",
        "es": "Este laboratorio necesita su token de acceso: abre la dirección que imprimió "
        "cnnlab serve (termina en ?token=…).",
    },
    "tab_generate": {"en": "Generate", "es": "Genera"},
    "gen_intro": {
        "en": "A conditional VAE paints digits: choose a label and a seed, or a second label to "
        "morph into. Its decoder is two transposed convolutions, the convolution run backwards.",
        "es": "Un VAE condicional pinta dígitos: elige una etiqueta y una semilla, o una segunda "
        "etiqueta a la que transformarlo. Su decodificador son dos convoluciones traspuestas, la "
        "convolución al revés.",
    },
    "gen_label": {"en": "Label", "es": "Etiqueta"},
    "gen_morph_to": {"en": "Morph into (label)", "es": "Transformar en (etiqueta)"},
    "gen_seed": {"en": "Seed", "es": "Semilla"},
    "gen_count": {"en": "How many", "es": "Cuántos"},
    "gen_make": {"en": "Generate", "es": "Generar"},
    "gen_morph": {"en": "Morph", "es": "Transformar"},
    "gen_frame": {"en": "the morph, step by step", "es": "la transformación, paso a paso"},
    "gen_grid": {"en": "generated digits", "es": "dígitos generados"},
    "gen_note": {
        "en": "{n} digits of label {label}, codes drawn with seed {seed} ({run}).",
        "es": "{n} dígitos de la etiqueta {label}, códigos sacados con la semilla {seed} ({run}).",
    },
    "gen_morph_note": {
        "en": "From {a} to {b} in {n} steps (seed {seed}): the code walks a straight line while "
        "the label blends.",
        "es": "De {a} a {b} en {n} pasos (semilla {seed}): el código recorre una recta mientras "
        "la etiqueta se mezcla.",
    },
    "gen_none": {
        "en": "No generator is loaded; expected a run of conv-vae: start the lab without --run "
        "to train the default one, or give one: cnnlab serve --run runs/mnist-conv-vae. "
        "Received: none",
        "es": "No hay ningún generador cargado; se esperaba una ejecución de conv-vae: inicia el "
        "laboratorio sin --run para entrenar el de por defecto, o indica uno: cnnlab serve --run "
        "runs/mnist-conv-vae. Recibido: ninguno",
    },
    "tab_find": {"en": "Find", "es": "Encuentra"},
    "find_intro": {
        "en": "A classifier trained on small crops slides over the whole picture in one pass per "
        "size: the heat map is its score at every place, the boxes where it passes the threshold.",
        "es": "Un clasificador entrenado con recortes pequeños recorre toda la imagen de una "
        "pasada por tamaño: el mapa de calor es su puntuación en cada sitio; las cajas, donde "
        "supera el umbral.",
    },
    "find_what": {"en": "Find", "es": "Buscar"},
    "choice_faces": {"en": "faces", "es": "caras"},
    "choice_digits": {"en": "digits", "es": "dígitos"},
    "threshold": {"en": "Threshold (empty: the model's)", "es": "Umbral (vacío: el del modelo)"},
    "find_go": {"en": "Find", "es": "Buscar"},
    "boxes_img": {"en": "Boxes", "es": "Cajas"},
    "heat_img": {"en": "Heat map", "es": "Mapa de calor"},
    "number_read": {"en": "Number read:", "es": "Número leído:"},
    "offline": {
        "en": "Runs on this computer; nothing is sent anywhere.",
        "es": "Funciona en este equipo; no se envía nada a ningún sitio.",
    },
}


def t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``."""
    return tr(TEXT, key, lang, **fmt)
