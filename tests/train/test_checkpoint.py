"""Checkpoints: no pickle runs, damaged files are refused clearly, writes survive SIGKILL."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import torch
from safetensors.torch import load_file, save_file

from cnnlab.errors import CheckpointError
from cnnlab.train import load_run
from cnnlab.train.checkpoint import load_torch_weights, read_safetensors, save_state, save_weights


class Payload:
    """Pickles into a call of os.system that would create a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def copy_run(run, tmp_path):
    dest = tmp_path / "run"
    shutil.copytree(run.path, dest)
    return dest


def test_pickle_payload_as_weights_runs_nothing(digits_run, tmp_path):
    marker = tmp_path / "pwned"
    folder = copy_run(digits_run, tmp_path)
    (folder / "model.safetensors").write_bytes(pickle.dumps({"w": Payload(marker)}, protocol=2))
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        _ = load_run(folder).model
    torch_file = tmp_path / "weights.pt"
    torch_file.write_bytes(pickle.dumps({"w": Payload(marker)}, protocol=2))
    with pytest.raises(CheckpointError, match="not a safe PyTorch weights file"):
        load_torch_weights(torch_file)
    assert not marker.exists()


def test_pickle_payload_as_resume_state_runs_nothing(digits_run, tmp_path, make_config):
    from cnnlab.train import fit

    marker = tmp_path / "pwned"
    folder = copy_run(digits_run, tmp_path)
    (folder / "state" / "checkpoint.safetensors").write_bytes(pickle.dumps(Payload(marker)))
    saved = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    saved["status"] = "running"  # an interrupted run: resuming reads its state (a complete one
    (folder / "config.json").write_text(json.dumps(saved), encoding="utf-8")  # is left alone)
    cfg = make_config(model="small-cnn", epochs=8, lr=0.02)
    with pytest.raises(CheckpointError, match="not a valid safetensors file"):
        fit(cfg, out=folder, resume=True)
    assert not marker.exists()


def test_plain_state_dict_loads_with_weights_only(tmp_path):
    path = tmp_path / "ok.pt"
    torch.save({"w": torch.arange(3.0)}, path)
    assert torch.equal(load_torch_weights(path)["w"], torch.arange(3.0))


def test_truncated_weights_are_refused(digits_run, tmp_path):
    folder = copy_run(digits_run, tmp_path)
    data = (folder / "model.safetensors").read_bytes()
    for cut in (4, 20, len(data) // 2, len(data) - 1):
        (folder / "model.safetensors").write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match="truncated or tampered"):
            _ = load_run(folder).model


def test_tampered_shapes_are_refused(digits_run, tmp_path):
    folder = copy_run(digits_run, tmp_path)
    weights = load_file(folder / "model.safetensors")
    name = next(k for k, v in weights.items() if v.dim() == 4)
    weights[name] = torch.zeros(3, 3)
    save_file(weights, folder / "model.safetensors")
    with pytest.raises(CheckpointError, match=f"shape mismatch=.*{name}"):
        _ = load_run(folder).model
    del weights[name]
    save_file(weights, folder / "model.safetensors")
    with pytest.raises(CheckpointError, match="missing="):
        _ = load_run(folder).model


@pytest.mark.parametrize("content", [None, "{not json", '{"spec": "flatten dense"}'])
def test_a_folder_that_is_not_a_run(tmp_path, content):
    if content is not None:
        (tmp_path / "config.json").write_text(content)
    with pytest.raises(CheckpointError, match=r"run folder|not valid JSON|lacks required"):
        load_run(tmp_path)
    with pytest.raises(CheckpointError, match="not a cnnlab run folder"):
        load_run(tmp_path / "missing")


def test_header_bytes_are_read_without_trusting_sizes(tmp_path):
    path = tmp_path / "big.safetensors"
    path.write_bytes((2**60).to_bytes(8, "little") + b"{}")
    with pytest.raises(CheckpointError):
        read_safetensors(path)


WRITER = textwrap.dedent(
    """
    import sys, torch
    from pathlib import Path
    from cnnlab.train.checkpoint import save_state, save_weights
    folder = Path(sys.argv[1])
    i = 0
    print("ready", flush=True)
    while True:
        i += 1
        w = {"a": torch.full((256, 256), float(i)), "b": torch.full((1000,), float(i))}
        save_weights(folder / "model.safetensors", w)
        save_state(folder, w, {"epoch": i})
    """
)


def test_sigkill_during_saves_leaves_a_loadable_checkpoint(tmp_path):
    rng = random.Random(0)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if not (tmp_path / "model.safetensors").exists():
            continue  # killed before the first save finished: nothing half-written either
        tensors, _ = read_safetensors(tmp_path / "model.safetensors")
        value = float(tensors["a"][0, 0])
        assert torch.equal(tensors["a"], torch.full((256, 256), value))
        assert torch.equal(tensors["b"], torch.full((1000,), value))
        state, meta = read_safetensors(tmp_path / "state" / "checkpoint.safetensors")
        assert torch.equal(state["a"], torch.full((256, 256), float(state["a"][0, 0])))
        assert '"epoch"' in meta["cnnlab_state"]
    assert (tmp_path / "model.safetensors").exists()
    save_weights(tmp_path / "model.safetensors", {"a": torch.zeros(2)})  # the next good save
    save_state(tmp_path, {"a": torch.zeros(2)}, {"epoch": 0})
    leftovers = [p.name for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []
