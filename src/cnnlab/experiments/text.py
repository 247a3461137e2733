"""English and Spanish text of the comparison's tables, figures and summary (via cnnlab.i18n.tr)."""

from __future__ import annotations

from cnnlab.i18n import N_

TEXT: dict[str, dict[str, str]] = {
    "title": N_("CNN vs MLP on {dataset}: the deck's conclusion, measured"),
    "model": N_("model"),
    "kind": N_("kind"),
    "params": N_("parameters"),
    "accuracy": N_("test accuracy"),
    "seconds": N_("training s"),
    "original": N_("original pixels"),
    "permuted": N_("pixels permuted"),
    "change": N_("change (points)"),
    "shift_col": N_("{s} px"),
    "side": N_("input side"),
    "fraction_col": N_("acc. with {name}"),
    "t_models": N_("Parameters, accuracy and training time (mean ± std over seeds {seeds})"),
    "t_perm": N_("Lost spatial information: trained and tested on pixel-permuted images"),
    "t_shift": N_(
        "Translation: accuracy on test images shifted by s pixels (mean of {n} directions)"
    ),
    "t_growth": N_("Parameters as the input grows (side × side images, or length for sequences)"),
    "n_perm": N_(
        "One fixed reordering of the {n} pixel positions (seed {seed}) is applied to the "
        "training and the test images alike. For an MLP this changes nothing it can use (a "
        "permutation of its inputs is a permutation of its first layer's weights), so its change "
        "is seed-to-seed noise; a CNN's kernels now slide over pixels that are no longer "
        "neighbours."
    ),
    "n_shift": N_(
        "Each test image is moved s pixels in each direction ({dirs}); zeros enter at the "
        "border; the accuracy at s is the mean over the directions. No model saw shifted images "
        "in training. Convolutions are equivariant to shifts and pooling or strides make a CNN "
        "approximately (not exactly) invariant, so this measures how much invariance each model "
        "actually has."
    ),
    "dirs_image": N_("right, left, down, up"),
    "dirs_sequence": N_("right, left"),
    "n_time": N_(
        "Training seconds count forward, backward and optimizer steps only, on {cpu} "
        "(torch threads: {threads}; a shared machine: treat them as rough)."
    ),
    "n_recipe": N_(
        "Same recipe for every model: {epochs} epochs, batch {batch}, AdamW, one-cycle peak "
        "lr {lr}, label smoothing 0.1, all {n_train} training images; scored on {n_test} test "
        "images."
    ),
    "n_growth": N_(
        "Counted from the layer shapes (no weights are built); '-' means the model does not "
        "fit that input."
    ),
    "command": N_("Reproduce with"),
    "figures": N_("Figures"),
    "results_json": N_(
        "Every number above, each seed's value and every run folder are in results.json."
    ),
    # figures
    "f_shift_x": N_("shift (pixels)"),
    "f_shift_title": N_("Accuracy on shifted test images"),
    "f_perm_title": N_("Same pixels, positions permuted"),
    "f_growth_x": N_("input side (pixels)"),
    "f_growth_x_sequence": N_("input length"),
    "f_growth_title": N_("Parameters as the input grows"),
    "f_params_title": N_("Accuracy against parameters"),
}
