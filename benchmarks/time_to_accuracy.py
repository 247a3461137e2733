"""Time to accuracy on MNIST, the PyTorch-example anchor, and batch-1 inference latency.

Run under the shared lock (other work on the machine skews every number):

    flock /tmp/cnnlab-cpu.lock .venv/bin/python benchmarks/time_to_accuracy.py --seeds 0,1,2,3,4

Needs ``cnnlab data fetch mnist`` first. Sections (each can be skipped with --skip):

* fast:    ``cnnlab train --model small-cnn --dataset mnist --epochs 1 --val-fraction 0``, every
           other setting at its default: one epoch, test accuracy >= 99.0 % for every seed
           (best of --repeat runs per seed)
* fast128: the same with ``--batch-size 128``
* two:     the previous recipe: one-cycle over 2 epochs, ±1-pixel shifts, until the first
           epoch >= 99.0 %
* default: ``cnnlab train --model small-cnn --dataset mnist`` with every other setting at its
           default (5 epochs, 10 % validation hold-out): test accuracy and time at the end
* long:    a wider network with a 128-unit hidden layer and ±2-pixel shifts until >= 99.5 %
* anchor:  PyTorch's examples/mnist recipe (its network, Adadelta lr 1.0, StepLR γ 0.7, batch
           64) until its first epoch at >= 99.0 %, and the ratio to the fast recipe (--quick skips)
* latency: batch-1 latency (median µs, 1 thread) and batch-1000 throughput, torch eager vs
           onnxruntime, for small-cnn and lenet5

"Training seconds" count forward/backward/optimizer steps only; evaluation at each epoch's end,
checkpoint writes and data loading are reported separately. The 1-minute load average is
printed before and after each section: the machine's 2 cores are shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from cnnlab import cpu
from cnnlab.train import TrainConfig, fit

#: The fast recipe: exactly ``cnnlab train --model small-cnn --dataset mnist --epochs 1
#: --val-fraction 0``; everything else (batch, learning rate, schedule, smoothing) is the default.
FAST = dict(dataset="mnist", model="small-cnn", epochs=1, val_fraction=0.0)
#: The same with --batch-size 128 (twice the steps in the epoch; --label-smoothing and --lr
#: can be set with --fast-smoothing/--fast-lr to time other one-epoch candidates)
FAST128 = dict(FAST, batch_size=128)
#: The previous recipe: small-cnn, AdamW one-cycle over 2 epochs to lr 0.02, label smoothing
#: 0.1, batch 256 and ±1-pixel shifts, stopping at the first epoch >= 99.0 %.
TWO = dict(
    dataset="mnist",
    model="small-cnn",
    epochs=2,
    batch_size=256,
    lr=0.02,
    label_smoothing=0.1,
    weight_decay=5e-4,
    val_fraction=0.0,
    augment_shift=1,
    target_accuracy=0.99,
)
#: The plain command: only the model and the data set are given.
DEFAULT = dict(dataset="mnist", model="small-cnn")
#: The long recipe: 24-48-64 channels, a 128-unit hidden layer, ±2-pixel shifts, 10 epochs.
LONG_SPEC = (
    "conv(24,5,stride=2,padding=2) batchnorm relu conv(48,3,stride=2,padding=1) batchnorm relu "
    "conv(64,3,stride=2,padding=1) batchnorm relu flatten dense(128) relu dense"
)
LONG = dict(TWO, model=LONG_SPEC, epochs=10, augment_shift=2, target_accuracy=0.995)


def load() -> str:
    """The 1-, 5- and 15-minute load averages."""
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def wait_quiet(limit: float, patience: float = 300.0) -> str:
    """Wait until the 1-minute load average is below ``limit`` (other work skews every figure);
    the load line, saying whether it got there."""
    deadline = time.monotonic() + patience
    while limit and os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(5)
    quiet = not limit or os.getloadavg()[0] < limit
    return f"{load()} ({'quiet: below' if quiet else 'NOT quiet: still at or above'} {limit})"


def time_recipe(recipe: dict, seed: int, device: str, threads: int) -> dict:
    """Train one seed; return the seconds to the target (training, +eval, +data) and accuracy."""
    cfg = TrainConfig(**recipe, seed=seed, device=device, threads=threads)
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        run = fit(cfg, out=Path(tmp) / "run")
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = run.metrics
    if cfg.target_accuracy is None:  # no target: the whole run, judged against 99.0 %
        last = rows[-1]
        hit = last if last["test_acc"] >= 0.99 else None
    else:
        hit = next((m for m in rows if m["test_acc"] >= cfg.target_accuracy), None)
        last = hit or rows[-1]
    evals = sum(m["eval_seconds"] for m in rows if m["epoch"] <= last["epoch"])
    return {
        "seed": seed,
        "reached": hit is not None,
        "epochs": last["epoch"],
        "acc": last["test_acc"],
        "train_s": last["seconds"],
        "train_eval_s": last["seconds"] + evals,
        "data_s": run.config["data_seconds"],
        "wall_s": wall,
        "cpu_s": cpu,  # CPU seconds of all threads over the whole fit (a load-free yardstick)
    }


def best_of(recipe: dict, seed: int, device: str, threads: int, repeat: int) -> dict:
    """:func:`time_recipe` ``repeat`` times; the fastest, with every training time in ``runs``.

    The same seed gives the same weights on a CPU, so every repeat must reach the same accuracy:
    the repeats only differ in how much of the shared machine the process got.
    """
    results = [time_recipe(recipe, seed, device, threads) for _ in range(repeat)]
    if len({(r["acc"], r["epochs"]) for r in results}) != 1:
        raise RuntimeError(f"seed {seed} is not deterministic: {results}")
    best = min(results, key=lambda r: r["train_s"])
    return {**best, "runs": [round(r["train_s"], 2) for r in results]}


def summarize(name: str, results: list[dict]) -> None:
    """Print one line per seed and mean ± standard deviation."""
    print(f"\n## {name}")
    print(
        "| seed | reached | epochs | test acc | train s | train+eval s | +data s | wall s | cpu s "
        "| all repeats, train s |"
    )
    print("|---:|:--:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['seed']} | {'yes' if r['reached'] else 'NO'} | {r['epochs']} | "
            f"{r['acc']:.2%} | {r['train_s']:.2f} | {r['train_eval_s']:.2f} | "
            f"{r['train_eval_s'] + r['data_s']:.2f} | {r['wall_s']:.2f} | {r['cpu_s']:.1f} | "
            f"{', '.join(map(str, r['runs']))} |"
        )
    for key in ("train_s", "train_eval_s", "wall_s"):
        vals = [r[key] for r in results]
        spread = statistics.stdev(vals) if len(vals) > 1 else 0.0
        print(
            f"{key}: mean {statistics.mean(vals):.2f} ± {spread:.2f} (min {min(vals):.2f}, "
            f"max {max(vals):.2f})"
        )
    accs = [r["acc"] for r in results]
    print(f"test acc: mean {statistics.mean(accs):.2%}, min {min(accs):.2%}")


def pytorch_example(device: str, threads: int, max_epochs: int, seed: int = 1) -> dict:
    """examples/mnist's recipe over preloaded tensors until an epoch reaches 99.0 %.

    Same network (cnnlab preset ``pytorch-example``), Adadelta lr 1.0, StepLR(step 1, γ 0.7),
    batch 64, normalization (0.1307, 0.3081), shuffled each epoch. Batches are sliced from
    tensors instead of a DataLoader, which only makes the anchor faster than the original.
    """
    from cnnlab import data, models

    torch.manual_seed(seed)
    cpu.settle(threads)
    ds = data.load("mnist", val_fraction=0.0)
    dev = torch.device(device)
    x = ((torch.from_numpy(ds.train.x) - 0.1307) / 0.3081).to(dev)
    y = torch.from_numpy(ds.train.y).to(dev)
    xt = ((torch.from_numpy(ds.test.x) - 0.1307) / 0.3081).to(dev)
    yt = torch.from_numpy(ds.test.y).to(dev)
    model = models.build("pytorch-example", (1, 28, 28), 10).to(dev)
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    seconds, acc, epoch, per_epoch = 0.0, 0.0, 0, []
    while epoch < max_epochs and acc < 0.99:
        epoch += 1
        model.train()
        t0 = time.perf_counter()
        for idx in torch.randperm(len(y), device=dev).split(64):
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        sched.step()
        per_epoch.append(time.perf_counter() - t0)
        seconds += per_epoch[-1]
        model.eval()
        with torch.no_grad():
            acc = sum(
                int((model(xt[i : i + 1000]).argmax(1) == yt[i : i + 1000]).sum())
                for i in range(0, len(yt), 1000)
            ) / len(yt)
        print(f"  pytorch-example epoch {epoch}: test acc {acc:.2%}, {seconds:.1f} s", flush=True)
    return {
        "epochs": epoch,
        "acc": acc,
        "train_s": seconds,
        "reached": acc >= 0.99,
        "epoch_s": [round(t, 1) for t in per_epoch],
        # every epoch is the same work: the fastest one times the epochs is the time on a
        # machine as quiet as the quietest moment of this run (a lower bound for the anchor)
        "quiet_s": min(per_epoch) * epoch,
    }


def latency(spec: str, trials: int = 2000) -> dict:
    """Median batch-1 latency (µs, 1 thread) and batch-1000 images/s: torch eager vs ONNX."""
    from cnnlab import models
    from cnnlab.train.onnx_engine import OnnxSession, export_onnx

    torch.set_num_threads(1)
    model = models.build(spec, (1, 28, 28), 10).eval()
    session = OnnxSession(export_onnx(model, (1, 28, 28)), threads=1)
    one = torch.randn(1, 1, 28, 28)
    many = torch.randn(1000, 1, 28, 28)
    out: dict = {"params": sum(p.numel() for p in model.parameters())}
    with torch.inference_mode():
        np.testing.assert_allclose(session.run(one.numpy()), model(one).numpy(), atol=1e-4)
        for name, fn1, fnk in (
            ("torch", lambda: model(one), lambda: model(many)),
            ("onnx", lambda: session.run(one.numpy()), lambda: session.run(many.numpy())),
        ):
            out[name] = {"us": median_us(fn1, trials), "ips": 1000 / best_s(fnk, 7)}
    return out


def median_us(fn, trials: int) -> float:
    for _ in range(50):
        fn()
    times = []
    for _ in range(trials):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return statistics.median(times) / 1000


def best_s(fn, trials: int) -> float:
    fn()
    best = float("inf")
    for _ in range(trials):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (>= 3 for spread)")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--threads", type=int, default=None,
                   help="torch CPU threads (default: cnnlab's own choice, the free cores)")
    p.add_argument("--quiet-load", type=float, default=0.3,
                   help="wait (up to 5 minutes) until the load average is below this before "
                   "each timed section; 0 waits for nothing")
    p.add_argument("--quick", action="store_true", help="skip the pytorch-example anchor")
    p.add_argument(
        "--skip", default="", help="comma-separated: fast,fast128,two,default,long,anchor,latency"
    )
    p.add_argument("--long-seeds", type=int, default=3, help="seeds for the long recipe")
    p.add_argument("--default-seeds", type=int, default=3, help="seeds for the plain command")
    p.add_argument("--anchor-epochs", type=int, default=6, help="most anchor epochs")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs per fast seed")
    p.add_argument("--fast-lr", type=float, default=None, help="lr of the fast128 section")
    p.add_argument("--fast-smoothing", type=float, default=None, help="its label smoothing")
    args = p.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    fast_extra = {k: v for k, v in (("lr", args.fast_lr), ("label_smoothing",
                  args.fast_smoothing)) if v is not None}  # fmt: skip
    skip = set(filter(None, args.skip.split(",")))
    print(
        f"torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}, "
        f"{platform.machine()} with {os.cpu_count()} CPUs, device {args.device}, "
        f"threads {args.threads}; {load()}"
    )
    fast = None
    sections = (
        ("fast", FAST, seeds, args.repeat, f"fast: one epoch of small-cnn, best of {args.repeat}"),
        ("fast128", FAST128 | fast_extra, seeds, args.repeat, "fast128: --batch-size 128"),
        ("two", TWO, seeds, 1, "two: the previous 2-epoch recipe to 99.0%"),
        ("default", DEFAULT, seeds[: args.default_seeds], 1, "default: the plain command"),
        ("long", LONG, seeds[: args.long_seeds], 1, "long: to 99.5%"),
    )
    for key, recipe, chosen, repeat, title in sections:
        if key in skip:
            continue
        print(f"\n{wait_quiet(args.quiet_load)}", flush=True)
        res = [best_of(recipe, s, args.device, args.threads, repeat) for s in chosen]
        summarize(f"{title} ({recipe})", res)
        print(load(), flush=True)
        if key == "fast":
            fast = [r["train_s"] for r in res]
    if not args.quick and "anchor" not in skip:
        print(f"\n## anchor: pytorch-example recipe to 99.0% ({wait_quiet(args.quiet_load)})",
              flush=True)
        anchor = pytorch_example(args.device, args.threads, args.anchor_epochs)
        print(f"anchor: {anchor}; {load()}")
        for key in ("train_s", "quiet_s") if fast else ():
            t = anchor[key]
            print(
                f"ratio anchor ({key} {t:.1f}) / fast training seconds: "
                f"{t / statistics.mean(fast):.1f}× against the mean, {t / max(fast):.1f}× "
                f"against the slowest seed, {t / min(fast):.1f}× against the fastest"
            )
    if "latency" not in skip:
        print(f"\n## inference, 1 thread: batch-1 median µs, batch-1000 images/s ({load()})")
        print("| model | params | torch µs | onnx µs | torch img/s | onnx img/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for name in ("small-cnn", "lenet5"):
            r = latency(name)
            print(
                f"| {name} | {r['params']:,} | {r['torch']['us']:.0f} | {r['onnx']['us']:.0f} | "
                f"{r['torch']['ips']:,.0f} | {r['onnx']['ips']:,.0f} |"
            )
        print(load())


if __name__ == "__main__":
    main()
