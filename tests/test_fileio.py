"""Atomic writes leave the old file or the new one, never a partial file."""

from __future__ import annotations

import json
import os
import stat

import pytest

from cnnlab.fileio import atomic_write_bytes, atomic_write_json, atomic_writer


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "a.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.bin"]


def test_failure_keeps_previous_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.json"
    atomic_write_json(target, {"v": 1})
    with pytest.raises(RuntimeError), atomic_writer(target, "w") as fh:
        fh.write("{broken")
        raise RuntimeError("killed mid-write")
    assert json.loads(target.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "report.html"
    atomic_write_bytes(target, b"<html></html>")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_rejects_unknown_mode(tmp_path):
    with pytest.raises(ValueError, match="mode must be"), atomic_writer(tmp_path / "x", "a"):
        pass
