"""The text layers: embedding, globalmaxpool and ngrambag, planned and built from specs."""

from __future__ import annotations

import pytest
import torch

from cnnlab.data.textsets import encode
from cnnlab.errors import ShapeError
from cnnlab.models import build, plan, summary
from cnnlab.models.textlayers import ngram_ids

SHAPE = (1, 32)


def test_embedding_turns_ids_into_channels_and_keeps_padding_zero():
    model = build("embedding(4,vocab=300)", SHAPE)
    x = torch.as_tensor(encode(["añb", "Ω"], 32))  # Ω (937) is above vocab: the last id
    out = model(x)  # (2, 4, 32)
    table = model.embed1.table.weight
    assert out.shape == (2, 4, 32)
    assert torch.equal(out[0, :, 1], table[ord("ñ")]) and torch.equal(out[1, :, 0], table[299])
    assert torch.count_nonzero(out[0, :, 3:]) == 0  # padding is the zero vector
    assert summary(model).total_params == 300 * 4


def test_globalmaxpool_is_the_largest_value_of_each_channel():
    model = build("embedding(3) conv1d(5,3) relu globalmaxpool", SHAPE)
    x = torch.as_tensor(encode(["hola mundo"], 32))
    inner = model.relu1(model.conv1(model.embed1(x)))  # (1, 5, 30)
    assert torch.equal(model(x), inner.amax(dim=2)) and model.output_shape == (5,)


def test_ngrambag_counts_ngrams_without_padding_and_sums_to_one():
    bag = build("ngrambag(2,64)", SHAPE)
    x = torch.as_tensor(encode(["abab", ""], 32))
    out = bag(x)  # (2, 64)
    assert out.shape == (2, 64) and torch.allclose(out[0].sum(), torch.tensor(1.0))
    assert torch.count_nonzero(out[1]) == 0  # an empty text has no n-grams
    ids = x[:, 0].long()
    where, valid = ngram_ids(ids, 2, 64)
    assert int(valid[0].sum()) == 4 + 3  # 4 one-grams and 3 two-grams, none with padding
    counts = torch.bincount(where[0][valid[0]], minlength=64).float()
    assert torch.allclose(out[0], counts / 7)


def test_one_grams_forget_the_order_but_a_kernel_does_not():
    a, b = encode(["roma"], 32), encode(["amor"], 32)
    bag = build("ngrambag(1,256)", SHAPE)
    assert torch.equal(bag(torch.as_tensor(a)), bag(torch.as_tensor(b)))
    cnn = build("embedding(4) conv1d(3,2) relu globalmaxpool", SHAPE, seed=0)
    assert not torch.equal(cnn(torch.as_tensor(a)), cnn(torch.as_tensor(b)))


@pytest.mark.parametrize(
    ("spec", "shape", "match"),
    [
        ("conv1d(4,3) embedding(8)", SHAPE, "is not a row of character ids"),
        ("embedding(8)", (3, 32), "is not a row of character ids"),
        ("ngrambag(3) ngrambag(3)", SHAPE, "is not a row of character ids"),
    ],
)
def test_text_layers_refuse_inputs_that_are_not_text(spec, shape, match):
    with pytest.raises(ShapeError, match=match):
        plan(spec, shape)


def test_canonical_specs_round_trip():
    spec, planned = plan("embed(16) conv1d(8,5,padding=2) relu gmp dense", (1, 40), 6)
    assert spec == "embedding(16) conv1d(8,5,padding=2) relu globalmaxpool dense(6)"
    assert [p.name for p in planned][:2] == ["embed1", "conv1"]
    bag_spec, _ = plan("ngrambag(4, 512) dense", (1, 40), 6)
    assert bag_spec == "ngrambag(4,buckets=512) dense(6)"
    assert plan(bag_spec, (1, 40), 6)[0] == bag_spec
