"""Checkpoints without pickle: tensors in safetensors, everything else in JSON.

A run folder holds ``model.safetensors`` (the weights, for people and other tools) and
``state/checkpoint.safetensors``: the weights again plus optimizer tensors and RNG states, with
the scalars (epoch, optimizer hyper-parameters, scheduler state, NumPy RNG state) as JSON in the
file's metadata. One file means the resume state can never be half from one epoch and half from
the next. Both are written atomically through :mod:`cnnlab.fileio`.

Nothing here unpickles: safetensors parses a JSON header and raw bytes. Plain PyTorch files are
read only through :func:`load_torch_weights`, which uses ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from cnnlab.errors import CheckpointError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import _

WEIGHTS = "model.safetensors"
STATE = "state/checkpoint.safetensors"
_META_KEY = "cnnlab_state"


def save_weights(path: str | os.PathLike, state_dict: dict[str, torch.Tensor]) -> None:
    """Write a state_dict as safetensors, atomically."""
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in state_dict.items()}
    _write(Path(path), st_save(tensors, metadata={"format": "pt"}))


def _write(path: Path, data: bytes) -> None:
    """Atomic write, then remove temporaries a killed earlier writer of ``path`` left behind."""
    atomic_write_bytes(path, data)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def read_safetensors(path: str | os.PathLike) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Parse a safetensors file into (tensors, metadata); CheckpointError if it is not one."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(
            _(
                "checkpoint file not found; expected {name}. Received: {path}",
                name=path.name,
                path=path,
            )
        )
    data = path.read_bytes()
    try:
        tensors = st_load(data)
        header_len = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + header_len])
    except (SafetensorError, ValueError, UnicodeDecodeError, OverflowError) as exc:
        raise CheckpointError(
            _(
                "{path} is not a valid safetensors file (truncated or tampered?); expected a "
                "safetensors header followed by tensor data. Received: {size} bytes, "
                "{error}: {exc}",
                path=path,
                size=len(data),
                error=type(exc).__name__,
                exc=exc,
            )
        ) from None
    return tensors, dict(header.get("__metadata__") or {})


def load_weights_into(model: torch.nn.Module, path: str | os.PathLike) -> None:
    """Load ``path`` into ``model``, checking names and shapes against the model's spec."""
    tensors, _meta = read_safetensors(path)
    apply_weights(model, tensors, str(path))


def apply_weights(model: torch.nn.Module, tensors: dict[str, torch.Tensor], label: str) -> None:
    """``model.load_state_dict`` with a CheckpointError naming any missing/extra/misshaped key."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(tensors))
    extra = sorted(set(tensors) - set(expected))
    wrong = [
        f"{k}: {tuple(tensors[k].shape)} vs {tuple(v.shape)}"
        for k, v in expected.items()
        if k in tensors and tensors[k].shape != v.shape
    ]
    if missing or extra or wrong:
        raise CheckpointError(
            _(
                "{label} does not match the model's spec; expected its tensors and shapes. "
                "Received: missing={missing}, unexpected={extra}, shape mismatch={wrong}",
                label=label,
                missing=missing[:5],
                extra=extra[:5],
                wrong=wrong[:5],
            )
        )
    model.load_state_dict(tensors, strict=True)


def save_state(run_dir: Path, tensors: dict[str, torch.Tensor], scalars: dict[str, Any]) -> None:
    """Write the resume state (tensors + JSON scalars) as one atomic safetensors file."""
    flat = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    meta = {_META_KEY: json.dumps(scalars)}
    _write(run_dir / STATE, st_save(flat, metadata=meta))


def load_state(run_dir: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Read what :func:`save_state` wrote; CheckpointError when missing or damaged."""
    path = run_dir / STATE
    if not path.is_file():
        raise CheckpointError(
            _(
                "no resume state in {run_dir}; expected {state} written after a finished epoch. "
                "Received: a folder without it",
                run_dir=run_dir,
                state=STATE,
            )
        )
    tensors, meta = read_safetensors(path)
    try:
        scalars = json.loads(meta[_META_KEY])
    except (KeyError, ValueError) as exc:
        raise CheckpointError(
            _(
                "{path} has no readable cnnlab state; expected JSON metadata {key!r}. "
                "Received: {error}",
                path=path,
                key=_META_KEY,
                error=type(exc).__name__,
            )
        ) from None
    return tensors, scalars


def load_torch_weights(path: str | os.PathLike) -> dict[str, torch.Tensor]:
    """Read a plain PyTorch state_dict file with ``torch.load(weights_only=True)``.

    A file whose pickle would import or call anything beyond tensors and containers (a
    ``__reduce__`` payload) is refused before any of it runs.
    """
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(_("checkpoint file not found. Received: {path}", path=path)) from None
    except Exception as exc:  # UnpicklingError and friends: refuse, run nothing
        raise CheckpointError(
            _(
                "{path} is not a safe PyTorch weights file; expected tensors only "
                "(loaded with weights_only=True). Received: {error}: {detail}",
                path=path,
                error=type(exc).__name__,
                detail=str(exc).splitlines()[0] if str(exc) else "",
            )
        ) from None
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointError(
            _(
                "{path} does not hold a state_dict; expected a dict of tensors. Received: {kind}",
                path=path,
                kind=type(obj).__name__,
            )
        )
    return obj
