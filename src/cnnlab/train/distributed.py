"""Devices and data-parallel training across processes (DistributedDataParallel).

A run is distributed when it starts under ``torchrun`` (the environment holds ``RANK`` and
``WORLD_SIZE``) or when :func:`cnnlab.train.fit` gets ``nproc > 1``: then this process becomes
rank 0 and starts ranks 1..N-1 itself. Backends: gloo on CPU, NCCL on CUDA. Every rank draws the
same batch order from the same seed and trains on its own share of each batch; gradients are
averaged by DDP; only rank 0 writes the run folder.
"""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing as mp
import os
import socket
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist

from cnnlab.errors import InvalidArgumentError, TrainingError
from cnnlab.i18n import _


def resolve_device(name: str) -> torch.device:
    """``auto`` → cuda, then mps, then cpu; an explicit device must be available."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
    }
    if not available.get(name, False):
        known = ", ".join(["auto", "cpu"] + [k for k in ("cuda", "mps") if available[k]])
        raise InvalidArgumentError(
            _(
                "device {name!r} is not available on this machine; expected one of: {known}. "
                "Received: device={name!r}",
                name=name,
                known=known,
            )
        )
    return torch.device(name)


@dataclass(frozen=True)
class DistContext:
    """Where this process stands in a (possibly one-process) training job."""

    rank: int = 0
    world: int = 1
    init_method: str | None = None  # None: already initialized, or env:// under torchrun

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def context_from_env() -> DistContext:
    """The context torchrun describes in the environment (rank 0 of 1 when it does not)."""
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        return DistContext(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), "env://")
    return DistContext()


def setup(ctx: DistContext, device: torch.device) -> bool:
    """Join the process group when ``ctx`` spans several processes; True if this call joined."""
    if ctx.world == 1 or dist.is_initialized():
        return False
    if device.type == "cuda":
        local = int(os.environ.get("LOCAL_RANK", ctx.rank)) % max(torch.cuda.device_count(), 1)
        torch.cuda.set_device(local)
    dist.init_process_group(
        backend="nccl" if device.type == "cuda" else "gloo",
        init_method=ctx.init_method or "env://",
        rank=ctx.rank,
        world_size=ctx.world,
        timeout=datetime.timedelta(seconds=120),
    )
    return True


def teardown(joined: bool) -> None:
    """Leave the process group if :func:`setup` joined it."""
    if joined and dist.is_initialized():
        dist.destroy_process_group()


def all_sum(values: list[float], device: torch.device) -> list[float]:
    """Sum ``values`` over all ranks (identity in a one-process run)."""
    if not (dist.is_available() and dist.is_initialized()):
        return values
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(nproc: int, run_rank0: Any, worker: Any, config: dict, out: str, resume: bool) -> Any:
    """Start ranks 1..nproc-1 as processes, run rank 0 here via ``run_rank0(ctx)``, join.

    ``worker(rank, world, init_method, config, out, resume)`` is the entry point of the other
    ranks: a module-level function (spawned processes import it by name), passed in by the
    caller so that this module never imports the training loop that imports it.
    """
    init_method = f"tcp://127.0.0.1:{free_port()}"
    spawn = mp.get_context("spawn")
    workers = [
        spawn.Process(target=worker, args=(r, nproc, init_method, config, out, resume))
        for r in range(1, nproc)
    ]
    for w in workers:
        w.start()
    try:
        result = run_rank0(DistContext(0, nproc, init_method))
    finally:
        for w in workers:
            w.join(timeout=180)
            if w.is_alive():
                w.kill()
                w.join()
    bad = [w.exitcode for w in workers if w.exitcode != 0]
    if bad:
        raise TrainingError(
            _(
                "{failed} of {workers} worker processes failed; expected all to finish. "
                "Received: exit codes {codes}",
                failed=len(bad),
                workers=nproc - 1,
                codes=bad,
            )
        )
    return result
