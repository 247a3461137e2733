"""The browser lab end to end: served on 127.0.0.1, driven by headless Chromium (Playwright)."""

from __future__ import annotations

import pytest

from cnnlab.web.server import start_background

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*"),
]

WAIT_MS = 30_000  # every wait in the page is bounded
CLIP = {"x": 0, "y": 0, "width": 1300, "height": 1000}


@pytest.fixture(scope="module")
def lab(web_run, web_mlp):
    """The lab on a free port of 127.0.0.1 with a CNN and an MLP, stopped at the end."""
    server = start_background("127.0.0.1", 0, "en", [web_run, web_mlp])
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
    mark = page.locator("#conv-table td.mark")
    mark.first.wait_for(timeout=WAIT_MS)  # the deck's example is computed on load
    compute(page, "1,0,-1;1,0,1;1,1,1")
    page.get_by_text("= 750").wait_for(timeout=WAIT_MS)
    assert mark.first.inner_text() == "750"
    row0 = page.locator("#conv-table table.matrix tbody tr").first.locator("td")
    assert row0.all_inner_texts()[:4] == ["750", "750", "915", "660"]
    page.screenshot(path=tmp_path / "convolution.png", full_page=True)
    page.screenshot(path=tmp_path / "convolution-top.png", clip=CLIP)  # docs/img's picture

    row0.nth(2).click()  # a click on a cell explains that cell
    page.get_by_text("= 915").wait_for(timeout=WAIT_MS)
    assert page.locator("#conv-col").input_value() == "2"

    compute(page, "1,0;x")
    error = page.locator("#conv-error .cnnlab-error")
    error.wait_for(timeout=WAIT_MS)
    assert "kernel rows have different lengths" in error.inner_text()
    page.screenshot(path=tmp_path / "convolution-error.png", full_page=True)

    page.get_by_label("Padding (p): a number, ROWS,COLS, valid, same or full").fill("3000")
    compute(page, "deck")
    page.get_by_text("padding is over the lab's limit").wait_for(timeout=WAIT_MS)

    page.get_by_label("Padding (p): a number, ROWS,COLS, valid, same or full").fill("0")
    compute(page, "deck")  # the page still works after the errors, on the cell clicked
    error.wait_for(state="detached", timeout=WAIT_MS)
    page.get_by_text("= 915").wait_for(timeout=WAIT_MS)
    assert page.outside == []


def _click_cell(page, picture: str, row: int, col: int, shape: tuple[int, int]) -> None:
    """Click the middle of cell (row, col) of a map picture showing ``shape`` cells."""
    box = page.locator(picture).bounding_box()
    page.mouse.click(box["x"] + (col + 0.5) / shape[1] * box["width"],
                     box["y"] + (row + 0.5) / shape[0] * box["height"])  # fmt: skip


def _near(box: dict, picture: dict, rect: tuple[int, int, int, int], shape) -> bool:
    """Whether an outline ``box`` covers rows/cols [top, bottom) × [left, right) of a picture
    of ``shape`` pixels on screen at ``picture`` (within 3 screen pixels)."""
    top, left, bottom, right = rect
    want = {
        "x": picture["x"] + left / shape[1] * picture["width"],
        "y": picture["y"] + top / shape[0] * picture["height"],
        "width": (right - left) / shape[1] * picture["width"],
        "height": (bottom - top) / shape[0] * picture["height"],
    }
    return all(abs(box[k] - want[k]) <= 3 for k in want)


