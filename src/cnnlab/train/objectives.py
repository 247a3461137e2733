"""What a training step minimises: the cross-entropy of a classifier, or the negative evidence
lower bound (ELBO) of a conditional VAE (a model with a ``latent`` layer).

The VAE's loss per image, in nats::

    loss = BCE(reconstruction, x) + KL(N(mean, e^logvar) ‖ N(0, 1))
         = −Σ_pixels [x·log x̂ + (1 − x)·log(1 − x̂)] + ½·Σ_z (mean² + e^logvar − logvar − 1)

Example: a code equal to the prior (mean 0, logvar 0) costs KL = 0; mean 1 in one of its
dimensions costs ½ nat.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F


def is_generative(model: Any) -> bool:
    """True for a model that makes pictures (a DistributedDataParallel wrapper is looked into)."""
    return bool(getattr(getattr(model, "module", model), "generative", False))


def kl_divergence(mean: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mean, e^logvar) ‖ N(0, 1)) of each code, summed over its dimensions: (N,)."""
    return 0.5 * (mean.pow(2) + logvar.exp() - logvar - 1).sum(dim=1)


def vae_terms(model: Any, x_in: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> dict:
    """Per-image reconstruction and KL terms (N,) of a conditional VAE on a batch.

    ``x_in`` is what the encoder reads (normalized), ``x`` the images in [0, 1] to rebuild.
    """
    recon, mean, logvar = model(x_in, y)  # (N, C, H, W), (N, z), (N, z)
    bce = F.binary_cross_entropy(recon.float(), x, reduction="none")  # (N, C, H, W)
    return {"recon": bce.flatten(1).sum(dim=1), "kl": kl_divergence(mean, logvar)}


def batch_loss(
    model: Any, x_in: torch.Tensor, x: torch.Tensor, y: torch.Tensor, smoothing: float
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(mean loss of the batch, how many it labelled right or None for a generative model)."""
    if is_generative(model):
        terms = vae_terms(model, x_in, x, y)
        return (terms["recon"] + terms["kl"]).mean(), None
    logits = model(x_in)  # (B, K)
    loss = F.cross_entropy(logits, y, label_smoothing=smoothing)
    return loss, (logits.detach().argmax(1) == y).sum()


def summed_loss(
    model: Any, x_in: torch.Tensor, x: torch.Tensor, y: torch.Tensor
) -> tuple[float, int | None]:
    """(loss summed over the batch, right answers or None): the evaluation's per-batch part."""
    if is_generative(model):
        terms = vae_terms(model, x_in, x, y)
        return float((terms["recon"] + terms["kl"]).sum()), None
    logits = model(x_in)  # (b, K)
    return F.cross_entropy(logits, y, reduction="sum").item(), int((logits.argmax(1) == y).sum())
