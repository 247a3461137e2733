"""cnnlab: see, build, train and compare convolutional neural networks on a laptop CPU."""

from __future__ import annotations

from cnnlab._version import __version__
from cnnlab.errors import CnnlabError

__all__ = ["CnnlabError", "__version__", "load_run"]


def __getattr__(name: str):
    # Lazy so that `import cnnlab.ops` never pulls in torch.
    if name == "load_run":
        from cnnlab.train.run import load_run

        return load_run
    raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")
