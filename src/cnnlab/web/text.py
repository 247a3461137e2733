"""The browser lab's own words in English and Spanish (labels, hints, messages).

Text shared with the CLI (feature map, window, kernel, the dot-product heading, the size rule) comes
from :mod:`cnnlab.cli.ops_render` and :mod:`cnnlab.cli.model_cmds`; only what the page alone says
lives here.
"""

from __future__ import annotations

from cnnlab.i18n import N_, tr

TEXT = {
    "title": N_("cnnlab: the CNN lab"),
    "intro": N_(
        "Slide a kernel over a picture, pool a map, size up a model, or ask a trained "
        "network what digit you drew. Every number is computed by cnnlab."
    ),
    "other_lang": N_("Español"),
    "tab_conv": N_("Convolution"),
    "tab_pool": N_("Pooling"),
    "tab_model": N_("Model"),
    "tab_draw": N_("Draw a digit"),
    "sample": N_("Sample picture"),
    "upload": N_("…or your own file (PNG, JPEG, CSV, .npy)"),
    "kernel_pick": N_("Named kernel"),
    "kernel_text": N_("Kernel (filter): a name, or rows separated by ; and numbers by ,"),
    "stride": N_("Stride (s)"),
    "padding": N_("Padding (p): a number, ROWS,COLS, valid, same or full"),
    "dilation": N_("Dilation (d)"),
    "mode": N_("Mode"),
    "choice_correlate": N_("correlate (the kernel as written, as CNNs do)"),
    "choice_convolve": N_("convolve (the kernel flipped first)"),
    "choice_max": N_("max"),
    "choice_avg": N_("average"),
    "row": N_("Output row"),
    "col": N_("Output column"),
    "compute": N_("Compute"),
    "input_img": N_("Input"),
    "map_img": N_("Feature map"),
    "pooled_img": N_("Pooled map"),
    "pick_cell": N_(
        "Choose an output cell (row, column), or click it in the table or the picture, to "
        "see how it is computed."
    ),
    "click_cell": N_("Click a cell to see how it is computed"),
    "kind": N_("Pooling"),
    "size": N_("Window size (k)"),
    "pool_stride": N_("Stride (0 = size)"),
    "pool_padding": N_("Padding"),
    "model": N_("Preset or spec, e.g. conv(16,3) relu maxpool(2) flatten dense"),
    "input_shape": N_("Input shape (C×H×W), empty = the preset's"),
    "classes": N_("Classes"),
    "summarize": N_("Summarize"),
    "sketch": N_("Draw one digit with the mouse or a finger"),
    "predict": N_("Predict"),
    "clear": N_("Clear"),
    "clear_file": N_("Remove the file"),
    "models_pick": N_("Models compared"),
    "shift_x": N_("Move right (pixels)"),
    "shift_y": N_("Move down (pixels)"),
    "shift_hint": N_(
        "Move the drawing and watch both answers: a CNN's kernels slide with it, an MLP's "
        "weights are tied to fixed pixels."
    ),
    "seen": N_("What the models see"),
    "features": N_("The CNN's feature maps of your drawing, layer by layer"),
    "no_run": N_(
        "No trained model is available. Start the lab without --run to train the default "
        "pair (a small CNN and an MLP on MNIST), or give one: cnnlab serve --run "
        "runs/mnist-small-cnn."
    ),
    "run_loaded": N_("Run {path}: {spec} on {dataset}, {k} classes, input {shape}."),
    "empty_canvas": N_("The canvas is empty: draw a digit with the brush, then press Predict."),
    "error": N_("Error"),
    "used_input": N_("Input: {name}, {shape}"),
    "your_file": N_("your file"),
    "big_map": N_(
        "The map is too large for a table ({shape}); the picture shows all of it "
        "(min → black, max → white)."
    ),
    "busy": N_("Computing…"),
    "tab_practice": N_("Practice"),
    "tab_text": N_("Text"),
    "text_intro": N_(
        "Type a sentence in Spanish, Portuguese, Italian, French, German or English: a 1-D "
        "convolution over its characters guesses the language as you type. Each character is "
        "coloured by how strongly the kernels that decided respond to it."
    ),
    "text_label": N_("Your sentence"),
    "text_example": N_("Where is the library?"),
    "text_run": N_("Text model (run)"),
    "text_kernels": N_("Coloured by the top kernels of the first layer"),
    "no_text_run": N_(
        "No text run is loaded. Train one (cnnlab train --model char-cnn --dataset "
        "languages) and start the lab with --run runs/languages-char-cnn."
    ),
    "type_text": N_("Type a sentence."),
    "no_kernels": N_(
        "This model has no convolution (a bag of n-grams): no kernel responses to show."
    ),
    "practice_intro": N_(
        "Exercises to do by hand, checked at once: a hint after a wrong answer, the worked "
        "solution after the second. Your score stays in this browser."
    ),
    "kinds_pick": N_("Kinds of exercise"),
    "level": N_("Level"),
    "level_easy": N_("easy"),
    "level_medium": N_("medium"),
    "level_hard": N_("hard"),
    "new_exercise": N_("New exercise"),
    "your_answer": N_("Your answer"),
    "check": N_("Check"),
    "right": N_("Right!"),
    "wrong": N_("Not quite."),
    "hint_word": N_("Hint:"),
    "score": N_("Score: {right} of {done}"),
    "unreadable": N_(
        "“{typed}” is not an answer of the expected form; expected a number such as 12 or "
        "1.5, a matrix such as 1 2; 3 4, or a letter for a choice. This try does not count."
    ),
    "matrix_answer": N_("Type the matrix row by row, rows separated by ; (e.g. 1 2; 3 4)."),
    "net_error": N_("The lab did not answer ({detail}); is cnnlab serve still running?"),
    "no_file": N_("No file chosen"),
    "choose_file": N_("Choose a file…"),
    "probability": N_("probability"),
    "need_token": N_(
        "This lab needs its access token: open the address that cnnlab serve printed "
        "(it ends in ?token=…)."
    ),
    "tab_generate": N_("Generate"),
    "gen_intro": N_(
        "A conditional VAE paints digits: choose a label and a seed, or a second label to "
        "morph into. Its decoder is two transposed convolutions, the convolution run backwards."
    ),
    "gen_label": N_("Label"),
    "gen_morph_to": N_("Morph into (label)"),
    "gen_seed": N_("Seed"),
    "gen_count": N_("How many"),
    "gen_make": N_("Generate digits"),
    "gen_morph": N_("Morph"),
    "gen_frame": N_("the morph, step by step"),
    "gen_grid": N_("generated digits"),
    "gen_note": N_("{n} digits of label {label}, codes drawn with seed {seed} ({run})."),
    "gen_morph_note": N_(
        "From {a} to {b} in {n} steps (seed {seed}): the code walks a straight line while "
        "the label blends."
    ),
    "gen_none": N_(
        "No generator is loaded; expected a run of conv-vae: start the lab without --run "
        "to train the default one, or give one: cnnlab serve --run runs/mnist-conv-vae. "
        "Received: none"
    ),
    "tab_find": N_("Find"),
    "find_intro": N_(
        "A classifier trained on small crops slides over the whole picture in one pass per "
        "size: the heat map is its score at every place, the boxes where it passes the threshold."
    ),
    "find_what": N_("Look for"),
    "choice_faces": N_("faces"),
    "choice_digits": N_("digits"),
    "threshold": N_("Threshold (empty: the model's)"),
    "find_go": N_("Search"),
    "boxes_img": N_("Boxes"),
    "heat_img": N_("Heat map"),
    "number_read": N_("Number read:"),
    "offline": N_("Runs on this computer; nothing is sent anywhere."),
}


def t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``."""
    return tr(TEXT, key, lang, **fmt)
