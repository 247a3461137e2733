"""Settings for the cnnlab.ops tests."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """The oracle calls are tiny: with 2 threads on 2 shared cores, each torch backward pays
    tens of ms of thread hand-off; one thread makes it microseconds. Restored afterwards."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
