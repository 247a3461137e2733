"""An onnxruntime inference path for a run's model (batch-1 latency is far lower than eager).

The model is exported once with the TorchScript-based exporter (``dynamo=False``: it needs no
extra packages) and cached in memory per run and weights file. ONNX files are protobuf, not
pickle.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import Any

import numpy as np
import torch

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.train.checkpoint import WEIGHTS

_CACHE: dict[tuple[str, str], OnnxSession] = {}


class OnnxSession:
    """An onnxruntime session over exported model bytes, taking normalized inputs."""

    def __init__(self, model_bytes: bytes, threads: int = 1):
        try:
            import onnxruntime as ort  # optional and heavy: only for --engine onnx
        except ImportError:
            raise InvalidArgumentError(
                _(
                    "engine 'onnx' needs the onnxruntime package; expected it installed "
                    "(pip install onnxruntime) or --engine torch. Received: engine='onnx'"
                )
            ) from None
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            model_bytes, sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name

    def run(self, x: np.ndarray) -> np.ndarray:
        """Logits (N, K) for normalized float32 input (N, *input_shape)."""
        return self.session.run(None, {self.input_name: np.ascontiguousarray(x, np.float32)})[0]


def export_onnx(model: torch.nn.Module, input_shape: tuple[int, ...]) -> bytes:
    """The model as ONNX bytes with a dynamic batch dimension."""
    buf = io.BytesIO()
    example = torch.zeros((1, *input_shape), dtype=torch.float32)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model.eval(),
            (example,),
            buf,
            dynamo=False,
            input_names=["x"],
            output_names=["logits"],
            dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}},
            opset_version=17,
        )
    return buf.getvalue()


def session_for(run: Any, threads: int = 1) -> OnnxSession:
    """The cached onnxruntime session for ``run``'s current weights."""

    digest = hashlib.sha256((run.path / WEIGHTS).read_bytes()).hexdigest()
    key = (str(run.path.resolve()), digest)
    if key not in _CACHE:
        _CACHE[key] = OnnxSession(export_onnx(run.model, run.input_shape), threads)
    return _CACHE[key]
