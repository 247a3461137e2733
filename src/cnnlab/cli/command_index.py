"""Every ``cnnlab`` command: name → (module that defines it, English help as
``cnnlab --help`` lists it), in that list's order. Written by ``make catalog``
(scripts/update_catalog.py) from the command tree; a test checks it is current. It lets
``cnnlab --help`` list every command without importing them all (:mod:`cnnlab.main`)."""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "cnnlab.cli.ops_cmds",
        "Reproduce the deck's worked convolution and check it against the values the deck prints.",
    ),
    "convolve": (
        "cnnlab.cli.ops_cmds",
        "Slide a kernel over an image and print the feature map (mapa de características).",
    ),
    "explain": (
        "cnnlab.cli.ops_cmds",
        "Show how one value of the feature map is computed: window · kernel = value.",
    ),
    "pool": (
        "cnnlab.cli.ops_cmds",
        "Max- or average-pool an image and print the reduced map.",
    ),
    "kernels": (
        "cnnlab.cli.ops_cmds",
        "List the built-in kernels (filters).",
    ),
    "samples": (
        "cnnlab.cli.ops_cmds",
        "List the built-in images: the deck's pixel art and offline photos.",
    ),
    "animate": (
        "cnnlab.cli.viz_cmds",
        "Animate a kernel sliding over an input while the feature map fills in (GIF or MP4).",
    ),
    "summary": (
        "cnnlab.cli.model_cmds",
        "Layer-by-layer table: output shapes, parameters, multiply-adds, memory, MLP comparison.",
    ),
    "models": (
        "cnnlab.cli.model_cmds",
        "List the model presets with their parameter counts and descriptions.",
    ),
    "train": (
        "cnnlab.cli.train_cmds",
        "Train a model and write a run folder (config.json, metrics.jsonl, model.safetensors).",
    ),
    "evaluate": (
        "cnnlab.cli.train_cmds",
        "Accuracy, per-class precision/recall/F1 and the confusion matrix of a run.",
    ),
    "predict": (
        "cnnlab.cli.train_cmds",
        "Classify pictures (digits get MNIST's own preprocessing) or texts with a trained run.",
    ),
    "visualize": (
        "cnnlab.cli.viz_cmds",
        "Draw a run's kernels, feature maps, class activation map and parameter growth as PNGs.\n\nFeature maps mark max pooling's winners; parameter growth compares an MLP with this CNN.\nText runs: each character's response to the top kernels, and each kernel's top n-grams.",
    ),
    "report": (
        "cnnlab.cli.viz_cmds",
        "Write one self-contained HTML report of a run (opens offline, prints well).",
    ),
    "compare": (
        "cnnlab.cli.experiment_cmds",
        "Train MLPs and CNNs the same way and measure the deck's claims (CNN vs MLP): parameters,\naccuracy, time, pixel permutation and shifted test images (results.json, summary.md).",
    ),
    "deck": (
        "cnnlab.cli.deck_cmds",
        "Walk through the deck on one page: the MLP, the kernel, the worked example, pooling, the\nhead, the applications and every claim's measured verdict (OUT/index.html).",
    ),
    "detect": (
        "cnnlab.cli.detect_cmds",
        "Find faces, digits or a run's classes: a classifier slid over an image pyramid.",
    ),
    "read": (
        "cnnlab.cli.detect_cmds",
        "Read a handwritten number (or lines of digits) left to right.",
    ),
    "generate": (
        "cnnlab.cli.generate_cmds",
        "Make digits with a trained generator: a grid picture, a .npy array or a morph GIF.",
    ),
    "generate-study": (
        "cnnlab.cli.generate_cmds",
        "Train the convolutional and the dense generator over seeds and judge their digits.",
    ),
    "exercise": (
        "cnnlab.cli.exercise_cmds",
        "Practise by hand: an exercise checked in the terminal, problem sheets, grading.",
    ),
    "serve": (
        "cnnlab.serve_cmd",
        "Open the browser lab: convolution, pooling, model summaries and draw-a-digit.",
    ),
    "version": (
        "cnnlab.cli.app",
        "Print the cnnlab version.",
    ),
    "data": (
        "cnnlab.cli.data_cmds",
        "List, fetch and look at data sets.",
    ),
}
