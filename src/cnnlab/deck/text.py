"""English and Spanish words of the walk-through page (used via ``cnnlab.i18n.tr``)."""

from __future__ import annotations

from cnnlab.i18n import N_

TEXT: dict[str, dict[str, str]] = {
    "title": N_("Convolutional neural networks, computed"),
    "subtitle": N_(
        "The deck on CNNs, slide by slide, with every claim measured on real data by cnnlab"
    ),
    "mode_quick": N_("quick version (1 seed, small budgets)"),
    "mode_full": N_("full version"),
    "made": N_(
        "Made by {command} on {cpu} ({threads} threads), {when}; training and measuring the studies took {seconds} s."
    ),
    "contents": N_("Contents"),
    # the other language, named in that language at the top of the page
    "other_link": N_("This page in English"),
    "other_hint": N_("This page in English: {command}"),
    "deck_says": N_("The deck says"),
    "measured": N_("Measured"),
    # sections
    "s_mlp": N_("1. The MLP and its limits"),
    "s_kernel": N_("2. The kernel"),
    "s_worked": N_("3. The worked example, 20×20"),
    "s_layer": N_("4. A convolutional layer"),
    "s_pooling": N_("5. Pooling"),
    "s_head": N_("6. Classification: flatten → K neurons"),
    "s_applications": N_("7. Applications"),
    "s_conclusion": N_("8. Conclusion: the verdicts"),
    # section texts
    "mlp_intro": N_(
        "An MLP flattens the image into one long vector: every neuron of the first layer sees every pixel. Below, an MLP and a small CNN trained the same way on {dataset} ({n_train} training images, {n_test} test images)."
    ),
    "kernel_intro": N_(
        "A kernel is the matrix of weights of a filter. Slid over a photo, with a dot product at each position, each named kernel gives a feature map that highlights one pattern: blur, sharpened detail, vertical and horizontal edges, outlines."
    ),
    "worked_intro": N_(
        "The deck's 20×20 picture and its 3×3 kernel, slid with stride 1 and no padding: an 18×18 feature map. Each value is the dot product of the kernel with the window under it."
    ),
    "worked_ok": N_("Checked: all {n} values the deck prints match cnnlab's result."),
    "worked_bad": N_("NOT matched: {bad} of {n} values the deck prints differ: {details}."),
    "worked_first": N_("First cell, written out: {formula}"),
    "worked_anim": N_("The kernel sliding over the picture (every {k} cells a frame)."),
    "layer_intro": N_(
        "A convolutional layer learns many kernels at once. These are the feature maps of the trained small CNN ({model}, test accuracy {acc}) on one test digit, layer by layer, and its learned first-layer kernels."
    ),
    "pool_intro": N_(
        "Max-pooling keeps the largest value of each window: the maps shrink. The same CNN was trained in three forms: with max-pooling, with stride-2 convolutions instead, and with neither; each on 1 %, 10 % and 100 % of the training images of {dataset} (a smaller share is repeated so that every run takes about the same number of steps)."
    ),
    "head_intro": N_(
        "For K classes the network ends in K neurons. The feature maps are flattened into one vector (back to the MLP), a dense layer gives K numbers and softmax turns them into probabilities. Here K = {k}."
    ),
    "apps_intro": N_(
        "The deck lists four uses of CNNs. Each is a cnnlab command; where its run exists on this computer, its result is shown."
    ),
    "app_classification": N_("Classification"),
    "app_detection": N_("Object and face recognition"),
    "app_generation": N_("Image generation"),
    "app_language": N_("Natural language processing"),
    "app_classified": N_("{dataset}: {model} reaches {acc} test accuracy (section 1)."),
    "app_detected": N_(
        "The face finder (a CNN trained on 25×25 crops, slid over the photo in one pass per size) on the astronaut: {n} box(es), its score maps beside them."
    ),
    "app_read": N_("The character CNN ({folder}) on one short question in each language it knows:"),
    "col_sentence": N_("sentence"),
    "col_language": N_("language"),
    "col_probability": N_("probability"),
    "app_generated": N_(
        "Eight digits of every label, made by the browser lab's conditional VAE (run folder: {folder})."
    ),
    "app_missing": N_("Not run on this computer yet. Make it with:"),
    "conclusion_intro": N_(
        "Each claim of the deck's conclusion (and of the MLP and pooling slides), what was measured, the numbers and the verdict. Verdicts follow from the numbers by fixed rules (a difference counts when it is larger than the spread over seeds, at least {margin} points)."
    ),
    # tables
    "t_data_size": N_("Accuracy as the training set grows ({dataset} test accuracy)"),
    "t_pool_arms": N_("Three forms of one CNN on {dataset}"),
    "t_pool_gap": N_("Overfitting: training minus test accuracy (points)"),
    "t_pool_test": N_("Test accuracy"),
    "t_tabular": N_(
        "Tables: MLP vs 1-D CNN, columns in their given order and shuffled (test accuracy)"
    ),
    "t_verdicts": N_("The deck's claims, measured"),
    "col_form": N_("form"),
    "col_sizes": N_("sizes after each conv / pool"),
    "col_head": N_("dense inputs"),
    "col_params": N_("parameters"),
    "col_macs": N_("mult-adds per image"),
    "col_seconds": N_("training s"),
    "col_share": N_("{share} of the images"),
    "col_table": N_("table"),
    "col_shape": N_("rows × columns, classes"),
    "col_model": N_("model"),
    "col_given": N_("{model}, given order"),
    "col_shuffled": N_("{model}, shuffled"),
    "col_claim": N_("the deck says"),
    "col_measured": N_("what was measured"),
    "col_numbers": N_("numbers"),
    "col_verdict": N_("verdict"),
    "col_why": N_("why"),
    "n_data_size": N_(
        "Same recipe for every size; a smaller share is repeated so that every run takes as many steps as one on all images. Seeds: {seeds}."
    ),
    "n_pool": N_("{epochs} epoch(s) over all images, batch {batch}, seeds {seeds}. {verdict}"),
    "n_tabular": N_(
        "Both models about the same size; {epochs} passes over each row, batch {batch}, seeds {seeds}; the tables ship with scikit-learn (80/20 split, columns standardized with the training rows)."
    ),
    "footer": N_(
        "Every number on this page was computed by cnnlab when the page was made; the runs and results.json files are in {folder}."
    ),
    "progress": N_("deck [{i}/{n}] {what}"),
    "alt_generated": N_("generated digits"),
    "alt_animation": N_("animation"),
    "kinds_vs": N_("kinds {cnn} vs {mlp}"),
}
