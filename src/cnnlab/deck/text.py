"""English and Spanish words of the walk-through page (used via ``cnnlab.i18n.tr``)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Convolutional neural networks, computed",
        "es": "Redes neuronales convolucionales, calculadas",
    },
    "subtitle": {
        "en": "The deck on CNNs, slide by slide, with every claim measured on real data by cnnlab",
        "es": "La presentación sobre CNN, lámina por lámina, con cada afirmación medida en datos reales por cnnlab",
    },
    "mode_quick": {
        "en": "quick version (1 seed, small budgets)",
        "es": "versión rápida (1 semilla, presupuestos pequeños)",
    },
    "mode_full": {"en": "full version", "es": "versión completa"},
    "made": {
        "en": "Made by {command} on {cpu} ({threads} threads), {when}; training and measuring the studies took {seconds} s.",
        "es": "Hecho con {command} en {cpu} ({threads} hilos), {when}; entrenar y medir los estudios tomó {seconds} s.",
    },
    "contents": {"en": "Contents", "es": "Contenido"},
    "deck_says": {"en": "The deck says", "es": "La presentación dice"},
    "measured": {"en": "Measured", "es": "Medido"},
    # sections
    "s_mlp": {"en": "1. The MLP and its limits", "es": "1. El MLP y sus limitaciones"},
    "s_kernel": {"en": "2. The kernel", "es": "2. El kernel"},
    "s_worked": {"en": "3. The worked example, 20×20", "es": "3. El ejemplo resuelto, 20×20"},
    "s_layer": {"en": "4. A convolutional layer", "es": "4. Una capa convolucional"},
    "s_pooling": {"en": "5. Pooling", "es": "5. Pooling"},
    "s_head": {
        "en": "6. Classification: flatten → K neurons",
        "es": "6. Clasificación: aplanar → K neuronas",
    },
    "s_applications": {"en": "7. Applications", "es": "7. Aplicaciones"},
    "s_conclusion": {"en": "8. Conclusion: the verdicts", "es": "8. Conclusión: los veredictos"},
    # section texts
    "mlp_intro": {
        "en": "An MLP flattens the image into one long vector: every neuron of the first layer sees every pixel. Below, an MLP and a small CNN trained the same way on {dataset} ({n_train} training images, {n_test} test images).",
        "es": "Un MLP aplana la imagen en un vector largo: cada neurona de la primera capa ve cada píxel. Abajo, un MLP y una CNN pequeña entrenados igual en {dataset} ({n_train} imágenes de entrenamiento, {n_test} de prueba).",
    },
    "kernel_intro": {
        "en": "A kernel is the matrix of weights of a filter. Slid over a photo, with a dot product at each position, each named kernel gives a feature map that highlights one pattern: blur, sharpened detail, vertical and horizontal edges, outlines.",
        "es": "Un kernel es la matriz de pesos de un filtro. Barrido sobre una foto, con un producto punto en cada posición, cada kernel con nombre da un mapa de características que destaca un patrón: desenfoque, detalle realzado, bordes verticales y horizontales, contornos.",
    },
    "worked_intro": {
        "en": "The deck's 20×20 picture and its 3×3 kernel, slid with stride 1 and no padding: an 18×18 feature map. Each value is the dot product of the kernel with the window under it.",
        "es": "La imagen de 20×20 de la presentación y su kernel de 3×3, barrido con paso 1 y sin padding: un mapa de características de 18×18. Cada valor es el producto punto del kernel con la ventana que tiene debajo.",
    },
    "worked_ok": {
        "en": "Checked: all {n} values the deck prints match cnnlab's result.",
        "es": "Comprobado: los {n} valores que imprime la presentación coinciden con el resultado de cnnlab.",
    },
    "worked_bad": {
        "en": "NOT matched: {bad} of {n} values the deck prints differ: {details}.",
        "es": "NO coincide: {bad} de {n} valores impresos en la presentación difieren: {details}.",
    },
    "worked_first": {
        "en": "First cell, written out: {formula}",
        "es": "Primera celda, desarrollada: {formula}",
    },
    "worked_anim": {
        "en": "The kernel sliding over the picture (every {k} cells a frame).",
        "es": "El kernel barriendo la imagen (un cuadro cada {k} celdas).",
    },
    "layer_intro": {
        "en": "A convolutional layer learns many kernels at once. These are the feature maps of the trained small CNN ({model}, test accuracy {acc}) on one test digit, layer by layer, and its learned first-layer kernels.",
        "es": "Una capa convolucional aprende muchos kernels a la vez. Estos son los mapas de características de la CNN pequeña entrenada ({model}, exactitud de prueba {acc}) para un dígito de prueba, capa por capa, y sus kernels aprendidos de la primera capa.",
    },
    "pool_intro": {
        "en": "Max-pooling keeps the largest value of each window: the maps shrink. The same CNN was trained in three forms: with max-pooling, with stride-2 convolutions instead, and with neither; each on 1 %, 10 % and 100 % of the training images of {dataset} (a smaller share is repeated so that every run takes about the same number of steps).",
        "es": "El max-pooling conserva el mayor valor de cada ventana: los mapas se achican. La misma CNN se entrenó en tres formas: con max-pooling, con convoluciones de paso 2 en su lugar, y sin ninguno; cada una con 1 %, 10 % y 100 % de las imágenes de entrenamiento de {dataset} (una parte menor se repite para que cada entrenamiento dé casi el mismo número de pasos).",
    },
    "head_intro": {
        "en": "For K classes the network ends in K neurons. The feature maps are flattened into one vector (back to the MLP), a dense layer gives K numbers and softmax turns them into probabilities. Here K = {k}.",
        "es": "Para K clases la red termina en K neuronas. Los mapas de características se aplanan en un vector (volvemos al MLP), una capa densa da K números y softmax los convierte en probabilidades. Aquí K = {k}.",
    },
    "apps_intro": {
        "en": "The deck lists four uses of CNNs. Each is a cnnlab command; where its run exists on this computer, its result is shown.",
        "es": "La presentación enumera cuatro usos de las CNN. Cada uno es un comando de cnnlab; donde su entrenamiento existe en este computador, se muestra su resultado.",
    },
    "app_classification": {"en": "Classification", "es": "Clasificación"},
    "app_detection": {"en": "Object and face recognition", "es": "Reconocimiento de objetos/caras"},
    "app_generation": {"en": "Image generation", "es": "Generación de imágenes"},
    "app_language": {
        "en": "Natural language processing",
        "es": "Procesamiento de lenguaje natural",
    },
    "app_classified": {
        "en": "{dataset}: {model} reaches {acc} test accuracy (section 1).",
        "es": "{dataset}: {model} alcanza {acc} de exactitud de prueba (sección 1).",
    },
    "app_detected": {
        "en": "The face finder (a CNN trained on 25×25 crops, slid over the photo in one pass per size) on the astronaut: {n} box(es), its score maps beside them.",
        "es": "El buscador de caras (una CNN entrenada con recortes de 25×25, barrida sobre la foto de una pasada por tamaño) en la astronauta: {n} caja(s), con sus mapas de puntuación.",
    },
    "app_read": {
        "en": "The character CNN ({folder}) on one short question in each language it knows:",
        "es": "La CNN de caracteres ({folder}) con una pregunta corta en cada idioma que conoce:",
    },
    "col_sentence": {"en": "sentence", "es": "frase"},
    "col_language": {"en": "language", "es": "idioma"},
    "col_probability": {"en": "probability", "es": "probabilidad"},
    "app_generated": {
        "en": "Eight digits of every label, made by the browser lab's conditional VAE (cached in {folder}).",
        "es": "Ocho dígitos de cada clase, hechos por el VAE condicional del laboratorio web (guardado en {folder}).",
    },
    "app_missing": {
        "en": "Not run on this computer yet. Make it with:",
        "es": "Aún no se ha ejecutado en este computador. Se hace con:",
    },
    "conclusion_intro": {
        "en": "Each claim of the deck's conclusion (and of the MLP and pooling slides), what was measured, the numbers and the verdict. Verdicts follow from the numbers by fixed rules (a difference counts when it is larger than the spread over seeds, at least {margin} points).",
        "es": "Cada afirmación de la conclusión de la presentación (y de las láminas del MLP y del pooling), qué se midió, los números y el veredicto. Los veredictos salen de los números con reglas fijas (una diferencia cuenta cuando es mayor que la dispersión entre semillas, al menos {margin} puntos).",
    },
    # tables
    "t_data_size": {
        "en": "Accuracy as the training set grows ({dataset} test accuracy)",
        "es": "Exactitud según el tamaño del conjunto de entrenamiento (exactitud de prueba en {dataset})",
    },
    "t_pool_arms": {
        "en": "Three forms of one CNN on {dataset}",
        "es": "Tres formas de una CNN en {dataset}",
    },
    "t_pool_gap": {
        "en": "Overfitting: training minus test accuracy (points)",
        "es": "Sobreajuste: exactitud de entrenamiento menos la de prueba (puntos)",
    },
    "t_pool_test": {"en": "Test accuracy", "es": "Exactitud de prueba"},
    "t_tabular": {
        "en": "Tables: MLP vs 1-D CNN, columns in their given order and shuffled (test accuracy)",
        "es": "Tablas: MLP vs CNN 1-D, columnas en su orden y barajadas (exactitud de prueba)",
    },
    "t_verdicts": {
        "en": "The deck's claims, measured",
        "es": "Las afirmaciones de la presentación, medidas",
    },
    "col_form": {"en": "form", "es": "forma"},
    "col_sizes": {"en": "sizes after each conv / pool", "es": "tamaños tras cada conv / pool"},
    "col_head": {"en": "dense inputs", "es": "entradas de la capa densa"},
    "col_params": {"en": "parameters", "es": "parámetros"},
    "col_macs": {"en": "mult-adds per image", "es": "mult-adds por imagen"},
    "col_seconds": {"en": "training s", "es": "s de entrenamiento"},
    "col_share": {"en": "{share} of the images", "es": "{share} de las imágenes"},
    "col_table": {"en": "table", "es": "tabla"},
    "col_shape": {"en": "rows × columns, classes", "es": "filas × columnas, clases"},
    "col_model": {"en": "model", "es": "modelo"},
    "col_given": {"en": "{model}, given order", "es": "{model}, orden dado"},
    "col_shuffled": {"en": "{model}, shuffled", "es": "{model}, barajadas"},
    "col_claim": {"en": "the deck says", "es": "la presentación dice"},
    "col_measured": {"en": "what was measured", "es": "qué se midió"},
    "col_numbers": {"en": "numbers", "es": "números"},
    "col_verdict": {"en": "verdict", "es": "veredicto"},
    "col_why": {"en": "why", "es": "por qué"},
    "n_data_size": {
        "en": "Same recipe for every size; a smaller share is repeated so that every run takes as many steps as one on all images. Seeds: {seeds}.",
        "es": "La misma receta para cada tamaño; una parte menor se repite para que cada entrenamiento dé tantos pasos como uno con todas las imágenes. Semillas: {seeds}.",
    },
    "n_pool": {
        "en": "{epochs} epoch(s) over all images, batch {batch}, seeds {seeds}. {verdict}",
        "es": "{epochs} época(s) sobre todas las imágenes, lote {batch}, semillas {seeds}. {verdict}",
    },
    "n_tabular": {
        "en": "Both models about the same size; {epochs} passes over each row, batch {batch}, seeds {seeds}; the tables ship with scikit-learn (80/20 split, columns standardized with the training rows).",
        "es": "Ambos modelos de tamaño parecido; {epochs} pasadas por cada fila, lote {batch}, semillas {seeds}; las tablas vienen con scikit-learn (división 80/20, columnas estandarizadas con las filas de entrenamiento).",
    },
    "footer": {
        "en": "Every number on this page was computed by cnnlab when the page was made; the runs and results.json files are in {folder}.",
        "es": "Cada número de esta página fue calculado por cnnlab al hacer la página; los entrenamientos y los archivos results.json están en {folder}.",
    },
    "progress": {"en": "deck [{i}/{n}] {what}", "es": "deck [{i}/{n}] {what}"},
}
