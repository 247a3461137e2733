"""``fit``: train a model on a data set and write the run folder.

>>> cfg = TrainConfig(model="small-cnn", dataset="digits", epochs=3)
>>> run = fit(cfg, out="runs/x")  # doctest: +SKIP
>>> run.metrics[-1]["test_acc"]  # doctest: +SKIP
0.97
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cnnlab import cpu, data, models
from cnnlab.data import Dataset
from cnnlab.errors import CheckpointError, InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.train import checkpoint as ckpt
from cnnlab.train import distributed as D
from cnnlab.train import record
from cnnlab.train.config import TrainConfig
from cnnlab.train.loop import (
    Callback,
    evaluate_all,
    make_optimizer,
    make_scheduler,
    out_path,
    schedule_plan,
    steps_per_epoch,
    to_tensors,
    train_epoch,
)
from cnnlab.train.numpy_fit import check_numpy_run, fit_numpy
from cnnlab.train.run import Run, load_run
from cnnlab.train.state import Loop, pack, unpack

#: Settings that may differ between a run and its resumption (they do not change the result).
_RESUME_FREE = {"device", "threads", "data_dir", "eval_batch_size"}


def fit(
    config: TrainConfig,
    out: str | Path | None = None,
    *,
    resume: bool = False,
    callback: Callback | None = None,
    command: str | None = None,
    nproc: int = 1,
    data: Dataset | None = None,
) -> Run | None:
    """Train as ``config`` says, write the run folder ``out``, return the :class:`Run`.

    ``resume=True`` continues ``out`` from its last finished epoch. ``nproc > 1`` trains with
    DistributedDataParallel in that many processes (this one is rank 0); under ``torchrun`` the
    environment decides. Ranks other than 0 return None. ``data`` trains on a Dataset already in
    memory (e.g. a transformed copy of ``config.dataset``) instead of loading ``config.dataset``;
    config.json then records its name as ``data_name`` (one process only). ``config.engine ==
    "numpy"`` trains with :mod:`cnnlab.train.numpy_fit` (CPU, one process, no resume).
    """
    _check_processes(nproc, data)
    if resume and (done := finished_run(config, out)) is not None:
        return done if D.context_from_env().is_main else None  # nothing left: folder untouched
    if config.engine == "numpy":
        return _fit_numpy(config, out, resume, nproc, callback, command, data)
    ctx = D.context_from_env()
    _check_batch(config, max(nproc, ctx.world))
    if nproc > 1 and ctx.world == 1:
        return _launch(config, out, resume, nproc, callback, command)
    return fit_process(
        config, out, resume=resume, ctx=ctx, callback=callback, command=command, data=data
    )


def _launch(config: TrainConfig, out, resume: bool, nproc: int, callback, command) -> Run | None:
    """``nproc`` processes started here, this one rank 0; the folder is checked first, so that
    a refusal comes before any worker starts waiting for this one."""
    folder = str(out_path(out, config))
    _check_folder(Path(folder), config, resume)
    return D.launch(
        nproc,
        lambda c: fit_process(
            config, folder, resume=resume, ctx=c, callback=callback, command=command
        ),
        _rank_worker,
        config.to_dict(),
        folder,
        resume,
    )


def finished_run(config: TrainConfig, out: str | Path | None) -> Run | None:
    """The run in ``out`` (default: ``config``'s folder) when it is already complete, else None.

    Resuming such a run has nothing left to do; its settings must still match ``config``
    (InvalidArgumentError otherwise), as for any resume.
    """
    folder = out_path(out, config)
    if not (folder / "config.json").is_file():
        return None
    run = load_run(folder)
    if run.config.get("status") != "complete":
        return None
    _check_folder(folder, config, resume=True)
    return run


def _fit_numpy(config, out, resume, nproc, callback, command, data) -> Run:
    """The NumPy engine's run, after its own checks and the run folder's."""
    check_numpy_run(config, resume, max(nproc, D.context_from_env().world))
    _check_folder(out_path(out, config), config, resume)
    return fit_numpy(config, out_path(out, config), callback, command, data)


def _check_processes(nproc: Any, data: Dataset | None) -> None:
    if not isinstance(nproc, int) or nproc < 1:
        raise InvalidArgumentError(_("nproc must be an int >= 1. Received: nproc={nproc!r}",
                                     nproc=nproc))  # fmt: skip
    if data is not None and (nproc > 1 or D.context_from_env().world > 1):
        raise InvalidArgumentError(_(
            "a Dataset in memory trains in one process only; expected nproc=1 with data. "
            "Received: nproc={nproc}", nproc=nproc))  # fmt: skip


def _rank_worker(rank: int, world: int, init: str, config: dict, out: str, resume: bool) -> None:
    """Entry point of ranks 1..N-1 started by :func:`cnnlab.train.distributed.launch`."""
    fit_process(TrainConfig.from_dict(config), out, resume=resume,
                ctx=D.DistContext(rank, world, init))  # fmt: skip


def fit_process(
    config: TrainConfig,
    out: str | Path | None,
    *,
    resume: bool = False,
    ctx: D.DistContext | None = None,
    callback: Callback | None = None,
    command: str | None = None,
    data: Dataset | None = None,
) -> Run | None:
    """Train as one rank of ``ctx`` (one process by default); ``data`` as in :func:`fit`."""
    ctx = ctx or D.DistContext()
    folder = out_path(out, config)
    if ctx.is_main:
        _check_folder(folder, config, resume)
    with cpu.kept_threads():  # fit leaves the process's torch threads as it found them
        device = D.resolve_device(config.device)
        joined = D.setup(ctx, device)
        try:
            emit = callback if ctx.is_main else None
            return _train(config, folder, resume, ctx, device, emit, command, data)
        finally:
            D.teardown(joined)


def _check_batch(cfg: TrainConfig, world: int) -> None:
    """Each process needs at least one image per step: batch_size >= processes."""
    if cfg.batch_size < world:
        raise InvalidArgumentError(_(
            "batch size is smaller than the number of processes; expected --batch-size >= "
            "{world} (each process takes a share of every batch). "
            "Received: batch_size={batch_size}, processes={world}", world=world,
            batch_size=cfg.batch_size))  # fmt: skip


def _check_folder(folder: Path, cfg: TrainConfig, resume: bool) -> None:
    exists = (folder / "config.json").is_file()
    if resume:
        saved = load_run(folder).config
        changed = sorted(
            k
            for k, v in cfg.to_dict().items()
            if k not in _RESUME_FREE
            and k in saved
            and saved[k] != (list(v) if isinstance(v, tuple) else v)
        )
        if changed:
            raise InvalidArgumentError(_(
                "cannot resume {folder} with different settings; expected the ones it was "
                "started with. Received changes to: {changed}", folder=folder,
                changed=", ".join(changed)))  # fmt: skip
    elif exists:
        raise CheckpointError(_(
            "{folder} already holds a run; expected a new folder (or --resume to continue "
            "it). Received: --out {folder}", folder=folder))  # fmt: skip


@dataclass
class Setup:
    """What a run trains with: the data set, its tensors on the device, the model and its loop."""

    ds: Dataset
    tensors: Any  # cnnlab.train.loop.Tensors
    model: torch.nn.Module
    spec: str
    loop: Loop
    data_seconds: float  # loading and moving the data
    mult_adds: int  # per image: tiny models train on one thread (cnnlab.cpu)


def _setup(
    cfg: TrainConfig, device: torch.device, ctx: D.DistContext, given: Dataset | None = None
) -> Setup:
    """Load the data, build the model (wrapped for DDP when there are several processes) and
    its optimizer, schedule and random streams, all seeded from ``cfg.seed``."""
    torch.manual_seed(cfg.seed)
    t0 = time.perf_counter()
    if given is not None:
        ds = given
    else:
        ds = data.load(
            cfg.dataset,
            data_dir=cfg.data_dir,
            val_fraction=cfg.val_fraction,
            seed=cfg.seed,
            image_size=cfg.image_size,
            color=cfg.color,
        )
    tensors = to_tensors(ds, device, cfg.channels_last)
    data_seconds = time.perf_counter() - t0
    model = models.build(cfg.model, tuple(ds.input_shape), int(ds.num_classes)).to(device)
    if tensors.channels_last:
        model = model.to(memory_format=torch.channels_last)
    spec = getattr(model, "spec", cfg.model)
    train_model: torch.nn.Module = model
    if ctx.world > 1:
        train_model = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
    opt = make_optimizer(model, cfg)
    total = cfg.epochs * steps_per_epoch(tensors.x_train.shape[0], cfg.batch_size, ctx.world)
    loop = Loop(
        model=train_model,
        optimizer=opt,
        scheduler=make_scheduler(opt, cfg, total),
        perm_gen=torch.Generator().manual_seed(cfg.seed),
        aug_rng=np.random.default_rng(cfg.seed),
    )
    work = sum(p.mult_adds for p in models.plan(spec, ds.input_shape, ds.num_classes)[1])
    return Setup(ds, tensors, model, spec, loop, data_seconds, work)


def _train(
    cfg: TrainConfig,
    folder: Path,
    resume: bool,
    ctx: D.DistContext,
    device: torch.device,
    callback: Callback | None,
    command: str | None,
    given: Dataset | None = None,
) -> Run | None:
    run = _setup(cfg, device, ctx, given)
    info, steps = _run_info(cfg, run, device, command, ctx, given)
    start_epoch, metrics = _restore(folder, run.loop, info) if resume else (0, [])
    if ctx.is_main:
        record.write_config(folder, info, "running")
        record.write_metrics(folder, metrics)
    emit = callback or (lambda _e, _i: None)
    emit("start", {"config": info, "epochs": cfg.epochs, "start_epoch": start_epoch,
                   "steps": steps})  # fmt: skip
    try:
        _epochs(cfg, folder, ctx, run, metrics, start_epoch, emit)
    except BaseException as exc:
        if ctx.is_main:
            error = f"{type(exc).__name__}: {exc}"
            record.write_config(folder, info, "failed", metrics, error=error)
        raise
    if not ctx.is_main:
        return None
    record.write_config(folder, info, "complete", metrics)
    emit("end", {"metrics": metrics})
    return load_run(folder)


def _run_info(cfg, run: Setup, device, command, ctx: D.DistContext, given) -> tuple[dict, int]:
    """``(config.json's content, steps per epoch)``; warns when one batch is the whole split."""
    info = record.run_config(cfg, run.ds, run.spec, device, command, ctx.world)
    info["data_seconds"] = run.data_seconds
    if given is not None:
        info["data_name"] = given.name
    n_train = int(run.tensors.x_train.shape[0])
    steps = steps_per_epoch(n_train, cfg.batch_size, ctx.world)
    if ctx.is_main:
        _warn_big_batch(cfg.batch_size, n_train)
    name, warmup = schedule_plan(cfg, cfg.epochs * steps)
    info["schedule_used"] = {"schedule": name, "warmup": warmup, "steps": cfg.epochs * steps}
    return info, steps


def _warn_big_batch(batch_size: int, n_train: int) -> None:
    """Warn when one batch holds the whole training split: one optimizer step per epoch.

    The batch size is kept as given (it is recorded in config.json); the suggestion is the
    largest power of two <= n_train / 4, e.g. 87 images -> 16.
    """
    if batch_size <= n_train:
        return
    suggest = 1 << (max(n_train // 4, 1).bit_length() - 1)
    warnings.warn(_(
        "batch size {batch_size} is larger than the {n_train} training images: each epoch "
        "is one optimizer step; use --batch-size {suggest} or smaller for small data sets",
        batch_size=batch_size, n_train=n_train, suggest=suggest),
        UserWarning, stacklevel=2)  # fmt: skip


def _epochs(
    cfg: TrainConfig,
    folder: Path,
    ctx: D.DistContext,
    run: Setup,
    metrics: list[dict[str, Any]],
    start_epoch: int,
    emit: Callback,
) -> None:
    """Train the remaining epochs; before each, torch gets the cores free at that moment."""
    data, model, loop = run.tensors, run.model, run.loop
    seconds = metrics[-1]["seconds"] if metrics else 0.0
    for epoch in range(start_epoch + 1, cfg.epochs + 1):
        if _reached(cfg, metrics):
            break
        threads = cpu.settle(cfg.threads, run.mult_adds, ctx.world)
        lr = loop.optimizer.param_groups[0]["lr"]
        on_step = _step_reporter(emit, epoch, ctx.world) if ctx.is_main else None
        stats = train_epoch(loop, data, cfg, ctx, on_step)
        seconds += stats["epoch_seconds"]
        t_eval = time.perf_counter()
        row = {
            "epoch": epoch,
            "train_loss": stats["train_loss"],
            "train_acc": stats["train_acc"],
            **evaluate_all(model, data, cfg),
            "lr": lr,
            "seconds": seconds,
            "images_per_s": stats["images_per_s"],
            "threads": threads,
        }
        row["eval_seconds"] = time.perf_counter() - t_eval
        metrics.append(row)
        if ctx.is_main:
            _save(folder, loop, model, epoch, metrics)
            record.write_metrics(folder, metrics)
        emit("epoch", dict(row))


def _restore(folder: Path, loop: Loop, info: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    """Load the last checkpoint into ``loop``; the epoch it ended and the metrics up to it.

    ``info`` keeps the run's creation time and the command that started it (not ``--resume``).
    """
    tensors, scalars = ckpt.load_state(folder)
    start_epoch = unpack(loop, tensors, scalars)
    metrics = [m for m in scalars.get("metrics", []) if m["epoch"] <= start_epoch]
    saved = load_run(folder).config
    for key in ("created", "command"):
        info[key] = saved.get(key, info[key])
    return start_epoch, metrics


def _step_reporter(emit: Callback, epoch: int, world: int):
    """The ``on_step`` hook of :func:`train_epoch` that emits "step" events with images/s."""

    def on_step(step: int, steps: int, loss: float, acc: float, seen: int, t0: float) -> None:
        rate = seen * world / max(time.perf_counter() - t0, 1e-9)
        info = {"epoch": epoch, "step": step, "steps": steps, "loss": loss, "acc": acc}
        emit("step", {**info, "images_per_s": rate})

    return on_step


def _reached(cfg: TrainConfig, metrics: list[dict[str, Any]]) -> bool:
    if cfg.target_accuracy is None or not metrics:
        return False
    acc = metrics[-1].get(f"{cfg.target_split}_acc")
    return acc is not None and acc >= cfg.target_accuracy


def _save(folder: Path, loop: Loop, model: torch.nn.Module, epoch: int, metrics: list) -> None:
    tensors, scalars = pack(loop, epoch, {"metrics": json.loads(json.dumps(metrics))})
    ckpt.save_state(folder, tensors, scalars)
    ckpt.save_weights(folder / ckpt.WEIGHTS, model.state_dict())
