"""Ready at once: how long a newcomer waits for cnnlab's first answers, this tree against a
baseline commit (the previous main) measured in the same run.

    flock /tmp/cnnlab-cpu.lock .venv/bin/python benchmarks/bench_startup.py --baseline ca36ce4

* quick commands (best of --trials, warm cache): ``cnnlab --help``, ``exercise conv-cell --seed 1
  --json``, ``convolve bidoof-worked --kernel deck``, ``explain bidoof-worked --kernel deck --at
  0,0``; goals 0.4 s for the help, 0.6 s for the others;
* first use, each with a fresh, empty ``CNNLAB_CACHE``: ``detect --what faces astronaut``,
  ``read NUMBER.png`` (a number written with MNIST test digits), ``generate`` (default model),
  ``predict --text``; goal 5 s each;
* ``serve`` with a fresh cache: seconds until the page and every tab's event have answered
  (cnnlab.web.opening); goal 10 s.

Both trees run with the same Python and packages, their sources compiled to bytecode first (as an
installed package is). A baseline command still running after --cap seconds is stopped and
reported as "> cap" (it was training its model). Needs ``cnnlab data fetch mnist`` for the
number picture; nothing else should run meanwhile (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

from cnnlab import data
from cnnlab.detect import digits
from cnnlab.web.opening import opening_requests
from cnnlab.web.server import free_port

ROOT = Path(__file__).resolve().parents[1]
QUICK = {
    "cnnlab --help": (["--help"], 0.4),
    "exercise conv-cell --seed 1 --json": (["exercise", "conv-cell", "--seed", "1", "--json"], 0.6),
    "convolve bidoof-worked --kernel deck": (
        ["convolve", "bidoof-worked", "--kernel", "deck"],
        0.6,
    ),
    "explain bidoof-worked --kernel deck --at 0,0": (
        ["explain", "bidoof-worked", "--kernel", "deck", "--at", "0,0"],
        0.6,
    ),
}
FIRST_GOAL, SERVE_GOAL = 5.0, 10.0


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def baseline_tree(ref: str, into: Path) -> Path:
    """The source tree of commit ``ref`` (git archive), unpacked into ``into``."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def env_for(tree: Path, cache: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "LANG": "C.UTF-8", "COLUMNS": "100"}
    if cache is not None:
        env["CNNLAB_CACHE"] = str(cache)
    return env


def timed(tree: Path, args: list[str], cap: float, cache: Path | None = None) -> float | str | None:
    """Wall seconds of ``cnnlab ARGS`` run from ``tree``; None when it ran past ``cap``; the
    last line of its error output when it failed."""
    t0 = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "cnnlab", *args], env=env_for(tree, cache),
                       capture_output=True, timeout=cap, check=True, cwd=tree)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        lines = exc.stderr.decode(errors="replace").strip().splitlines() or ["?"]
        return "failed: " + lines[-1][:80]
    return time.perf_counter() - t0


def served(tree: Path, cap: float, scratch: Path) -> float | None:
    """Seconds from starting ``cnnlab serve`` (fresh cache) until the page and every tab have
    answered; None past ``cap``."""
    port = free_port()
    cmd = [sys.executable, "-m", "cnnlab", "serve", "--port", str(port), "--lang", "en"]
    t0 = time.perf_counter()
    server = subprocess.Popen(
        cmd,
        env=env_for(tree, scratch / f"cache-serve-{port}"),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/en/"
    try:
        while time.perf_counter() - t0 < cap:
            try:
                urllib.request.urlopen(base, timeout=5).read()
                info = json.loads(urllib.request.urlopen(base + "api/info", timeout=5).read())
                break
            except OSError:
                time.sleep(0.1)
        else:
            return None
        for event, body in opening_requests(info).items():
            request = urllib.request.Request(
                base + f"api/{event}",
                json.dumps(body).encode(),
                {"Content-Type": "application/json"},
            )
            urllib.request.urlopen(request, timeout=max(1.0, cap - (time.perf_counter() - t0)))
        return time.perf_counter() - t0
    except OSError:
        return None
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def number_picture(path: Path) -> Path:
    ds = data.load("mnist", val_fraction=0.0)
    pixels, _canvas = digits.test_canvases(ds.test.x[:, 0], ds.test.y, 1, seed=11)[0]
    Image.fromarray((255 - pixels * 255).clip(0, 255).astype("uint8")).save(path)
    return path


def first_use(number: Path, baseline: bool) -> dict[str, list[str] | None]:
    """The first-use commands; None where the tree has no such command (no default model)."""
    return {
        "detect --what faces astronaut": ["detect", "--what", "faces", "astronaut"],
        "read NUMBER.png": ["read", str(number)],
        "generate (default model)": None
        if baseline
        else ["generate", "--out", str(number.parent / "g.png"), "--force"],
        'predict --text "..."': None if baseline else ["predict", "--text", "Onde fica a praia?"],
    }


def fmt(value: float | str | None, cap: float) -> str:
    if isinstance(value, str):
        return value
    return f"> {cap:.0f} s" if value is None else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=None, help="commit to compare with (e.g. main~1)")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds a command may take")
    parser.add_argument("--out", type=Path, default=Path("runs/bench-startup.json"))
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cnnlab-startup-") as tmp:
        scratch = Path(tmp)
        trees = {"this tree": ROOT}
        if args.baseline:
            trees[f"baseline {args.baseline}"] = baseline_tree(args.baseline, scratch)
        for tree in trees.values():
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(tree / "src")],
                check=True,
                capture_output=True,
            )
        number = number_picture(scratch / "number.png")
        rows: dict[str, dict[str, float | None]] = {}
        for label, tree in trees.items():
            for name, (cmd, _goal) in QUICK.items():
                times = [timed(tree, cmd, args.cap) for _ in range(args.trials)]
                done = [t for t in times if isinstance(t, float)]
                rows.setdefault(name, {})[label] = min(done) if done else times[0]
            for i, (name, cmd) in enumerate(first_use(number, tree != ROOT).items()):
                cache = scratch / f"cache-{len(rows)}-{i}-{label.split()[0]}"
                rows.setdefault(name, {})[label] = (
                    timed(tree, cmd, args.cap, cache) if cmd else float("nan")
                )
            rows.setdefault("serve: page and every tab", {})[label] = served(
                tree, args.cap, scratch
            )
            print(f"measured {label}; {load()}", flush=True)
    goals = {**{k: g for k, (_c, g) in QUICK.items()}, "serve: page and every tab": SERVE_GOAL}
    labels = list(trees)
    print("\n| command | " + " | ".join(labels) + " | goal |")
    print("|---|" + "---:|" * len(labels) + "---|")
    for name, values in rows.items():
        goal = goals.get(name, FIRST_GOAL)
        ours = values["this tree"]
        verdict = "met" if isinstance(ours, float) and ours <= goal else "missed"
        cells = " | ".join(
            "no default model" if isinstance(v, float) and v != v else fmt(v, args.cap)
            for v in (values.get(lb) for lb in labels)
        )
        print(f"| {name} | {cells} | ≤ {goal:g} s: {verdict} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2, default=str))
    print(f"\n{load()}; wrote {args.out}")


if __name__ == "__main__":
    main()
