"""Evaluate a run on a data set: accuracy, loss, per-class precision/recall/F1, confusion matrix.

Precision of class c = TP / (TP + FP), recall = TP / (TP + FN), F1 = their harmonic mean
(scikit-learn's definitions). Example: true [0, 0, 1], predicted [0, 1, 1] gives precision
(1.0, 0.5), recall (0.5, 1.0) and confusion [[1, 1], [0, 1]] (rows true, columns predicted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnlab import data
from cnnlab.errors import ShapeError
from cnnlab.i18n import _
from cnnlab.train.config import image_options


@dataclass
class EvalResult:
    """What :func:`evaluate` measured (arrays are NumPy; K = number of classes)."""

    accuracy: float
    loss: float  # mean cross-entropy (natural log), no label smoothing
    classes: list[str]
    precision: np.ndarray  # (K,)
    recall: np.ndarray  # (K,)
    f1: np.ndarray  # (K,)
    support: np.ndarray  # (K,) true examples per class
    confusion: np.ndarray  # (K, K) int64, rows = true class, columns = predicted class
    y_true: np.ndarray  # (N,)
    y_pred: np.ndarray  # (N,)
    probs: np.ndarray  # (N, K)
    x: np.ndarray  # (N, *input_shape) the evaluated images in [0, 1]
    split: str = "test"
    dataset: str = ""


def evaluate(
    run: Any, dataset: Any = None, split: str = "test", engine: str = "torch"
) -> EvalResult:
    """Evaluate ``run`` on ``split`` of ``dataset`` (None: the run's own data set; a name; or a
    :class:`cnnlab.data.Dataset`). ShapeError when the data does not fit the model."""

    ds = _dataset(run, dataset)
    if tuple(ds.input_shape) != run.input_shape or ds.num_classes != run.num_classes:
        raise ShapeError(_(
            "data set {name!r} does not fit the model; expected inputs {shape} and "
            "{classes} classes. Received: inputs {received} and {received_classes} classes",
            name=ds.name, shape=run.input_shape, classes=run.num_classes,
            received=tuple(ds.input_shape), received_classes=ds.num_classes))  # fmt: skip
    part = getattr(ds, split)
    probs = run.predict(part.x, engine=engine)  # (N, K)
    y_true = np.asarray(part.y, dtype=np.int64)
    y_pred = probs.argmax(axis=1) if len(y_true) else np.zeros(0, np.int64)
    labels = np.arange(run.num_classes)
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # 1.5 s

    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    picked = probs[np.arange(len(y_true)), y_true] if len(y_true) else np.ones(1)
    return EvalResult(
        accuracy=float((y_pred == y_true).mean()) if len(y_true) else 0.0,
        loss=float(-np.log(np.clip(picked, 1e-12, None)).mean()),
        classes=run.classes,
        precision=p,
        recall=r,
        f1=f,
        support=s,
        confusion=confusion_matrix(y_true, y_pred, labels=labels).astype(np.int64),
        y_true=y_true,
        y_pred=y_pred.astype(np.int64),
        probs=probs,
        x=part.x,
        split=split,
        dataset=ds.name,
    )


def _dataset(run: Any, dataset: Any) -> Any:
    if dataset is None:
        return run.dataset()
    if isinstance(dataset, str):
        return data.load(
            dataset,
            data_dir=run.config.get("data_dir"),
            val_fraction=run.config.get("val_fraction", 0.1),
            seed=int(run.config.get("seed", 0)),
            **image_options(run.config),
        )
    return dataset
