"""Training settings: one typed dataclass, validated when it is created.

>>> TrainConfig(model="small-cnn", dataset="digits", epochs=2).batch_size
256
>>> TrainConfig(model="small-cnn", dataset="mnist", epochs=1).batch_size  # the one-epoch recipe
128
>>> TrainConfig(lr=0)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
InvalidArgumentError: lr must be > 0; ...
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, unknown_name
from cnnlab.models.presets import default_epochs

OPTIMIZERS = ("adamw", "sgd")
SCHEDULES = ("onecycle", "cosine", "constant")
DEVICES = ("auto", "cpu", "cuda", "mps")
TARGET_SPLITS = ("test", "val")
ENGINES = ("torch", "numpy")
BATCH_SIZE, LABEL_SMOOTHING = 256, 0.1  # defaults of a run of several epochs
#: defaults of a one-epoch run (``--epochs 1``): more, smaller steps and lighter smoothing take
#: small-cnn to 99 % on MNIST for every seed 0-4 (docs/benchmarks.md, "One epoch to 99.0 %")
ONE_EPOCH_BATCH_SIZE, ONE_EPOCH_LABEL_SMOOTHING = 128, 0.05
#: the ``cnnlab train`` option of each setting (what a run's "how to reproduce" line writes)
CLI_FLAGS = (
    ("model", "--model"),
    ("dataset", "--dataset"),
    ("epochs", "--epochs"),
    ("batch_size", "--batch-size"),
    ("lr", "--lr"),
    ("optimizer", "--optimizer"),
    ("schedule", "--schedule"),
    ("label_smoothing", "--label-smoothing"),
    ("weight_decay", "--weight-decay"),
    ("augment_shift", "--shift"),
    ("target_accuracy", "--target-accuracy"),
    ("val_fraction", "--val-fraction"),
    ("seed", "--seed"),
    ("engine", "--engine"),
    ("data_dir", "--data-dir"),
)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run (recorded in the run's config.json)."""

    model: str = "small-cnn"  # preset name or spec string, e.g. "conv(8,3) relu flatten dense(10)"
    dataset: str = (
        "digits"  # a cnnlab.data name: digits, mnist, fashion-mnist, mnist1d, folder:PATH
    )
    epochs: int | None = None  # passes over the training split (the most; a target accuracy
    # may stop earlier); None: the model's default, 5 (10 for the generators conv-vae, mlp-vae)
    batch_size: int | None = None  # images per optimizer step (summed over processes under
    # DDP); None: 256, or 128 for a one-epoch run
    lr: float = 0.02  # peak learning rate (the one-cycle maximum, the cosine start)
    optimizer: str = "adamw"  # "adamw" or "sgd" (SGD with Nesterov momentum)
    momentum: float = 0.9  # SGD momentum; unused by AdamW (it uses betas 0.9, 0.999)
    schedule: str = "onecycle"  # "onecycle" (warm-up then anneal), "cosine" or "constant"
    warmup: float = 0.25  # one-cycle: fraction of all steps spent rising to lr
    label_smoothing: float | None = None  # probability mass spread over all classes, in
    # [0, 1); None: 0.1, or 0.05 for a one-epoch run
    weight_decay: float = 5e-4  # decoupled (AdamW) or L2 (SGD) weight decay per step, ≥ 0
    augment_shift: int = 0  # random shift of each training image by up to this many pixels
    target_accuracy: float | None = None  # stop after the first epoch reaching it, in (0, 1]
    target_split: str = "test"  # split whose accuracy is compared with target_accuracy
    seed: int = 0  # seeds weights, batch order and augmentation; same seed on CPU = same weights
    device: str = "auto"  # "auto" picks cuda, then mps, then cpu
    val_fraction: float = 0.1  # share of the training images held out for validation, in [0, 1)
    data_dir: str | None = None  # where data sets are cached (None: the cnnlab default)
    channels_last: bool | None = None  # NHWC memory layout; None: on for 2-D images
    threads: int | None = None  # torch CPU threads (None: leave torch's default)
    eval_batch_size: int = 1024  # images per forward pass when evaluating (memory, not results)
    image_size: tuple[int, int] = (28, 28)  # folder: data sets only: (height, width) after resize
    color: str = "gray"  # folder: data sets only: "gray" (1 channel) or "rgb" (3 channels)
    engine: str = "torch"  # "torch" (autograd) or "numpy" (cnnlab.ops by hand; CPU, slower)

    def __post_init__(self) -> None:
        if self.epochs is None:
            object.__setattr__(self, "epochs", default_epochs(str(self.model)))
        one = self.epochs == 1
        if self.batch_size is None:
            object.__setattr__(self, "batch_size", ONE_EPOCH_BATCH_SIZE if one else BATCH_SIZE)
        if self.label_smoothing is None:
            smoothing = ONE_EPOCH_LABEL_SMOOTHING if one else LABEL_SMOOTHING
            object.__setattr__(self, "label_smoothing", smoothing)
        self._check_numbers()
        self._check_sizes()
        for kind, value, known in (
            ("optimizer", self.optimizer, OPTIMIZERS),
            ("schedule", self.schedule, SCHEDULES),
            ("device", self.device, DEVICES),
            ("target split", self.target_split, TARGET_SPLITS),
            ("color", self.color, ("gray", "rgb")),
            ("engine", self.engine, ENGINES),
        ):
            if value not in known:
                raise unknown_name(kind, value, known)

    def _check_numbers(self) -> None:
        _check_positive_int("epochs", self.epochs)
        _check_positive_int("batch_size", self.batch_size, _("batch size"))
        _check_positive_int("eval_batch_size", self.eval_batch_size)
        if not self.lr > 0:  # also rejects NaN
            raise InvalidArgumentError(
                _(
                    "lr must be > 0; expected a positive learning rate such as 0.01. "
                    "Received: lr={lr!r}",
                    lr=self.lr,
                )
            )
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise InvalidArgumentError(
                _(
                    "target accuracy must be in (0, 1]; expected a fraction such as 0.99. "
                    "Received: target_accuracy={value!r}",
                    value=self.target_accuracy,
                )
            )
        _check_range("label_smoothing", self.label_smoothing, 0.0, 1.0)
        _check_range("val_fraction", self.val_fraction, 0.0, 1.0)
        _check_range("warmup", self.warmup, 0.0, 1.0)
        if not self.weight_decay >= 0:
            raise InvalidArgumentError(
                _(
                    "weight_decay must be >= 0. Received: weight_decay={value!r}",
                    value=self.weight_decay,
                )
            )
        if self.threads is not None:
            _check_positive_int("threads", self.threads)

    def _check_sizes(self) -> None:
        if not isinstance(self.augment_shift, int) or self.augment_shift < 0:
            raise InvalidArgumentError(
                _(
                    "augment_shift must be an int >= 0 (pixels). Received: augment_shift={value!r}",
                    value=self.augment_shift,
                )
            )
        size = tuple(self.image_size)  # config.json gives a list: keep equal to the tuple
        if len(size) != 2:
            raise InvalidArgumentError(
                _(
                    "image_size must be (height, width). Received: image_size={value!r}",
                    value=self.image_size,
                )
            )
        for side in size:
            _check_positive_int("image_size", side, _("each image side"))
        object.__setattr__(self, "image_size", (int(size[0]), int(size[1])))

    def to_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Rebuild from a dict (extra keys, e.g. those config.json adds, are ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)


def image_options(config: dict[str, Any]) -> dict[str, Any]:
    """``image_size`` and ``color`` of a run's config dict, as :func:`cnnlab.data.load` takes them
    (runs written before these settings existed used the defaults, 28×28 gray)."""
    size = config.get("image_size") or (28, 28)
    return {"image_size": (int(size[0]), int(size[-1])), "color": str(config.get("color", "gray"))}


def _check_positive_int(name: str, value: Any, words: str | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(
            _(
                "{words} must be at least 1; expected an int >= 1. Received: {name}={value!r}",
                words=words or name,
                name=name,
                value=value,
            )
        )


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value < high:
        raise InvalidArgumentError(
            _(
                "{name} must be in [{low}, {high}). Received: {name}={value!r}",
                name=name,
                low=low,
                high=high,
                value=value,
            )
        )
