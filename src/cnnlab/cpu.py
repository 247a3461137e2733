"""How many CPU threads torch gets: the cores that are free now, not the cores the machine has.

On a laptop that also runs a browser, a projector and the lab, each of torch's small operations
ends at a barrier where every thread waits for the slowest; one thread on a core that another
program holds makes all of them wait (two threads on two busy cores trained 8× slower than one).
So cnnlab counts what the other programs keep busy at the moment it starts (and again between
epochs), gives torch the idle cores only, and keeps tiny models (8×8 digits, tables) on one thread,
where a step is too short to share.

>>> threads_for(3)  # asked for: used as given
3
>>> threads_for(None, mult_adds=5_888)  # a tiny CNN on 8×8 digits: one thread
1
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

#: multiply-adds per image below which one thread is fastest: a step of the tiny models is a few
#: microseconds of arithmetic, less than waking a second thread costs (small-cnn on 28×28 MNIST
#: does 609,344 and gains from two threads; on 8×8 digits it does 43,904 and loses)
TINY_MULT_ADDS = 100_000
#: how many times, and how far apart in seconds, the run queue is read to count busy cores
SAMPLES, INTERVAL = 12, 0.004


def cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. under ``taskset``)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _running_tasks() -> int | None:
    """Runnable tasks on the whole machine now (Linux ``procs_running``), else None."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("procs_running"):
                return int(line.split()[1])
    return None


def _own_running() -> int:
    """This process's threads that are running or runnable now (its own share of the queue)."""
    count = 0
    with contextlib.suppress(OSError):
        for task in Path("/proc/self/task").iterdir():
            with contextlib.suppress(OSError, IndexError):
                stat = (task / "stat").read_text()
                count += stat[stat.rindex(")") + 2] == "R"
    return max(count, 1)


def busy_elsewhere() -> float:
    """How many cores other programs keep busy now: the machine's runnable tasks less this
    process's own, read a dozen times over ~50 ms and averaged (a program that runs a third of
    the time counts a third). Where the run queue cannot be read, the 1-minute load average."""
    counts = []
    for i in range(SAMPLES):
        total = _running_tasks()
        if total is None:
            with contextlib.suppress(OSError, AttributeError):
                return max(0.0, os.getloadavg()[0] - 1)
            return 0.0
        counts.append(max(0, total - _own_running()))
        if i + 1 < SAMPLES:
            time.sleep(INTERVAL)
    return sum(counts) / len(counts)


def free_cores() -> int:
    """Cores no other program is using now, at least 1."""
    return max(1, min(cores(), round(cores() - busy_elsewhere())))


def threads_for(requested: int | None, mult_adds: int | None = None, share: int = 1) -> int:
    """Threads for torch: ``requested`` when given (``--threads``); one for a tiny model
    (``mult_adds`` per image below :data:`TINY_MULT_ADDS`); else the free cores, split among
    ``share`` processes training together."""
    if requested:
        return int(requested)
    if mult_adds is not None and mult_adds < TINY_MULT_ADDS:
        return 1
    return max(1, free_cores() // max(1, share))


def settle(requested: int | None = None, mult_adds: int | None = None, share: int = 1) -> int:
    """Give torch :func:`threads_for` threads and return that number; 0 (nothing counted, nothing
    set) when this process has not loaded torch."""
    torch = sys.modules.get("torch")  # torch is set up only where a command already uses it
    if torch is None:
        return 0
    n = threads_for(requested, mult_adds, share)
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


@contextlib.contextmanager
def kept_threads() -> Iterator[None]:
    """Restore torch's thread count afterwards: a library call leaves the process as it was."""
    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    try:
        yield
    finally:
        if torch is not None and before is not None:
            torch.set_num_threads(before)