def test_clicking_the_map_picture_selects_a_cell_and_outlines_its_window(lab, page, tmp_path):
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.locator("#conv-table td.mark").first.wait_for(timeout=WAIT_MS)
    compute(page, "deck")  # the deck's 3×3 kernel on bidoof-worked (20×19): an 18×17 map
    page.get_by_text("Feature map 18×17").wait_for(timeout=WAIT_MS)
    _click_cell(page, "#conv-map", 3, 5, (18, 17))
    page.wait_for_function("document.getElementById('conv-row').value === '3' && "
                           "document.getElementById('conv-col').value === '5'")  # fmt: skip
    marked = page.locator("#conv-table table.matrix tbody tr").nth(3).locator("td").nth(5)
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(marked).to_have_class("mark", timeout=WAIT_MS)
    page.get_by_text(f"= {marked.inner_text()}").first.wait_for(timeout=WAIT_MS)
    picture = page.locator("#conv-input").bounding_box()
    window = page.locator("#conv-input-mark")
    assert window.is_visible()
    assert _near(window.bounding_box(), picture, (3, 5, 6, 8), (20, 19))  # rows 3-5, cols 5-7
    cell = page.locator("#conv-map-mark").bounding_box()
    assert _near(cell, page.locator("#conv-map").bounding_box(), (3, 5, 4, 6), (18, 17))
    page.screenshot(path=tmp_path / "convolution-clicked.png", full_page=True)

    page.locator("#conv-row").fill("0")  # typing still chooses the cell
    page.locator("#conv-col").fill("1")
    page.locator("#conv-col").press("Enter")
    first_row = page.locator("#conv-table table.matrix tbody tr").first.locator("td")
    expect(first_row.nth(1)).to_have_class("mark", timeout=WAIT_MS)
    page.wait_for_function("document.getElementById('conv-input-mark').style.top === '0%'")
    assert _near(window.bounding_box(), picture, (0, 1, 3, 4), (20, 19))

    page.get_by_role("tab", name="Pooling").click()  # bidoof 20×20, 2×2 windows: a 10×10 map
    page.locator("#pool-table td.mark").first.wait_for(timeout=WAIT_MS)
    _click_cell(page, "#pool-map", 7, 2, (10, 10))
    page.wait_for_function("document.getElementById('pool-row').value === '7' && "
                           "document.getElementById('pool-col').value === '2'")  # fmt: skip
    pooled = page.locator("#pool-table table.matrix tbody tr").nth(7).locator("td").nth(2)
    expect(pooled).to_have_class("mark", timeout=WAIT_MS)
    page.wait_for_function("document.getElementById('pool-input-mark').style.top === '70%'")
    assert _near(page.locator("#pool-input-mark").bounding_box(),
                 page.locator("#pool-input").bounding_box(), (14, 4, 16, 6), (20, 20))  # fmt: skip
    page.screenshot(path=tmp_path / "pool-clicked.png", full_page=True)
    assert page.outside == []


def test_upload_a_picture_and_pool_it(lab, page, tmp_path):
    import numpy as np
    from PIL import Image

    picture = tmp_path / "steps.png"
    Image.fromarray(np.kron(np.arange(16, dtype=np.uint8).reshape(4, 4) * 16,
                            np.ones((2, 2), np.uint8))).save(picture)  # fmt: skip
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Pooling").click()
    page.locator("#pool-table td.mark").first.wait_for(timeout=WAIT_MS)
    # the browser's own file widget (its words in the browser's language) is hidden; the page's
    # label stands for it, and the hidden input is still reached by the keyboard, label outlined
    page.locator("#pool-sample").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pool-upload"
    outline = page.evaluate("getComputedStyle(document.querySelector("
                            "'label[for=pool-upload]')).outlineStyle")  # fmt: skip
    assert outline == "solid"
    page.locator("#pool-upload").set_input_files(str(picture))
    page.get_by_text("Input: your file, 8×8").wait_for(timeout=WAIT_MS)
    assert "4×4" in page.locator("#pool-sizes").inner_text()
    page.screenshot(path=tmp_path / "pool-upload.png", full_page=True)
    assert page.outside == []


def test_model_tab_spec_error_and_spanish_page(lab, page, tmp_path):
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Model").click()
    page.locator("#model-summarize").click()
    page.get_by_text("61,706").first.wait_for(timeout=WAIT_MS)
    spec = page.get_by_label("Preset or spec, e.g. conv(16,3) relu maxpool(2) flatten dense")
    spec.fill("conv(16,3) relu flaten dense")
    spec.press("Enter")
    page.locator("#model-error .cnnlab-error").get_by_text("unknown layer 'flaten'").wait_for(
        timeout=WAIT_MS
    )
    spec.fill("conv(8,3) " * 120)  # a long spec: a message, never a file error
    spec.press("Enter")
    page.locator("#model-error").get_by_text("spec is over the lab's limit").wait_for(
        timeout=WAIT_MS
    )
    page.screenshot(path=tmp_path / "model-error.png", full_page=True)

    page.get_by_role("link", name="Español").click()
    page.get_by_role("tab", name="Convolución").wait_for(timeout=WAIT_MS)
    assert page.url.endswith("/es/")
    page.get_by_text("Producto punto").first.wait_for(timeout=WAIT_MS)
    words = page.locator("body").inner_text()
    for english in ("Compute", "Draw one digit", "Choose a file", "No file chosen", "Predict",
                    "Output row", "Sample picture", "Drop File Here"):  # fmt: skip
        assert english not in words
    for spanish in ("Calcular", "Elegir un archivo", "Ningún archivo elegido", "Fila de salida",
                    "correlación"):  # fmt: skip
        assert spanish in words
    page.screenshot(path=tmp_path / "es.png", full_page=True)
    assert page.outside == []


def stroke(page, points) -> None:
    """Draw with the mouse through ``points`` given as fractions of the canvas."""
    box = page.locator("#draw-canvas").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + points[0][0] * w, y + points[0][1] * h)
    page.mouse.down()
    for px, py in points[1:]:
        page.mouse.move(x + px * w, y + py * h, steps=4)
    page.mouse.up()


def test_draw_a_digit_side_by_side_with_a_shift_and_feature_maps(lab, page, tmp_path):
    page.goto(lab.url + "/en/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Draw a digit").click()
    page.locator("#draw-runs input[type=checkbox]").nth(1).wait_for(timeout=WAIT_MS)
    page.locator("#draw-predict").click()  # nothing drawn yet
    page.locator("#draw-note").get_by_text("The canvas is empty").wait_for(timeout=WAIT_MS)
    stroke(page, [(0.5, 0.15 + 0.06 * i) for i in range(13)])  # a vertical stroke: a "1"
    cards = page.locator("#draw-results .model-card")
    cards.nth(1).wait_for(timeout=WAIT_MS)  # both models answer as soon as the stroke ends
    titles = cards.locator("h4").all_inner_texts()
    assert titles == ["digits-run (CNN)", "digits-mlp (MLP)"]
    assert page.locator("#draw-note").inner_text().strip() == ""
    assert cards.first.locator(".bar-row").count() == 10
    page.locator("#draw-features figure").first.wait_for(timeout=WAIT_MS)
    layers = page.locator("#draw-features figcaption").all_inner_texts()
    assert layers[0].startswith("conv1 · 8×8×8") and any(t.startswith("pool1") for t in layers)
    page.screenshot(path=tmp_path / "draw.png", full_page=True)

    before = page.locator("#draw-seen").get_attribute("src")
    page.locator("#draw-dx").fill("4")  # the slider: both answers and the picture follow
    page.locator("#draw-dx-value").get_by_text("4").wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        "before => document.getElementById('draw-seen').src !== before", arg=before,
        timeout=WAIT_MS,
    )  # fmt: skip
    assert cards.count() == 2
    page.screenshot(path=tmp_path / "draw-shifted.png", full_page=True)
    assert page.outside == []


def test_practice_tab_hint_then_right_answer_and_score(lab, page, tmp_path):
    import re

    from cnnlab.ops import conv_output_size

    page.goto(lab.url + "/es/", timeout=WAIT_MS)
    page.get_by_role("tab", name="Práctica").click()
    for box in page.locator("input[name=practice-kind]").all():
        if box.get_attribute("value") != "output-size":
            box.uncheck()
    page.locator("#practice-new").click()
    question = page.locator("#practice-question").get_by_text("¿Cuántas filas")
    question.wait_for(timeout=WAIT_MS)
    text = question.inner_text()
    k, s, p, d, n = (int(v) for v in re.search(
        r"(\d+)×\d+, paso \(stride\) (\d+), relleno \(padding\) (\d+) y dilatación (\d+) "
        r"a una entrada de (\d+)×", text).groups())  # fmt: skip
    answer = page.get_by_label("Tu respuesta")
    answer.fill("99999")
    answer.press("Enter")
    page.locator("#practice-verdict").get_by_text("Pista:").wait_for(timeout=WAIT_MS)
    answer.fill(str(conv_output_size(n, k, s, p, d)))
    page.locator("#practice-check").click()
    page.locator("#practice-verdict").get_by_text("¡Correcto!").wait_for(timeout=WAIT_MS)
    page.locator("#practice-solution").get_by_text("Respuesta:").wait_for(timeout=WAIT_MS)
    assert page.locator("#practice-score").inner_text() == "Puntaje: 1 de 1"
    page.screenshot(path=tmp_path / "practice.png", full_page=True)
    assert page.outside == []


def test_the_token_leaves_the_address_bar_and_the_solution_waits_for_a_wrong_answer(page, tmp_path):
    token = "projector-secret-0123"
    server = start_background("127.0.0.1", 0, "en", token=token)
    tab = page.context.browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        tab.goto(f"{server.url}/en/?token={token}#practice", timeout=WAIT_MS)
        tab.wait_for_function("!location.search.includes('token')", timeout=WAIT_MS)
        assert token not in tab.url and tab.url.endswith("/en/#practice")
        tab.get_by_role("tab", name="Practice").click()
        for box in tab.locator("input[name=practice-kind]").all():
            if box.get_attribute("value") != "output-size":
                box.uncheck()
        tab.locator("#practice-new").click()  # the API answers: the cookie holds the token
        tab.locator("#practice-question").get_by_text("How many").wait_for(timeout=WAIT_MS)
        answer = tab.get_by_label("Your answer")
        answer.fill("99999")
        answer.press("Enter")
        tab.locator("#practice-verdict").get_by_text("Hint:").wait_for(timeout=WAIT_MS)
        assert tab.locator("#practice-solution").inner_text() == ""
        answer.fill("99998")
        answer.press("Enter")
        tab.locator("#practice-solution").get_by_text("Answer:").wait_for(timeout=WAIT_MS)
        tab.screenshot(path=tmp_path / "token-practice.png", full_page=True)
    finally:
        tab.close()
        server.stop()
