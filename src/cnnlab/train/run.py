"""A finished (or running) training run, read back from its folder.

>>> run = load_run("runs/x")  # doctest: +SKIP
>>> run.predict(images)       # doctest: +SKIP  (N, K) probabilities
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cnnlab import data, models
from cnnlab.errors import CheckpointError, InvalidArgumentError, ShapeError
from cnnlab.i18n import N_, _, unknown_name
from cnnlab.train.checkpoint import WEIGHTS, load_weights_into
from cnnlab.train.config import image_options
from cnnlab.train.images import load_image, style_for
from cnnlab.train.objectives import is_generative
from cnnlab.train.onnx_engine import session_for

REQUIRED = ("spec", "input_shape", "num_classes", "mean", "std", "dataset")
ENGINES = ("auto", "torch", "onnx")


class Run:
    """A run folder: its config, metrics, model and the preprocessing it was trained with."""

    def __init__(self, path: Path, config: dict[str, Any], metrics: list[dict[str, Any]]):
        self.path = path
        self.config = config
        self.metrics = metrics

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r}, spec={self.config['spec']!r})"

    @property
    def classes(self) -> list[str]:
        return list(self.config.get("classes") or range(self.num_classes))

    @property
    def num_classes(self) -> int:
        return int(self.config["num_classes"])

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(v) for v in self.config["input_shape"])

    @functools.cached_property
    def model(self) -> torch.nn.Module:
        """The trained nn.Module on CPU in eval mode; it expects normalized input."""

        # Built outside inference mode even when first touched inside it, so the weights stay
        # ordinary tensors that gradient users (Grad-CAM, fine-tuning) can differentiate.
        with torch.inference_mode(False):
            model = models.build(self.config["spec"], self.input_shape, self.num_classes)
            load_weights_into(model, self.path / WEIGHTS)
        return model.eval()

    def preprocess(self, x: Any) -> torch.Tensor:
        """Images in [0, 1], (N, *input_shape) or one (*input_shape) → normalized float tensor.

        ``x`` may also be a PNG/JPEG path (or a list of paths), read as ``cnnlab predict`` reads it.
        """
        x = self._read_files(x)
        t = torch.as_tensor(np.asarray(x, dtype=np.float32) if not torch.is_tensor(x) else x)
        t = t.to(torch.float32)
        if tuple(t.shape) == self.input_shape:
            t = t.unsqueeze(0)  # (1, C, H, W)
        if t.dim() != len(self.input_shape) + 1 or tuple(t.shape[1:]) != self.input_shape:
            raise ShapeError(
                _(
                    "input shape does not fit the model; expected (N, {shape}). Received: "
                    "{received}",
                    shape=", ".join(map(str, self.input_shape)),
                    received=tuple(t.shape),
                )
            )
        view = (1, -1) + (1,) * (len(self.input_shape) - 1)
        mean = torch.tensor(self.config["mean"], dtype=torch.float32).view(view)
        std = torch.tensor(self.config["std"], dtype=torch.float32).view(view)
        return (t - mean) / std

    def _read_files(self, x: Any) -> Any:
        """Paths → (N, C, H, W) images in [0, 1] for this run; anything else unchanged."""
        paths = [x] if isinstance(x, (str, os.PathLike)) else x
        if not (isinstance(paths, (list, tuple)) and paths):
            return x
        if not all(isinstance(p, (str, os.PathLike)) for p in paths):
            return x

        style = style_for(self.config)
        return np.stack([load_image(p, self.input_shape, style) for p in paths])  # (N, C, H, W)

    def predict(self, x: Any, engine: str = "torch", batch_size: int = 1024) -> np.ndarray:
        """Class probabilities (N, K) for images ``x`` in [0, 1]."""
        if engine not in ENGINES:
            raise unknown_name(N_("engine"), engine, ENGINES)
        if is_generative(self.model):
            raise InvalidArgumentError(
                _(
                    "{path} holds a generative model, which makes digits instead of labelling "
                    "them; expected a classifier run (use cnnlab generate for this one). "
                    "Received: {spec}",
                    path=self.path,
                    spec=self.config["spec"][:80],
                )
            )
        xt = self.preprocess(x)  # (N, C, H, W)
        if engine == "onnx" or (engine == "auto" and _has_onnxruntime()):
            logits = session_for(self).run(xt.numpy())  # (N, K)
            return _softmax(logits)
        out = []
        with torch.no_grad():
            for i in range(0, xt.shape[0], batch_size):
                out.append(torch.softmax(self.model(xt[i : i + batch_size]), dim=1).numpy())
        return np.concatenate(out) if out else np.zeros((0, self.num_classes), np.float32)

    def dataset(self, val_fraction: float | None = None) -> Any:
        """The run's data set, split as in training (same seed and validation share)."""

        vf = self.config.get("val_fraction", 0.1) if val_fraction is None else val_fraction
        return data.load(
            self.config["dataset"],
            data_dir=self.config.get("data_dir"),
            val_fraction=vf,
            seed=int(self.config.get("seed", 0)),
            **image_options(self.config),
        )


def load_run(path: str | os.PathLike) -> Run:
    """Open a run folder; CheckpointError if it is not one (or its config is damaged)."""
    folder = Path(path)
    cfg_file = folder / "config.json"
    if not folder.is_dir() or not cfg_file.is_file():
        raise CheckpointError(
            _(
                "{folder} is not a cnnlab run folder; expected a folder with config.json and "
                "{weights} (made by `cnnlab train`). Received: {what}",
                folder=folder,
                weights=WEIGHTS,
                what=_("a folder without config.json") if folder.is_dir() else _("no such folder"),
            )
        )
    try:
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CheckpointError(
            _(
                "{file} is not valid JSON; expected the config cnnlab wrote. Received: {exc}",
                file=cfg_file,
                exc=exc,
            )
        ) from None
    missing = [k for k in REQUIRED if not isinstance(config, dict) or k not in config]
    if missing:
        raise CheckpointError(
            _(
                "{file} lacks required entries; expected {required}. Received: missing {missing}",
                file=cfg_file,
                required=", ".join(REQUIRED),
                missing=", ".join(missing),
            )
        )
    return Run(folder, config, _read_metrics(folder / "metrics.jsonl"))


def _read_metrics(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                raise CheckpointError(
                    _(
                        "{path} line {n} is not JSON; expected one object per epoch. "
                        "Received: {line!r}",
                        path=path,
                        n=n,
                        line=line[:60],
                    )
                ) from None
    return rows


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _has_onnxruntime() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True
