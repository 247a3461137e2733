"""Peak memory one browser-lab request adds, for the largest legal uploads.

Each case runs in a fresh process (so one case's freed memory does not hide the next's): the
lab's handlers are imported and warmed on the deck's example, then one request is computed and
the rise of the peak resident memory (``ru_maxrss``) over the resident memory just before it is
printed. The Draw case trains a tiny CNN on ``digits`` first (a few seconds).

    python benchmarks/lab_memory.py            # every case
    python benchmarks/lab_memory.py csv draw   # some
"""

from __future__ import annotations

import base64
import io
import json
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

CASES = ("conv-png", "conv-jpeg", "csv", "pool", "draw")
KERNEL_11 = ";".join([",".join("1" * 11)] * 11)


def picture(height: int, width: int, fmt: str = "PNG", rgb: bool = False) -> str:
    """Noise as a base64 PNG or JPEG (noise compresses worst: the largest file for its size)."""
    shape = (height, width, 3) if rgb else (height, width)
    pixels = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=fmt, quality=90)
    return base64.b64encode(buffer.getvalue()).decode()


def request(case: str) -> tuple[str, dict]:
    if case == "csv":  # 1600 × 1250 = 2,000,000 values: the lab's pixel limit
        rng = np.random.default_rng(0)
        rows = "\n".join(",".join(map(str, rng.integers(0, 256, 1250))) for _ in range(1600))
        return "conv", {"upload": base64.b64encode(rows.encode()).decode(), "kernel": "box-blur"}
    if case == "conv-png":
        return "conv", {"upload": picture(1400, 1400), "kernel": KERNEL_11, "padding": "same"}
    if case == "conv-jpeg":  # a 2-MP colour photo's size
        return "conv", {"upload": picture(1200, 1600, "JPEG", True), "kernel": "sobel-x"}
    if case == "pool":
        return "pool", {"upload": picture(1400, 1400), "kind": "max", "size": 11, "stride": 1}
    return "draw", {"drawing": picture(1200, 1600, "JPEG", True), "runs": ["tiny"]}


def one(case: str, run: str | None) -> None:
    from cnnlab.train import load_run
    from cnnlab.web.api import Lab, compute

    lab = Lab(runs={"tiny": load_run(run)} if run else {})
    event, fields = request(case)
    body = json.dumps(fields).encode()
    compute(lab, "en", "conv", b'{"sample": "bidoof-worked"}')  # imports and first-use costs
    with open("/proc/self/status") as status:
        before = int(next(ln for ln in status if ln.startswith("VmRSS:")).split()[1]) // 1024
    start = time.perf_counter()
    message = json.loads(compute(lab, "en", event, body))["message"]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{case:10s} body {len(body) / 2**20:5.1f} MiB · before {before} MiB · peak {peak} MiB"
          f" · added {peak - before} MiB · {seconds:.2f} s · {message[:60]!r}")  # fmt: skip


TRAIN = """
import sys
from cnnlab.train import TrainConfig, fit
fit(TrainConfig(model="conv(8,3,padding=same) relu maxpool(2) flatten dense", dataset="digits",
                epochs=1, seed=0, threads=1), out=sys.argv[1])
"""


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        return one(argv[1], argv[2] if len(argv) > 2 else None)
    cases = argv or list(CASES)
    with tempfile.TemporaryDirectory(prefix="cnnlab-lab-memory-") as tmp:
        run = f"{tmp}/tiny"
        if "draw" in cases:
            subprocess.run([sys.executable, "-c", TRAIN, run], check=True, timeout=300,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        for case in cases:
            extra = [run] if case == "draw" else []
            subprocess.run([sys.executable, __file__, "--one", case, *extra], check=True,
                           timeout=300)  # fmt: skip
    return None


if __name__ == "__main__":
    main(sys.argv[1:])
