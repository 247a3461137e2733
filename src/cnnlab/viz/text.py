"""English and Spanish labels of the figures and the HTML report (used via cnnlab.i18n.tr)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # named kernels on a photo, the classification head
    "gallery_title": {
        "en": "Named kernels slid over one photo (NumPy conv2d, padding 'same'; blue negative, "
        "red positive)",
        "es": "Kernels con nombre barridos sobre una foto (conv2d de NumPy, padding 'same'; azul "
        "negativo, rojo positivo)",
    },
    "gallery_photo": {"en": "photo {shape}", "es": "foto {shape}"},
    "head_input": {"en": "input", "es": "entrada"},
    "head_flat": {
        "en": "after flatten: one vector of {n} numbers",
        "es": "tras aplanar: un vector de {n} números",
    },
    "head_index": {"en": "position in the vector", "es": "posición en el vector"},
    "head_softmax": {
        "en": "{k} neurons → softmax: {top} with {p}",
        "es": "{k} neuronas → softmax: {top} con {p}",
    },
    # the sliding kernel
    "anim_title": {
        "en": "Kernel {k} · stride {s} · padding {p} · dilation {d} → feature map {out}",
        "es": "Kernel {k} · stride {s} · padding {p} · dilatación {d} → "
        "mapa de características {out}",
    },
    "input": {"en": "Input {shape}", "es": "Entrada {shape}"},
    "kernel": {"en": "Kernel (filter) {shape}", "es": "Kernel (filtro) {shape}"},
    "feature_map": {"en": "Feature map {shape}", "es": "Mapa de características {shape}"},
    "cell": {"en": "output ({r}, {c}):", "es": "salida ({r}, {c}):"},
    # learned kernels
    "kernels_title": {
        "en": "Learned kernels of {layer} ({n} filters × {c} input channels, {k})",
        "es": "Kernels aprendidos de {layer} ({n} filtros × {c} canales de entrada, {k})",
    },
    "kernels_title_1": {
        "en": "Learned kernels of {layer} ({n} filters over 1 input channel, {k})",
        "es": "Kernels aprendidos de {layer} ({n} filtros sobre 1 canal de entrada, {k})",
    },
    "kernels_shown": {
        "en": "\nshowing the first {n} × {c}",
        "es": "\nse muestran los primeros {n} × {c}",
    },
    "filter": {"en": "filter {i}", "es": "filtro {i}"},
    "in_channel": {"en": "in ch {c}", "es": "canal {c}"},
    "weight": {"en": "weight", "es": "peso"},
    # feature maps
    "features_title": {
        "en": "Feature maps for one input, layer by layer (first {n} channels, one color scale "
        "per row)",
        "es": "Mapas de características de una entrada, capa por capa (primeros {n} canales, una "
        "escala de color por fila)",
    },
    "input_image": {"en": "input", "es": "entrada"},
    "channel": {"en": "ch {i}", "es": "canal {i}"},
    "pool_title": {
        "en": "Max pooling {layer}: the winning cell of each window",
        "es": "Max pooling {layer}: la celda ganadora de cada ventana",
    },
    "pool_before": {"en": "before {shape} (channel {c})", "es": "antes {shape} (canal {c})"},
    "pool_after": {"en": "after {shape}", "es": "después {shape}"},
    "pool_crop": {
        "en": "\nrows {r0}–{r1}, columns {c0}–{c1}",
        "es": "\nfilas {r0}–{r1}, columnas {c0}–{c1}",
    },
    "activation": {"en": "value", "es": "valor"},
    # class activation maps
    "cam_title": {
        "en": "Where the model looked (Grad-CAM on {layer})",
        "es": "Dónde miró el modelo (Grad-CAM en {layer})",
    },
    "cam_scale": {"en": "relevance", "es": "relevancia"},
    "cam_label": {
        "en": "true {true} · pred {pred} ({p:.0%})",
        "es": "real {true} · pred. {pred} ({p:.0%})",
    },
    # training
    "epoch": {"en": "epoch", "es": "época"},
    "loss": {"en": "loss", "es": "pérdida"},
    "accuracy": {"en": "accuracy", "es": "exactitud"},
    "train": {"en": "train", "es": "entrenamiento"},
    "val": {"en": "validation", "es": "validación"},
    "test": {"en": "test", "es": "prueba"},
    "curves_title": {"en": "Training curves", "es": "Curvas de entrenamiento"},
    "confusion_title": {
        "en": "Confusion matrix (counts; color = share of the true class)",
        "es": "Matriz de confusión (conteos; color = fracción de la clase real)",
    },
    "confusion_title_share": {
        "en": "Confusion matrix (color = share of the true class)",
        "es": "Matriz de confusión (color = fracción de la clase real)",
    },
    "true_label": {"en": "true class", "es": "clase real"},
    "pred_label": {"en": "predicted class", "es": "clase predicha"},
    "row_share": {
        "en": "share of the row (power scale, γ = 0.3)",
        "es": "fracción de la fila (escala potencia, γ = 0,3)",
    },
    "mistakes_title": {
        "en": "Most confident mistakes",
        "es": "Errores con más confianza",
    },
    "no_mistakes": {"en": "no mistakes on this set", "es": "ningún error en este conjunto"},
    "mistake_label": {
        "en": "true {true}\npred {pred} ({p:.0%})",
        "es": "real {true}\npred. {pred} ({p:.0%})",
    },
    "samples_title": {"en": "Samples of the data set", "es": "Muestras del conjunto de datos"},
    # parameter growth
    "growth_title": {
        "en": "Parameters vs image size: MLP vs CNN",
        "es": "Parámetros según el tamaño de la imagen: MLP vs CNN",
    },
    "image_side": {"en": "image side (pixels)", "es": "lado de la imagen (píxeles)"},
    "parameters": {"en": "parameters (log scale)", "es": "parámetros (escala log)"},
    "conv_only": {"en": "conv layers only ({name})", "es": "solo capas conv ({name})"},
    "this_run": {"en": "this run's input ({size})", "es": "entrada de esta ejecución ({size})"},
}

REPORT: dict[str, dict[str, str]] = {
    "title": {"en": "Training report", "es": "Informe de entrenamiento"},
    "subtitle": {
        "en": "{model} on {dataset}: {acc} test accuracy",
        "es": "{model} en {dataset}: {acc} de exactitud en prueba",
    },
    "contents": {"en": "Contents", "es": "Contenido"},
    "summary": {"en": "Model", "es": "Modelo"},
    "data": {"en": "Data", "es": "Datos"},
    "curves": {"en": "Training curves", "es": "Curvas de entrenamiento"},
    "smoothing_note": {
        "en": "The training loss is measured with label smoothing {value} (each target puts part "
        "of its probability on the other classes), so it stays above zero even for a perfect "
        "fit and sits above the test loss, which is plain cross-entropy.",
        "es": "La pérdida de entrenamiento se mide con suavizado de etiquetas {value} (cada "
        "objetivo reparte parte de su probabilidad entre las otras clases), así que no baja a "
        "cero ni con un ajuste perfecto y queda por encima de la pérdida en prueba, que es la "
        "entropía cruzada sin suavizar.",
    },
    "metrics": {"en": "Test metrics", "es": "Métricas de prueba"},
    "confusion": {"en": "Confusion matrix", "es": "Matriz de confusión"},
    "kernels": {"en": "Learned kernels", "es": "Kernels aprendidos"},
    "features": {"en": "Feature maps", "es": "Mapas de características"},
    "cam": {"en": "Where the model looked", "es": "Dónde miró el modelo"},
    "mistakes": {"en": "Most confident mistakes", "es": "Errores con más confianza"},
    "reproduce": {"en": "How to reproduce", "es": "Cómo reproducirlo"},
    "layer": {"en": "Layer", "es": "Capa"},
    "kind": {"en": "Type", "es": "Tipo"},
    "spec": {"en": "Spec", "es": "Especificación"},
    "output": {"en": "Output shape", "es": "Forma de salida"},
    "params": {"en": "Parameters", "es": "Parámetros"},
    "mult_adds": {"en": "Mult-adds", "es": "Mult-sumas"},
    "total": {"en": "Total", "es": "Total"},
    "summary_note": {
        "en": "{params} parameters ({conv} in conv layers); an MLP (hidden 256-256) on the same "
        "input would need {mlp}.",
        "es": "{params} parámetros ({conv} en capas conv); un MLP (ocultas 256-256) sobre la misma "
        "entrada necesitaría {mlp}.",
    },
    "data_note": {
        "en": "{name}: {train} training, {val} validation and {test} test images of shape {shape}, "
        "{k} classes.",
        "es": "{name}: {train} imágenes de entrenamiento, {val} de validación y {test} de prueba, "
        "de forma {shape}, {k} clases.",
    },
    "accuracy": {"en": "Accuracy", "es": "Exactitud"},
    "loss": {"en": "Loss", "es": "Pérdida"},
    "epochs": {"en": "Epochs", "es": "Épocas"},
    "train_time": {"en": "Training time", "es": "Tiempo de entrenamiento"},
    "class": {"en": "Class", "es": "Clase"},
    "precision": {"en": "Precision", "es": "Precisión"},
    "recall": {"en": "Recall", "es": "Exhaustividad"},
    "f1": {"en": "F1", "es": "F1"},
    "support": {"en": "Support", "es": "Soporte"},
    "macro": {"en": "macro average", "es": "promedio macro"},
    "features_note": {
        "en": "A feature map is the grid a kernel produces as it slides over its input; each conv "
        "layer makes one per filter. Each row is one layer's output (its name, shape and range "
        "of values on the left) for the test image at the top; brighter means a larger value.",
        "es": "Un mapa de características (también llamado mapa de activación) es la cuadrícula "
        "que produce un kernel al deslizarse sobre su entrada; cada capa conv produce uno por "
        "filtro. Cada fila es la salida de una capa (con su nombre, forma y rango de valores a la "
        "izquierda) para la imagen de prueba de arriba; más claro significa un valor mayor.",
    },
    "cam_note": {
        "en": "Grad-CAM: red areas raised the predicted class's score the most.",
        "es": "Grad-CAM: las zonas rojas son las que más subieron el puntaje de la clase predicha.",
    },
    "not_image": {
        "en": "Not available: this run's inputs are not 2-D images.",
        "es": "No disponible: las entradas de esta ejecución no son imágenes 2-D.",
    },
    "growth": {"en": "Parameters vs image size", "es": "Parámetros según el tamaño de la imagen"},
    "growth_note": {
        "en": "An MLP's first layer grows with the number of pixels; a conv layer's kernels do "
        "not depend on the image size (counted from the layers' shapes, both axes log scale).",
        "es": "La primera capa de un MLP crece con el número de píxeles; los kernels de una capa "
        "conv no dependen del tamaño de la imagen (contados a partir de las formas de las capas, "
        "ambos ejes en escala log).",
    },
    "features_caption": {
        "en": "Test image {i} (class {true}): the first channels of every layer.",
        "es": "Imagen de prueba {i} (clase {true}): los primeros canales de cada capa.",
    },
    "pooling": {"en": "Max pooling", "es": "Max pooling"},
    "pooling_note": {
        "en": "Max pooling keeps the largest value of each window: the marked cells on the left "
        "are the ones that reach the smaller map on the right.",
        "es": "El max pooling conserva el mayor valor de cada ventana: las celdas marcadas a la "
        "izquierda son las que pasan al mapa más pequeño de la derecha.",
    },
    "no_conv": {
        "en": "Not available: this model has no convolutional layer (no kernels slide over the "
        "image, so there are no feature maps to show).",
        "es": "No disponible: este modelo no tiene capas convolucionales (ningún kernel se desliza "
        "sobre la imagen, así que no hay mapas de características que mostrar).",
    },
    "command": {"en": "Command", "es": "Comando"},
    "equivalent": {
        "en": "The same run from the command line",
        "es": "La misma ejecución desde la línea de comandos",
    },
    "setting": {"en": "Setting", "es": "Ajuste"},
    "value": {"en": "Value", "es": "Valor"},
    "versions": {"en": "Versions", "es": "Versiones"},
    "hardware": {"en": "Hardware", "es": "Hardware"},
    "created": {"en": "Created", "es": "Creado"},
    "reproduce_note": {
        "en": "The same command with the same seed on the same kind of CPU gives the same weights.",
        "es": "El mismo comando con la misma semilla en el mismo tipo de CPU da los mismos pesos.",
    },
    "footer": {
        "en": "Made by cnnlab {version} from the run folder {path}.",
        "es": "Generado por cnnlab {version} a partir de la carpeta {path}.",
    },
}
