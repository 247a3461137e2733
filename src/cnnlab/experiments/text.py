"""English and Spanish text of the comparison's tables, figures and summary (via cnnlab.i18n.tr)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "CNN vs MLP on {dataset}: the deck's conclusion, measured",
        "es": "CNN vs MLP en {dataset}: la conclusión de la presentación, medida",
    },
    "model": {"en": "model", "es": "modelo"},
    "kind": {"en": "kind", "es": "tipo"},
    "params": {"en": "parameters", "es": "parámetros"},
    "accuracy": {"en": "test accuracy", "es": "exactitud en prueba"},
    "seconds": {"en": "training s", "es": "s de entrenamiento"},
    "original": {"en": "original pixels", "es": "píxeles originales"},
    "permuted": {"en": "pixels permuted", "es": "píxeles permutados"},
    "change": {"en": "change (points)", "es": "cambio (puntos)"},
    "shift_col": {"en": "{s} px", "es": "{s} px"},
    "side": {"en": "input side", "es": "lado de la entrada"},
    "fraction_col": {"en": "acc. with {name}", "es": "exactitud con {name}"},
    "t_models": {
        "en": "Parameters, accuracy and training time (mean ± std over seeds {seeds})",
        "es": "Parámetros, exactitud y tiempo de entrenamiento (media ± desv. est. con semillas "
        "{seeds})",
    },
    "t_perm": {
        "en": "Lost spatial information: trained and tested on pixel-permuted images",
        "es": "Información espacial perdida: entrenados y evaluados con los píxeles permutados",
    },
    "t_shift": {
        "en": "Translation: accuracy on test images shifted by s pixels (mean of {n} directions)",
        "es": "Traslación: exactitud con las imágenes de prueba desplazadas s píxeles (media de "
        "{n} direcciones)",
    },
    "t_growth": {
        "en": "Parameters as the input grows (side × side images, or length for sequences)",
        "es": "Parámetros según crece la entrada (imágenes lado × lado, o largo en secuencias)",
    },
    "n_perm": {
        "en": "One fixed reordering of the {n} pixel positions (seed {seed}) is applied to the "
        "training and the test images alike. For an MLP this changes nothing it can use (a "
        "permutation of its inputs is a permutation of its first layer's weights), so its change "
        "is seed-to-seed noise; a CNN's kernels now slide over pixels that are no longer "
        "neighbours.",
        "es": "Una misma reordenación fija de las {n} posiciones de los píxeles (semilla {seed}) "
        "se aplica a las imágenes de entrenamiento y de prueba. Para un MLP no cambia nada que "
        "pueda usar (permutar sus entradas equivale a permutar los pesos de su primera capa), así "
        "que su cambio es ruido entre semillas; los kernels de una CNN recorren ahora píxeles que "
        "ya no son vecinos.",
    },
    "n_shift": {
        "en": "Each test image is moved s pixels in each direction ({dirs}); zeros enter at the "
        "border; the accuracy at s is the mean over the directions. No model saw shifted images "
        "in training. Convolutions are equivariant to shifts and pooling or strides make a CNN "
        "approximately (not exactly) invariant, so this measures how much invariance each model "
        "actually has.",
        "es": "Cada imagen de prueba se mueve s píxeles en cada dirección ({dirs}); entran ceros "
        "por el borde; la exactitud en s es la media de las direcciones. Ningún modelo vio "
        "imágenes desplazadas al entrenar. Las convoluciones son equivariantes a los "
        "desplazamientos y el pooling o el stride hacen a una CNN aproximadamente (no "
        "exactamente) invariante: esto mide cuánta invariancia tiene de verdad cada modelo.",
    },
    "dirs_image": {"en": "right, left, down, up", "es": "derecha, izquierda, abajo, arriba"},
    "dirs_sequence": {"en": "right, left", "es": "derecha, izquierda"},
    "n_time": {
        "en": "Training seconds count forward, backward and optimizer steps only, on {cpu} "
        "(torch threads: {threads}; a shared machine: treat them as rough).",
        "es": "Los segundos de entrenamiento cuentan solo pasos hacia adelante, hacia atrás y del "
        "optimizador, en {cpu} (hilos de torch: {threads}; máquina compartida: son aproximados).",
    },
    "n_recipe": {
        "en": "Same recipe for every model: {epochs} epochs, batch {batch}, AdamW, one-cycle peak "
        "lr {lr}, label smoothing 0.1, all {n_train} training images; scored on {n_test} test "
        "images.",
        "es": "La misma receta para todos los modelos: {epochs} épocas, lote {batch}, AdamW, "
        "one-cycle con lr máxima {lr}, label smoothing 0,1, las {n_train} imágenes de "
        "entrenamiento; evaluados con {n_test} imágenes de prueba.",
    },
    "n_growth": {
        "en": "Counted from the layer shapes (no weights are built); '-' means the model does not "
        "fit that input.",
        "es": "Contados a partir de las formas de las capas (sin crear pesos); '-' indica que el "
        "modelo no admite esa entrada.",
    },
    "command": {"en": "Reproduce with", "es": "Se reproduce con"},
    "figures": {"en": "Figures", "es": "Figuras"},
    "results_json": {
        "en": "Every number above, each seed's value and every run folder are in results.json.",
        "es": "Todos los números, el valor de cada semilla y cada carpeta de ejecución están en "
        "results.json.",
    },
    # figures
    "f_shift_x": {"en": "shift (pixels)", "es": "desplazamiento (píxeles)"},
    "f_shift_title": {
        "en": "Accuracy on shifted test images",
        "es": "Exactitud con imágenes de prueba desplazadas",
    },
    "f_perm_title": {
        "en": "Same pixels, positions permuted",
        "es": "Mismos píxeles, posiciones permutadas",
    },
    "f_growth_x": {"en": "input side (pixels)", "es": "lado de la entrada (píxeles)"},
    "f_growth_x_sequence": {"en": "input length", "es": "largo de la entrada"},
    "f_growth_title": {
        "en": "Parameters as the input grows",
        "es": "Parámetros según crece la entrada",
    },
    "f_params_title": {
        "en": "Accuracy against parameters",
        "es": "Exactitud frente a parámetros",
    },
}
