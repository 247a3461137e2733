"""English and Spanish labels of the figures and the HTML report (used via cnnlab.i18n.tr)."""

from __future__ import annotations

from cnnlab.i18n import N_

TEXT: dict[str, dict[str, str]] = {
    # a value range: [-2, 1.8]; Spanish [-2; 1,8], the comma being its decimal mark
    "range": N_("[{low:.2g}, {high:.2g}]"),
    # named kernels on a photo, the classification head
    "gallery_title": N_(
        "Named kernels slid over one photo (NumPy conv2d, padding 'same'; blue negative, "
        "red positive)"
    ),
    "gallery_photo": N_("photo {shape}"),
    "head_input": N_("input"),
    "head_flat": N_("after flatten: one vector of {n} numbers"),
    "head_index": N_("position in the vector"),
    "head_softmax": N_("{k} neurons → softmax: {top} with {p}"),
    # the sliding kernel
    "anim_title": N_("Kernel {k} · stride {s} · padding {p} · dilation {d} → feature map {out}"),
    "input": N_("Input {shape}"),
    "kernel": N_("Kernel (filter) {shape}"),
    "feature_map": N_("Feature map {shape}"),
    "cell": N_("output ({r}, {c}):"),
    # learned kernels
    "kernels_title": N_("Learned kernels of {layer} ({n} filters × {c} input channels, {k})"),
    "kernels_title_1": N_("Learned kernels of {layer} ({n} filters over 1 input channel, {k})"),
    "kernels_shown": N_("\nshowing the first {n} × {c}"),
    "filter": N_("filter {i}"),
    "in_channel": N_("in ch {c}"),
    "weight": N_("weight"),
    # feature maps
    "features_title": N_(
        "Feature maps for one input, layer by layer (first {n} channels, one color scale per row)"
    ),
    "input_image": N_("input"),
    "channel": N_("ch {i}"),
    "pool_title": N_("Max pooling {layer}: the winning cell of each window"),
    "pool_before": N_("before {shape} (channel {c})"),
    "pool_after": N_("after {shape}"),
    "pool_crop": N_("\nrows {r0}–{r1}, columns {c0}–{c1}"),
    "activation": N_("value"),
    # class activation maps
    "cam_title": N_("Where the model looked (Grad-CAM on {layer})"),
    "cam_scale": N_("relevance"),
    "cam_label": N_("true {true} · pred {pred} ({p:.0%})"),
    # training
    "epoch": N_("epoch"),
    "loss": N_("loss"),
    "accuracy": N_("accuracy"),
    "train": N_("train"),
    "val": N_("validation"),
    "test": N_("test"),
    "curves_title": N_("Training curves"),
    "confusion_title": N_("Confusion matrix (counts; color = share of the true class)"),
    "confusion_title_share": N_("Confusion matrix (color = share of the true class)"),
    "true_label": N_("true class"),
    "pred_label": N_("predicted class"),
    "row_share": N_("share of the row (power scale, γ = 0.3)"),
    "mistakes_title": N_("Most confident mistakes"),
    "no_mistakes": N_("no mistakes on this set"),
    "mistake_label": N_("true {true}\npred {pred} ({p:.0%})"),
    "samples_title": N_("Samples of the data set"),
    # parameter growth
    "growth_title": N_("Parameters vs image size: MLP vs CNN"),
    "image_side": N_("image side (pixels)"),
    "parameters": N_("parameters (log scale)"),
    "conv_only": N_("conv layers only ({name})"),
    "this_run": N_("this run's input ({size})"),
}

REPORT: dict[str, dict[str, str]] = {
    "title": N_("Training report"),
    "subtitle": N_("{model} on {dataset}: {acc} test accuracy"),
    "contents": N_("Contents"),
    "summary": N_("Model"),
    "data": N_("Data"),
    "curves": N_("Training curves"),
    "smoothing_note": N_(
        "The training loss is measured with label smoothing {value} (each target puts part "
        "of its probability on the other classes), so it stays above zero even for a perfect "
        "fit and sits above the test loss, which is plain cross-entropy."
    ),
    "metrics": N_("Test metrics"),
    "confusion": N_("Confusion matrix"),
    "kernels": N_("Learned kernels"),
    "features": N_("Feature maps"),
    "cam": N_("Where the model looked"),
    "mistakes": N_("Most confident mistakes"),
    "reproduce": N_("How to reproduce"),
    "layer": N_("Layer"),
    "kind": N_("Type"),
    "spec": N_("Spec"),
    "output": N_("Output shape"),
    "params": N_("Parameters"),
    "mult_adds": N_("Mult-adds"),
    "total": N_("Total"),
    "summary_note": N_(
        "{params} parameters ({conv} in conv layers); an MLP (hidden 256-256) on the same "
        "input would need {mlp}."
    ),
    "data_note": N_(
        "{name}: {train} training, {val} validation and {test} test images of shape {shape}, "
        "{k} classes."
    ),
    "accuracy": N_("Accuracy"),
    "loss": N_("Loss"),
    "epochs": N_("Epochs"),
    "train_time": N_("Training time"),
    "class": N_("Class"),
    "precision": N_("Precision"),
    "recall": N_("Recall"),
    "f1": N_("F1"),
    "support": N_("Support"),
    "macro": N_("macro average"),
    "features_note": N_(
        "A feature map is the grid a kernel produces as it slides over its input; each conv "
        "layer makes one per filter. Each row is one layer's output (its name, shape and range "
        "of values on the left) for the test image at the top; brighter means a larger value."
    ),
    "cam_note": N_("Grad-CAM: red areas raised the predicted class's score the most."),
    "not_image": N_("Not available: this run's inputs are not 2-D images."),
    "growth": N_("Parameters vs image size"),
    "growth_note": N_(
        "An MLP's first layer grows with the number of pixels; a conv layer's kernels do "
        "not depend on the image size (counted from the layers' shapes, both axes log scale)."
    ),
    "features_caption": N_("Test image {i} (class {true}): the first channels of every layer."),
    "pooling": N_("Max pooling"),
    "pooling_note": N_(
        "Max pooling keeps the largest value of each window: the marked cells on the left "
        "are the ones that reach the smaller map on the right."
    ),
    "no_conv": N_(
        "Not available: this model has no convolutional layer (no kernels slide over the "
        "image, so there are no feature maps to show)."
    ),
    "command": N_("Command"),
    "equivalent": N_("The same run from the command line"),
    "setting": N_("Setting"),
    "value": N_("Value"),
    "versions": N_("Versions"),
    "hardware": N_("Hardware"),
    "created": N_("Created"),
    "reproduce_note": N_(
        "The same command with the same seed on the same kind of CPU gives the same weights."
    ),
    "footer": N_("Made by cnnlab {version} from the run folder {path}."),
}
