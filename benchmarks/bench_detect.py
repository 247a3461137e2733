"""Finding faces and numbers: every figure of docs/experiments.md's detection section, in one run.

    flock /tmp/cnnlab-cpu.lock python benchmarks/bench_detect.py [--out runs/bench-detect]

1. Faces: trains the face model (timed), finds the faces of ``astronaut`` and ``camera``, and
   scores it and scikit-image's LBP cascade on the held-out scenes (precision, recall and AP at
   IoU 0.5; milliseconds per picture, same machine, same run).
2. One pass against the crop loop: the face model over a 320×240 picture at one scale.
3. Digits: trains the digit finder (timed) and scores it on canvases of MNIST test digits
   (mAP at IoU 0.5, whole numbers read exactly, milliseconds per canvas).
4. Figures: the two photos' score maps and boxes, and some read canvases, in docs/figures/.

Prints a Markdown table and writes results.json into ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch
from matplotlib.patches import Rectangle

from cnnlab import data
from cnnlab.detect import core, digits, evaluate, faces, learn
from cnnlab.detect.boxes import iou
from cnnlab.detect.fcn import crop_scores
from cnnlab.detect.figures import explain_figure
from cnnlab.viz._common import new_figure, save_figure

FIGURES = Path(__file__).resolve().parents[1] / "docs" / "figures"


def best_of(fn, trials: int = 3) -> float:
    times = []
    for _ in range(trials):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def photos(det) -> dict:
    out = {}
    for name, truth in faces.PHOTO_FACES.items():
        found = core.detect(det, name)
        ours = np.array([b.box for b in found.boxes]).reshape(-1, 4)
        theirs = faces.cascade_boxes(np.uint8(faces.photo(name) * 255), 24, 240)
        out[name] = {
            "cnnlab": _hits(ours, np.array(truth)), "cascade": _hits(theirs, np.array(truth)),
            "cnnlab_boxes": ours.round(1).tolist(), "cascade_boxes": theirs.tolist(),
        }  # fmt: skip
        save_figure(explain_figure(found), FIGURES / f"detect-{name}.png")
    return out


def _hits(boxes: np.ndarray, truth: np.ndarray) -> dict:
    best = [float(iou(t, boxes).max()) if len(boxes) else 0.0 for t in truth]
    found = sum(b >= 0.5 for b in best)
    false = sum(1 for b in boxes if iou(b, truth).max() < 0.3)
    return {"faces_found": found, "faces": len(truth), "false_boxes": false, "best_iou": best}


def one_pass_vs_crops(det) -> dict:
    x = torch.rand(1, 1, 240, 320)
    model = det.run.model
    with torch.no_grad():
        one = best_of(lambda: det.net(x))
    crops = best_of(lambda: crop_scores(model, x, det.net.window))
    return {"one_pass_ms": 1000 * one, "crop_batch_ms": 1000 * crops, "speedup": crops / one}


def digit_figure(det, canvases) -> None:
    fig = new_figure(12, 6)
    for k, (pixels, canvas) in enumerate(canvases[:6]):
        ax = fig.add_subplot(3, 2, k + 1)
        found = core.detect(det, pixels)
        ax.imshow(pixels)
        for b in found.boxes:
            x0, y0, x1, y1 = b.box
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="red"))
        text = digits.read_boxes(
            np.array([b.box for b in found.boxes]).reshape(-1, 4), [b.label for b in found.boxes]
        )
        ax.set_title(f"true {canvas.text} · read {text}")
        ax.axis("off")
    save_figure(fig, FIGURES / "detect-digits.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/bench-detect")
    parser.add_argument("--scenes", type=int, default=40)
    parser.add_argument("--canvases", type=int, default=200)
    parser.add_argument("--faces-run", help="score this face run instead of training one")
    parser.add_argument("--digits-run", help="score this digit run instead of training one")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    FIGURES.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    res = {"machine": platform.processor() or platform.machine(), "threads":
           torch.get_num_threads(), "torch": torch.__version__,
           "load_before": os.getloadavg()}  # fmt: skip

    t0 = time.perf_counter()
    face_run = args.faces_run or learn.train_faces(out / f"faces-{int(t0)}").path
    res["faces_train_s"] = None if args.faces_run else time.perf_counter() - t0
    det = core.load_detector(face_run)
    res["faces_threshold"] = det.defaults.threshold
    res["photos"] = photos(det)
    held = faces.scenes(args.scenes, seed=1)
    fit = faces.scenes(20, seed=3, held_out=False)
    ours = evaluate.face_scenes(det, held)
    raw, mapped = evaluate.cascade_scenes(held, fit)
    res["scenes"] = {m.name: {**m.scores.__dict__, "ms": m.ms_per_picture}
                     for m in (ours, raw, mapped)}  # fmt: skip
    res["one_pass"] = one_pass_vs_crops(det)

    t0 = time.perf_counter()
    digit_run = args.digits_run or learn.train_digits(out / f"digits-{int(t0)}").path
    res["digits_train_s"] = None if args.digits_run else time.perf_counter() - t0
    ddet = core.load_detector(digit_run)
    res["digits_threshold"] = ddet.defaults.threshold
    mnist = data.load("mnist", val_fraction=0.0)
    canvases = digits.test_canvases(mnist.test.x[:, 0], mnist.test.y, args.canvases)
    scored = evaluate.digit_canvases(ddet, canvases)
    res["digits"] = scored.__dict__
    digit_figure(ddet, canvases)
    res["load_after"] = os.getloadavg()
    (out / "results.json").write_text(json.dumps(res, indent=2, default=float))
    print(json.dumps(res, indent=2, default=float))


if __name__ == "__main__":
    main()
