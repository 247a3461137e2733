"""Spec layers for text: ``embedding``, ``globalmaxpool`` and ``ngrambag``.

Text reaches a model as character ids, float32 ``(N, 1, L)`` (see :mod:`cnnlab.data.textsets`:
one id per Unicode code point, 0 = padding).

- ``embedding(d, vocab=1024)``: each id becomes a learned vector of ``d`` numbers, giving a
  ``d × L`` sequence that ``conv1d`` slides over (d channels, like the 3 colours of a picture).
  Ids ≥ ``vocab`` are clipped to ``vocab - 1``; id 0 (padding) is the zero vector and is not
  learned. Parameters ``vocab·d``; multiply-adds 0 (a lookup). The ids are code points, not
  UTF-8 bytes: ``vocab=256`` would still work for ASCII but every accented letter would share
  the id 255.
- ``globalmaxpool``: the largest value of each channel over every position, ``(C, L) → (C,)``:
  "did this kernel fire anywhere in the sentence?".
- ``ngrambag(n=3, buckets=1024)``: the bag of character n-grams (1 to ``n`` characters, padding
  excluded) hashed into ``buckets`` counts and divided by their total, ``(1, L) → (buckets,)``;
  no parameters. Its output forgets where each n-gram was: the MLP's view of text.
"""

from __future__ import annotations

import torch
from torch import nn

from cnnlab.models.spec import LayerSpec

Shape = tuple[int, ...]
_PRIME = 1_000_003  # multiplier of the polynomial n-gram hash (ids < 2^10: no int64 overflow)


class CharEmbedding(nn.Module):
    """Ids ``(N, 1, L)`` → vectors ``(N, d, L)``; id 0 is the fixed zero vector."""

    def __init__(self, vocab: int, dim: int) -> None:
        super().__init__()
        self.vocab = vocab
        self.table = nn.Embedding(vocab, dim, padding_idx=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ids = x[:, 0].long().clamp(0, self.vocab - 1)  # (N, L); ids are exact in float32
        return self.table(ids).transpose(1, 2)  # (N, d, L)


class GlobalMaxPool(nn.Module):
    """Largest value over every spatial position: (N, C, *spatial) → (N, C)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(2).amax(dim=2)  # (N, C)


def ngram_ids(ids: torch.Tensor, n: int, buckets: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Hashed bucket and validity (no padding inside) of every 1..n-gram: two (N, M) tensors."""
    hashes, valid = [], []
    for k in range(1, n + 1):
        if ids.shape[1] < k:
            break
        windows = ids.unfold(1, k, 1)  # (N, L-k+1, k)
        powers = torch.tensor([_PRIME**j for j in range(k)], dtype=torch.int64)
        h = (windows * powers).sum(dim=2) + k  # (N, L-k+1); + k: a 1-gram and a 2-gram differ
        hashes.append(torch.remainder(h * 2_654_435_761, buckets))
        valid.append((windows > 0).all(dim=2))
    return torch.cat(hashes, dim=1), torch.cat(valid, dim=1)


class NgramBag(nn.Module):
    """Ids ``(N, 1, L)`` → n-gram frequencies ``(N, buckets)`` (each row sums to 1, or 0)."""

    def __init__(self, n: int, buckets: int) -> None:
        super().__init__()
        self.n, self.buckets = n, buckets

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ids = x[:, 0].long()  # (N, L); ids are exact in float32
        where, valid = ngram_ids(ids, self.n, self.buckets)  # (N, M) each
        counts = torch.zeros(ids.shape[0], self.buckets, dtype=x.dtype, device=x.device)
        counts.scatter_add_(1, where.to(x.device), valid.to(x.dtype))  # (N, buckets)
        return counts / counts.sum(dim=1, keepdim=True).clamp_min(1.0)


def plan_embedding(layer: LayerSpec, shape: Shape, v: dict) -> tuple[str, Shape, int, dict]:
    """(module kind, output shape, parameters, module arguments); the input must be (1, L)."""
    out = (v["d"], shape[1])  # (d, L)
    return "embedding", out, v["vocab"] * v["d"], dict(vocab=v["vocab"], dim=v["d"])


def plan_ngrambag(layer: LayerSpec, shape: Shape, v: dict) -> tuple[str, Shape, int, dict]:
    return "ngrambag", (v["buckets"],), 0, dict(n=v["n"], buckets=v["buckets"])


TEXT_FACTORIES = {"embedding": CharEmbedding, "globalmaxpool": GlobalMaxPool, "ngrambag": NgramBag}
