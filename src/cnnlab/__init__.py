"""cnnlab: see, build, train and compare convolutional neural networks on a laptop CPU."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from cnnlab.errors import CnnlabError

try:
    __version__ = version("cnnlab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["CnnlabError", "__version__", "load_run"]


def __getattr__(name: str):
    # Lazy so that `import cnnlab.ops` never pulls in torch.
    if name == "load_run":
        from cnnlab.train.run import load_run

        return load_run
    raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")
