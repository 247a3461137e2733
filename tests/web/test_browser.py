"""The browser lab end to end: served on 127.0.0.1, driven by headless Chromium (Playwright)."""

from __future__ import annotations

import pytest

from cnnlab.web.server import start_background

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.*"),
    pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*"),
]

WAIT_MS = 30_000  # every wait in the page is bounded
CLIP = {"x": 0, "y": 0, "width": 1300, "height": 1000}


@pytest.fixture(scope="module")
def lab(web_run):
    """The lab on a free port of 127.0.0.1, stopped at the end."""
    server = start_background("127.0.0.1", 0, "en", str(web_run.path))
    yield server
    server.stop()
    assert not server.thread.is_alive()


@pytest.fixture(scope="module")
def page(lab, chromium, browser_args):
    """One Chromium page; requests to anything but the lab are refused and recorded."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args)
        tab = browser.new_page(viewport={"width": 1300, "height": 1000})
        tab.outside = []

        def only_the_lab(route):
            if route.request.url.startswith(lab.url):
                return route.continue_()
            tab.outside.append(route.request.url)
            return route.abort()

        tab.route("**/*", only_the_lab)
        tab.on("pageerror", lambda exc: tab.outside.append(f"page error: {exc}"))
        yield tab
        browser.close()


def compute(page, kernel: str) -> None:
    box = page.get_by_label("Kernel (filter): a name, or rows separated by ; and numbers by ,")
    box.fill(kernel)
    page.locator("#conv-compute").click()


def test_convolution_tab_shows_the_deck_and_survives_bad_input(lab, page, tmp_path):
    page.goto(lab.url + "/", timeout=WAIT_MS)  # redirects to /en/
    assert page.url.endswith("/en/")
    mark = page.locator("table.matrix td.mark")
    mark.first.wait_for(timeout=WAIT_MS)  # the deck's example is computed on load
    compute(page, "1,0,-1;1,0,1;1,1,1")
    page.get_by_text("= 750").wait_for(timeout=WAIT_MS)
    assert mark.first.inner_text() == "750"
    row0 = page.locator("table.matrix").first.locator("tbody tr").first.locator("td")
    assert row0.all_inner_texts()[:4] == ["750", "750", "915", "660"]
    page.screenshot(path=tmp_path / "convolution.png", full_page=True)
    page.screenshot(path=tmp_path / "convolution-top.png", clip=CLIP)  # docs/img's picture

    compute(page, "1,0;x")
    error = page.locator(".cnnlab-error")
    error.wait_for(timeout=WAIT_MS)
    assert "kernel rows have different lengths" in error.inner_text()
    page.screenshot(path=tmp_path / "convolution-error.png", full_page=True)

    compute(page, "deck")  # the page still works after the error
    error.wait_for(state="detached", timeout=WAIT_MS)
    page.get_by_text("= 750").wait_for(timeout=WAIT_MS)
    assert page.outside == []


def test_model_tab_spec_error_and_spanish_page(lab, page, tmp_path):
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Model").click()
    page.locator("#model-summarize").click()
    page.get_by_text("61,706").first.wait_for(timeout=WAIT_MS)
    spec = page.get_by_label("Preset or spec, e.g. conv(16,3) relu maxpool(2) flatten dense")
    spec.fill("conv(16,3) relu flaten dense")
    spec.press("Enter")
    page.locator("#model-summarize").click()
    page.locator(".cnnlab-error").get_by_text("unknown layer 'flaten'").wait_for(timeout=WAIT_MS)
    page.screenshot(path=tmp_path / "model-error.png", full_page=True)

    page.get_by_role("link", name="Español").click()
    page.get_by_role("tab", name="Convolución").wait_for(timeout=WAIT_MS)
    assert page.url.endswith("/es/")
    page.get_by_text("Producto punto").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=tmp_path / "es.png", full_page=True)
    assert page.outside == []


def test_draw_a_digit_gives_top_three(lab, page, tmp_path):
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Draw a digit").click()
    page.get_by_text("digits-run").first.wait_for(timeout=WAIT_MS)  # the run is loaded
    page.locator("#draw-predict").click()  # nothing drawn yet
    page.locator("#draw-note").get_by_text("The canvas is empty").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Brush").click()
    canvas = page.locator("canvas").first
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + 0.5 * w, y + 0.2 * h)  # a vertical stroke: a "1"
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(x + 0.5 * w, y + (0.2 + 0.05 * step) * h)
    page.mouse.up()
    page.locator("#draw-predict").click()
    label = page.locator("[data-testid='label-output-value']")
    label.first.wait_for(timeout=WAIT_MS)
    page.get_by_text("%").first.wait_for(timeout=WAIT_MS)
    assert page.locator("#draw-note").inner_text().strip() == ""  # the hint is gone
    page.screenshot(path=tmp_path / "draw.png", full_page=True)
    assert page.outside == []
