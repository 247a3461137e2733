"""One pass of the fully-convolutional twin equals the classifier crop by crop."""

from __future__ import annotations

import pytest
import torch

from cnnlab.detect import NotImageClassifierError, fully_convolutional, load_detector
from cnnlab.detect.fcn import crop_scores
from cnnlab.models import build

SPECS = [
    "conv(8,3) relu conv(8,3) relu maxpool(2) conv(16,3) relu maxpool(2) flatten dense(32) relu "
    "dropout dense",
    "conv(8,3) batchnorm relu maxpool(2) conv(8,3,stride=2) relu globalavgpool flatten dense(16) "
    "batchnorm relu dense",
    "flatten dense",
    "conv(4,5) tanh avgpool(2) flatten dense(8) gelu dense",
]


def _random_statistics(model: torch.nn.Module) -> None:
    """Give batch norms statistics other than 0 and 1, so their conversion matters."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm1d | torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            m.weight.data.uniform_(0.5, 1.5)


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("size", [(25, 25), (41, 58), (61, 30)])
def test_one_pass_equals_crop_by_crop(spec, size):
    torch.manual_seed(0)
    model = build(spec, (1, 21, 21), 3, seed=1).eval()
    _random_statistics(model)
    twin = fully_convolutional(model)
    assert twin.window.exact and twin.window.height == 21
    x = torch.randn(1, 1, *size)
    with torch.no_grad():
        one_pass = twin(x)  # (1, K, h, w)
    crops = crop_scores(model, x, twin.window)
    rows, cols = crops.shape[2:]
    assert one_pass.shape[1] == 3 and one_pass.shape[2] >= rows and one_pass.shape[3] >= cols
    torch.testing.assert_close(one_pass[:, :, :rows, :cols], crops, atol=1e-5, rtol=1e-5)


def test_the_stride_is_the_product_of_the_strides():
    spec = "conv(4,3,stride=2) relu maxpool(3) flatten dense"
    twin = fully_convolutional(build(spec, (1, 31, 31), 2))
    assert twin.window.stride == 6


def test_padding_is_flagged_as_not_exact():
    twin = fully_convolutional(build("small-cnn", (1, 28, 28), 10))
    assert not twin.window.exact and twin.window.stride == 8


def test_models_that_cannot_slide_are_refused():
    with pytest.raises(NotImageClassifierError, match="2-D image classifier"):
        fully_convolutional(build("cnn1d", (1, 40), 10))
    with pytest.raises(NotImageClassifierError, match="2-D image classifier"):
        fully_convolutional(torch.nn.Linear(3, 2))


def test_a_trained_run_slides_exactly(bar_run):
    det = load_detector(bar_run)
    x = torch.rand(1, 1, 30, 44)
    with torch.no_grad():
        one_pass = det.net(x)
    crops = crop_scores(bar_run.model, x, det.net.window)
    torch.testing.assert_close(one_pass[..., : crops.shape[2], : crops.shape[3]], crops,
                               atol=1e-5, rtol=1e-5)  # fmt: skip
    assert det.background == 0 and det.defaults.threshold == 0.6
