"""What a run folder records: config.json (settings, versions, hardware) and metrics.jsonl."""

from __future__ import annotations

import datetime
import json
import math
import platform
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cnnlab._version import __version__
from cnnlab.fileio import atomic_write_json, atomic_write_text
from cnnlab.train.config import TrainConfig


def versions() -> dict[str, str]:
    """Versions of the pieces that decide a result."""

    return {
        "cnnlab": __version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def hardware(device: torch.device) -> dict[str, Any]:
    """CPU model, torch threads and the device's name."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else cpu
    return {"cpu": cpu, "threads": torch.get_num_threads(), "device_name": name}


def run_config(
    cfg: TrainConfig, ds: Any, spec: str, device: torch.device, command: str | None, world: int
) -> dict[str, Any]:
    """The config.json contents (without status and final results)."""
    info = cfg.to_dict()
    info.update(
        {
            "spec": str(spec),
            "input_shape": [int(v) for v in ds.input_shape],
            "num_classes": int(ds.num_classes),
            "classes": [str(c) for c in ds.classes],
            "mean": [float(v) for v in np.ravel(ds.mean)],
            "std": [float(v) for v in np.ravel(ds.std)],
            "augment_shift": cfg.augment_shift,
            "device": device.type,
            "device_requested": cfg.device,
            "world_size": world,
            "command": command or " ".join(["python", *sys.argv]),
            "versions": versions(),
            "hardware": hardware(device),
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
    )
    return info


def write_config(
    folder: Path,
    info: dict[str, Any],
    status: str,
    metrics: list[dict[str, Any]] | None = None,
    error: str | None = None,
) -> None:
    """Write config.json with ``status`` and, once there are metrics, the final results."""
    out = dict(info, status=status)
    if metrics:
        last = metrics[-1]
        out["final"] = {
            "test_acc": last.get("test_acc"),
            "test_loss": last.get("test_loss"),
            "val_acc": last.get("val_acc"),
            "train_seconds": last.get("seconds"),
            "epochs_run": last.get("epoch"),
        }
    if error:
        out["error"] = error
    atomic_write_json(folder / "config.json", _finite(out))


def write_metrics(folder: Path, metrics: list[dict[str, Any]]) -> None:
    """Rewrite metrics.jsonl (one JSON object per epoch) atomically."""
    lines = [json.dumps(_finite(m), sort_keys=True) for m in metrics]
    atomic_write_text(folder / "metrics.jsonl", "".join(line + "\n" for line in lines))


def _finite(obj: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
