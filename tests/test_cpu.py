"""Threads from the free cores: what other programs keep busy is counted from the run queue, the
process's own threads left out; tiny models and an explicit --threads are kept as they are."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from cnnlab import cpu


def test_asked_threads_are_used_as_given_and_tiny_models_take_one():
    assert cpu.threads_for(3) == 3
    assert cpu.threads_for(None, mult_adds=5_888) == 1  # a tiny CNN on 8×8 digits
    assert cpu.threads_for(2, mult_adds=5_888) == 2  # --threads wins


QUEUES = [(1, 1, 2, 2), (2, 1, 2, 1), (5, 1, 2, 1), (3, 3, 4, 4), (3, 1, 4, 2)]


@pytest.mark.parametrize(("running", "own", "cores", "free"), QUEUES)
def test_free_cores_are_the_cores_less_the_other_programs_running(
    monkeypatch, running, own, cores, free
):
    monkeypatch.setattr(cpu, "_running_tasks", lambda: running)
    monkeypatch.setattr(cpu, "_own_running", lambda: own)
    monkeypatch.setattr(cpu, "cores", lambda: cores)
    monkeypatch.setattr(cpu, "INTERVAL", 0.0)
    assert cpu.free_cores() == free
    assert cpu.threads_for(None, mult_adds=600_000) == free
    assert cpu.threads_for(None, mult_adds=600_000, share=2) == max(1, free // 2)


def test_without_a_run_queue_the_load_average_counts(monkeypatch):
    monkeypatch.setattr(cpu, "_running_tasks", lambda: None)
    monkeypatch.setattr(cpu.os, "getloadavg", lambda: (2.4, 0.0, 0.0))
    assert cpu.busy_elsewhere() == pytest.approx(1.4)


def test_busy_loops_elsewhere_are_counted():
    """Two programs spinning: at least two cores are busy elsewhere whatever else runs."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        assert cpu.busy_elsewhere() >= 1.5
        assert cpu.free_cores() <= max(1, cpu.cores() - 1)
    finally:
        for b in burners:
            b.kill()
            b.wait()


def test_own_threads_are_not_counted_as_busy_elsewhere():
    assert cpu._own_running() >= 1  # this thread, reading the queue, is running


def test_settle_sets_torch_and_kept_threads_restores_it():
    before = torch.get_num_threads()
    with cpu.kept_threads():
        assert cpu.settle(1) == 1 and torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
