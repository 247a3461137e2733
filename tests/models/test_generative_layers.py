"""The layers and models that make pictures: convt, reshape, label, latent, and the VAE presets."""

from __future__ import annotations

import pytest
import torch

from cnnlab.errors import CnnlabError, ShapeError
from cnnlab.models import PRESETS, build, summary
from cnnlab.models.build import GenerativeSpecModel, SpecModel

TINY = "flatten latent(2) dense(64) sigmoid reshape(1,8,8)"


@pytest.mark.parametrize(
    ("layer", "shape"),
    [("convt(8,4,stride=2,padding=1)", (3, 7, 7)), ("convt(2,3)", (1, 5, 4)),
     ("convt(4,3,stride=2,padding=1,output_padding=1)", (2, 4, 4)),
     ("deconv(1,5,stride=3,bias=false)", (2, 3, 3))],
)  # fmt: skip
def test_convt_plan_matches_torch(layer, shape):
    model = build(layer, shape)
    out = model(torch.zeros(1, *shape))
    assert tuple(out.shape[1:]) == model.output_shape
    assert summary(model).total_params == sum(p.numel() for p in model.parameters())
    assert summary(model).rows[0].kind == "convt2d"


def test_reshape_label_and_latent_shapes():
    model = build(
        "label flatten latent(3) dense(64) reshape(1,8,8) label convt(1,1)", (1, 8, 8), 10
    )
    shapes = [p.out_shape for p in model.plan]
    assert shapes == [(11, 8, 8), (704,), (13,), (64,), (1, 8, 8), (11, 8, 8), (1, 8, 8)]
    assert model.plan[2].params == (704 + 10) * 6 + 6  # (F + K)·2z + 2z
    assert model(torch.rand(2, 1, 8, 8), torch.tensor([1, 2]))[0].shape == (2, 1, 8, 8)
    # a generative model must end in an image of the input's shape: this one has 11 channels
    with pytest.raises(ShapeError, match="expected 1×8×8 at the end"):
        build("flatten latent(3) dense(64) reshape(1,8,8) label", (1, 8, 8), 10)


@pytest.mark.parametrize(
    ("spec", "classes", "match"),
    [("flatten latent(2) dense(64) reshape(2,4,4)", 10, "needs 32"),
     ("latent(2) dense(64) reshape(1,8,8)", 10, "not flat"),
     (TINY, None, "needs the number of labels"),
     ("flatten latent(2) dense(64) reshape(1,8,8) convt(1,3,stride=2,output_padding=2)", 10,
      "output_padding must be smaller")],
)  # fmt: skip
def test_bad_generative_specs_are_refused_with_the_layer_named(spec, classes, match):
    with pytest.raises(CnnlabError, match=match):
        build(spec, (1, 8, 8), classes)


def test_forward_sample_morph_and_reconstruct():
    model = build(TINY, (1, 8, 8), 10, seed=0)
    assert isinstance(model, GenerativeSpecModel) and model.generative
    x, y = torch.rand(5, 1, 8, 8), torch.arange(5)
    with torch.no_grad():
        recon, mean, logvar = model.train()(x, y)
    assert recon.shape == (5, 1, 8, 8) and mean.shape == logvar.shape == (5, 2)
    assert float(recon.min()) >= 0 and float(recon.max()) <= 1
    model.eval()
    assert torch.equal(model(x, y)[0], model(x, y)[0])  # eval mode takes the code's mean
    assert torch.equal(model.sample(y, seed=3), model.sample(y, seed=3))
    assert not torch.equal(model.sample(y, seed=3), model.sample(y, seed=4))
    assert model.morph(1, 7, 6, seed=0).shape == (6, 1, 8, 8)
    assert model.reconstruct(x, y).shape == (5, 1, 8, 8)


def test_a_morph_starts_and_ends_on_plain_labels():
    model = build(TINY, (1, 8, 8), 10, seed=0).eval()
    walk = model.morph(2, 5, 4, seed=1)
    ends = torch.randn(2, 2, generator=torch.Generator().manual_seed(1))
    assert torch.allclose(walk[0], model.decode(ends[:1], torch.tensor([2]))[0], atol=1e-6)
    assert torch.allclose(walk[-1], model.decode(ends[1:], torch.tensor([5]))[0], atol=1e-6)


def test_vae_presets_are_generative_and_about_the_same_size():
    conv, mlp = (build(name, (1, 28, 28), 10) for name in ("conv-vae", "mlp-vae"))
    assert isinstance(conv, GenerativeSpecModel) and isinstance(mlp, GenerativeSpecModel)
    n_conv, n_mlp = (sum(p.numel() for p in m.parameters()) for m in (conv, mlp))
    assert abs(n_conv - n_mlp) / n_conv < 0.02
    assert summary("conv-vae").total_params == n_conv
    assert any(r.kind == "convt2d" for r in summary("conv-vae").rows)
    assert not any(r.kind.startswith("conv") for r in summary("mlp-vae").rows)
    assert "transposed" in PRESETS["conv-vae"].describe("en")
    assert "traspuestas" in PRESETS["conv-vae"].describe("es")


def test_a_classifier_is_still_a_plain_spec_model():
    assert type(build("lenet5", (1, 28, 28), 10)) is SpecModel
