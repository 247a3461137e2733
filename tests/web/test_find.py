"""The Find tab: boxes and heat map from the cached default model, a clear message before it is
trained, the lab's picture caps, and the tab driven in Chromium."""

from __future__ import annotations

import base64
import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image

from cnnlab.detect.learn import default_folder
from cnnlab.web import api, finding
from cnnlab.web.limits import Limits

BAR = "conv(8,3) relu maxpool(2) conv(16,3) relu flatten dense(16) relu dense"


@pytest.fixture(scope="module")
def cached_faces(tmp_path_factory):
    """A cache holding a tiny "faces" model (dark squares on light ground), so no test trains
    the real one: (cache folder, that model's run)."""
    from cnnlab.data.dataset import build_dataset
    from cnnlab.train import TrainConfig, fit

    rng = np.random.default_rng(0)
    x = rng.uniform(0.6, 1.0, (1200, 1, 12, 12)).astype(np.float32)
    y = np.arange(1200) % 2
    x[y == 1, :, 3:9, 3:9] = 0.1  # a "face": a dark square in the middle
    ds = build_dataset("squares", "image", (x[:1000], y[:1000]), (x[1000:], y[1000:]),
                       ["non-face", "face"], val_fraction=0.0)  # fmt: skip
    cache = tmp_path_factory.mktemp("cache")
    cfg = TrainConfig(model=BAR, dataset="squares", epochs=3, batch_size=64, lr=0.01, threads=1)
    run = fit(cfg, out=cache / "run", data=ds)
    return cache, run


@pytest.fixture
def with_cache(cached_faces, monkeypatch):
    cache, run = cached_faces
    monkeypatch.setenv("CNNLAB_CACHE", str(cache))
    final = default_folder("faces") / "final"
    if not final.exists():
        shutil.copytree(run.path, final)
        meta = {"what": "faces", "input": "gray", "threshold": 0.8, "min_size": 12,
                "max_size": 48}  # fmt: skip
        (final / "detect.json").write_text(json.dumps(meta))
    return final


def squares_png() -> bytes:
    img = np.full((60, 90), 230, np.uint8)
    img[20:32, 30:42] = 25
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PNG")
    return buf.getvalue()


def test_find_boxes_and_heat_map(with_cache):
    view = finding.find_in_picture("astronaut", squares_png(), "faces", "", "es")
    assert view.message == ""
    assert view.boxed.shape == (60, 90, 3) and view.heat.shape == (60, 90, 3)
    assert view.boxes and "cajas" in view.summary
    x0, y0, x1, y1 = view.boxes[0]["box"]
    assert x0 <= 32 and x1 >= 40 and y0 <= 22 and y1 >= 30  # around the dark square
    assert "," in view.boxes[0]["text"]  # Spanish decimal comma in the score


def test_untrained_model_bad_choices_and_caps(tmp_path, monkeypatch):
    from cnnlab import shipped

    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path))
    assert finding.find_in_picture("astronaut", None, "faces", "", "en").boxes  # the shipped one
    monkeypatch.setattr(shipped, "HERE", tmp_path / "no-shipped-models")
    view = finding.find_in_picture("camera", None, "faces", "", "en")
    assert "model is missing" in view.message and view.boxed is None
    assert "unknown kind" in finding.find_in_picture("camera", None, "cats", "", "en").message
    assert "threshold" in finding.find_in_picture("camera", None, "faces", "x", "en").message
    tiny = Limits(side=64)
    assert "over the lab's limit" in finding.find_in_picture("camera", None, "faces", "", "en",
                                                             tiny).message  # fmt: skip


def test_the_find_event_answers_json(with_cache):
    body = json.dumps({"upload": base64.b64encode(squares_png()).decode(), "what": "faces"})
    answer = json.loads(api.compute(api.Lab(), "en", "find", body.encode()))
    assert answer["boxed"].startswith("data:image/png;base64,") and answer["boxes"]
    assert "find" in api.info(api.Lab(), "en")["events"]


@pytest.mark.browser
@pytest.mark.slow
def test_find_tab_in_chromium(with_cache, chromium, browser_args, tmp_path):
    from cnnlab.web.server import start_background

    sync_api = pytest.importorskip("playwright.sync_api")
    server = start_background("127.0.0.1", 0, "es", [])
    path = tmp_path / "squares.png"
    path.write_bytes(squares_png())
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=browser_args)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(server.url + "/es/", timeout=30_000)
            page.locator("#tab-find").click()
            assert page.locator("#tab-find").inner_text() == "Encuentra"
            page.locator("#find-upload").set_input_files(str(path))
            page.locator("#find-boxes li").first.wait_for(timeout=30_000)
            assert "face" in page.locator("#find-boxes li").first.inner_text()
            assert page.locator("#find-heat").get_attribute("src").startswith("data:image/png")
            assert "cajas" in page.locator("#find-summary").inner_text()
            page.screenshot(path=tmp_path / "find.png", full_page=True)
            browser.close()
    finally:
        server.stop()
