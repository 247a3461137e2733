"""The deck's claims, in its own words (Spanish) with an English translation, what cnnlab
measures for each, and the reason given with each verdict (``{...}`` filled with numbers)."""

from __future__ import annotations

from cnnlab.i18n import N_

#: claim key → slide, the deck's words, the English translation, what is measured (en, es)
CLAIMS: dict[str, dict[str, str]] = {
    "mlp_spatial": {
        "slide": "mlp",
        "es": "Limitaciones de los MLPs: pérdida de información espacial.",
        "en": "Limits of MLPs: spatial information is lost.",
        "m_en": "train and test on images whose pixels are all reordered by one fixed permutation",
        "m_es": "entrenar y evaluar con imágenes cuyos píxeles se reordenan con una permutación fija",
    },
    "mlp_params": {
        "slide": "mlp",
        "es": "Cada neurona de cada capa analiza toda la imagen, generando una cantidad enorme de parámetros.",
        "en": "Each neuron of each layer looks at the whole image, giving an enormous number of parameters.",
        "m_en": "parameters of the MLP and the CNN on 28×28 images",
        "m_es": "parámetros del MLP y de la CNN con imágenes de 28×28",
    },
    "pool_dim": {
        "slide": "pooling",
        "es": "El pooling reduce la dimensionalidad.",
        "en": "Pooling reduces the dimensionality.",
        "m_en": "numbers reaching the dense layer with pooling and without it",
        "m_es": "números que llegan a la capa densa con pooling y sin él",
    },
    "pool_cost": {
        "slide": "pooling",
        "es": "En consecuencia, reduce el costo computacional…",
        "en": "Consequently it reduces the computational cost…",
        "m_en": "mult-adds per image and training seconds, with pooling and without it",
        "m_es": "mult-adds por imagen y segundos de entrenamiento, con pooling y sin él",
    },
    "pool_overfit": {
        "slide": "pooling",
        "es": "…y el overfitting.",
        "en": "…and overfitting.",
        "m_en": "training minus test accuracy with 1 %, 10 % and 100 % of the images, pooling vs none",
        "m_es": "exactitud de entrenamiento menos la de prueba con 1 %, 10 % y 100 % de las imágenes, pooling vs nada",
    },
    "cnn_images": {
        "slide": "conclusion",
        "es": "CNN: más utilizadas con datos de imágenes.",
        "en": "CNNs: used more with image data.",
        "m_en": "MNIST test accuracy of the CNN and the MLP, same recipe",
        "m_es": "exactitud de prueba en MNIST de la CNN y el MLP, misma receta",
    },
    "cnn_large": {
        "slide": "conclusion",
        "es": "CNN: se utilizan para grandes bases de datos con mucha información, por sus reducidos parámetros.",
        "en": "CNNs: used for large data sets with much information, thanks to their few parameters.",
        "m_en": "parameters, and accuracy with 1 %, 10 % and 100 % of the training images",
        "m_es": "parámetros, y exactitud con 1 %, 10 % y 100 % de las imágenes de entrenamiento",
    },
    "cnn_complex": {
        "slide": "conclusion",
        "es": "CNN: es intrínsecamente más complejo debido a sus variadas capas.",
        "en": "CNNs: intrinsically more complex because of their varied layers.",
        "m_en": "kinds of layers, mult-adds per image and training seconds",
        "m_es": "tipos de capas, mult-adds por imagen y segundos de entrenamiento",
    },
    "cnn_efficient": {
        "slide": "conclusion",
        "es": "CNN: son las redes profundas más eficientes en el análisis de imágenes.",
        "en": "CNNs: the most efficient deep networks for image analysis.",
        "m_en": "accuracy per parameter and accuracy on shifted images, CNN vs MLP",
        "m_es": "exactitud por parámetro y exactitud con imágenes desplazadas, CNN vs MLP",
    },
    "mlp_tabular": {
        "slide": "conclusion",
        "es": "MLP: más utilizadas con datos tabulados.",
        "en": "MLPs: used more with tabular data.",
        "m_en": "MLP vs 1-D CNN of the same size on three tables, columns in given and shuffled order",
        "m_es": "MLP vs CNN 1-D del mismo tamaño en tres tablas, columnas en su orden y barajadas",
    },
    "mlp_growth": {
        "slide": "conclusion",
        "es": "MLP: su número de parámetros crece con los datos, por lo que no siempre son convenientes.",
        "en": "MLPs: their number of parameters grows with the data, so they are not always convenient.",
        "m_en": "parameters as the input grows from 28×28 to 512×512",
        "m_es": "parámetros al crecer la entrada de 28×28 a 512×512",
    },
    "mlp_just": {
        "slide": "conclusion",
        "es": 'MLP: "solo" es una red de neuronas.',
        "en": 'MLPs: "just" a network of neurons.',
        "m_en": "nothing: a description, not a measurable property",
        "m_es": "nada: es una descripción, no una propiedad medible",
    },
    "mlp_inefficient": {
        "slide": "conclusion",
        "es": "MLP: son ineficientes en el análisis de imágenes, y no son invariantes bajo traslaciones.",
        "en": "MLPs: inefficient at image analysis, and not invariant under translations.",
        "m_en": "accuracy and parameters, and accuracy on test images shifted by 2 pixels",
        "m_es": "exactitud y parámetros, y exactitud con imágenes de prueba desplazadas 2 píxeles",
    },
}

VERDICTS = {
    "supported": N_("supported"),
    "partly": N_("partly"),
    "not_supported": N_("not supported"),
    "not_measurable": N_("not measurable"),
}

#: the reason shown with a verdict, by claim key and outcome
WHY: dict[str, dict[str, str]] = {
    "mlp_spatial_yes": N_(
        "The MLP does not notice the permutation (it never used the pixels' arrangement); the CNN, which does, loses {drop} points."
    ),
    "mlp_spatial_no": N_(
        "The permutation changed the MLP by {mlp} points and the CNN by {cnn}: not the pattern the claim predicts."
    ),
    "mlp_params_yes": N_(
        "The MLP has {ratio}× the CNN's parameters; its first layer alone has {first} weights."
    ),
    "mlp_params_no": N_("Here the MLP has fewer parameters than the CNN."),
    "pool_dim_yes": N_(
        "Two 2×2 poolings divide each side by 4: {pool} numbers reach the dense layer instead of {none}."
    ),
    "pool_dim_no": N_("Pooling did not shrink what the dense layer reads."),
    "pool_cost_yes": N_(
        "{macs}× fewer mult-adds and {secs}× less training time than with no pooling."
    ),
    "pool_cost_partly": N_(
        "{macs}× fewer mult-adds, but the training time did not fall with them: without pooling it takes {secs}× the time with it (the pooling layers cost time of their own, and on a CPU time does not follow mult-adds closely)."
    ),
    "pool_cost_no": N_("Pooling did not make the network cheaper here."),
    "pool_overfit_yes": N_("The gap is smaller with pooling at every size ({sizes})."),
    "pool_overfit_partly": N_(
        "The gap is clearly smaller with pooling only with {sizes}; elsewhere the difference is within the spread. Pooling's smaller head is one reason; stride-2 convolutions shrink as much."
    ),
    "pool_overfit_no": N_(
        "Pooling did not reduce the train-test gap beyond the spread at any size."
    ),
    "cnn_images_yes": N_(
        "On images the CNN is {diff} points more accurate than the MLP with {ratio}× fewer parameters: the reason it is the usual choice."
    ),
    "cnn_images_no": N_("Here the CNN was not more accurate than the MLP ({diff} points)."),
    "cnn_large_yes": N_(
        "Fewer parameters ({ratio}× fewer), and its lead over the MLP grows with the data ({small} points at the smallest size, {large} with all)."
    ),
    "cnn_large_partly": N_(
        "The few parameters are real ({ratio}× fewer), but the CNN does not need a large data set: it already leads by {small} points with the smallest share ({large} with all)."
    ),
    "cnn_large_no": N_("The CNN did not have fewer parameters than the MLP here."),
    "cnn_complex_yes": N_(
        "{kinds_cnn} kinds of layers against {kinds_mlp}, {macs}× the mult-adds per image and {secs}× the training time, with fewer parameters."
    ),
    "cnn_complex_partly": N_(
        "More kinds of layers ({kinds_cnn} vs {kinds_mlp}) or more work per image ({macs}× mult-adds), not both."
    ),
    "cnn_complex_no": N_("The CNN was not more complex by these measures."),
    "cnn_efficient_partly": N_(
        'Against the MLP, yes: {diff} points more accurate with {ratio}× fewer parameters, and {shift} points better on 2-pixel shifts. "The most efficient" of all deep networks is not measured here (only MLPs are compared).'
    ),
    "cnn_efficient_no": N_("The CNN was not more accurate per parameter than the MLP here."),
    "mlp_tabular_yes": N_(
        "On every table the CNN gains nothing over the MLP of the same size ({tables}); a table's column order is arbitrary, so a kernel sliding over neighbouring columns has nothing to exploit."
    ),
    "mlp_tabular_partly": N_(
        "The CNN gains nothing on some tables but leads on others ({tables})."
    ),
    "mlp_tabular_no": N_("The CNN beat the MLP on every table ({tables})."),
    "mlp_growth_yes": N_(
        "From 28×28 to 512×512 the MLP grows {mlp}× (to {mlp_big}), the CNN {cnn}× (to {cnn_big}). It grows with the size of each input, not with the number of examples."
    ),
    "mlp_growth_no": N_("The MLP did not grow faster than the CNN with the input."),
    "mlp_just_na": N_(
        "A description, not a claim a number can check; a CNN is also a network of neurons, whose weights are shared across positions."
    ),
    "mlp_inefficient_yes": N_(
        "{diff} points less accurate with {ratio}× the parameters; shifted by 2 pixels it falls to {mlp_shift} (CNN {cnn_shift}). The CNN is not fully invariant either: it only falls less."
    ),
    "mlp_inefficient_partly": N_(
        "Only one half holds: accuracy gap {diff} points; at 2 pixels MLP {mlp_shift}, CNN {cnn_shift}."
    ),
    "mlp_inefficient_no": N_("Neither half holds here."),
}
