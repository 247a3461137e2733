"""The browser lab's handlers, called as plain functions: the deck's numbers, and every bad input
turned into a message rather than an exception."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnnlab.samples import DECK_PRINTED_OUTPUT
from cnnlab.web import handlers
from cnnlab.web.render import kernel_text, to_screen

DECK = "1,0,-1;1,0,1;1,1,1"


def conv(kernel: str = DECK, upload=None, row=0, col=0, lang="en", **kw):
    args = dict(stride=1, padding="0", dilation=1, mode="correlate")
    args.update(kw)
    return handlers.convolution(
        "bidoof-worked", upload, kernel, args["stride"], args["padding"], args["dilation"],
        args["mode"], row, col, lang,
    )  # fmt: skip


def table_rows(html: str) -> list[list[str]]:
    """The td texts of each body row of a matrix table."""
    body = html.split("<tbody>")[1]
    return [
        [cell.split(">", 1)[1].split("</td")[0] for cell in row.split("<td")[1:]]
        for row in body.split("<tr>")[1:]
    ]


def test_deck_example_gives_750_and_the_decks_row_0():
    view = conv()
    assert view.message == ""
    assert view.value == 750.0
    rows = table_rows(view.table)
    assert len(rows) == 18 and len(rows[0]) == 17
    assert rows[0] == [str(v) for v in DECK_PRINTED_OUTPUT[0]]
    assert rows[1][:7] == [str(v) for v in DECK_PRINTED_OUTPUT[1]]
    assert '<td class="mark">750</td>' in view.table  # the explained cell is highlighted
    assert "= 750" in view.explain and "255·(−1)" in view.explain
    assert "⌊(20 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 18" in view.sizes
    assert "⌊(19 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 17" in view.sizes


def test_named_kernel_and_its_editable_text_agree():
    assert kernel_text(np.array([[1.0, 0.0], [-1.0, 0.0625]])) == "1,0;-1,0.0625"
    assert conv("deck").value == conv(DECK).value == 750.0


def test_other_cells_stride_padding_and_spanish():
    view = conv(row=1, col=2)
    assert view.value == 260.0  # the deck's row 1, column 2
    padded = conv(padding="1", stride=2, lang="es")
    assert "= 10" in padded.sizes  # ⌊(20 + 2 − 2 − 1) / 2⌋ + 1 = 10
    assert "filas" in padded.sizes and "pad" in padded.explain
    assert "Producto punto" in padded.explain


@pytest.mark.parametrize(
    ("kernel", "words"),
    [("1,0;x", "different lengths"), ("1,a,3", "not a finite number"), ("sobelx", "sobel-x")],
)
def test_bad_kernel_text_becomes_a_message(kernel, words):
    view = conv(kernel)
    assert words in view.message
    assert view.map_image is None and view.value is None


def test_bad_settings_become_messages():
    assert "stride" in conv(stride=0).message
    assert "padding" in conv(padding="lots").message
    assert "larger" in conv("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1").message


def test_cell_outside_the_map_keeps_the_map_and_says_why():
    view = conv(row=18)
    assert "row 18 is outside the output" in view.message
    assert view.map_image is not None and "750" in view.table and view.explain == ""


def test_uploads_png_csv_and_refusals(tmp_path):
    png = tmp_path / "x.png"
    Image.fromarray(np.full((5, 6), 200, np.uint8)).save(png)
    view = conv("1,1;1,1", upload=str(png))
    assert view.value == 800.0 and "5×6" in view.sizes
    csv = tmp_path / "m.csv"
    csv.write_text("1,2\n3,4\n")
    assert conv("1,1;1,1", upload=str(csv)).value == 10.0
    gif = tmp_path / "x.gif"
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(gif, format="GIF")
    assert "GIF" in conv(upload=str(gif)).message
    broken = tmp_path / "broken.png"
    broken.write_bytes(png.read_bytes()[:40])
    assert "could not be decoded" in conv(upload=str(broken)).message


def test_big_maps_skip_the_table_and_scale_the_picture():
    view = handlers.convolution("camera", None, "sobel-x", 1, "same", 1, "correlate", 0, 0)
    assert view.message == "" and "too large for a table" in view.table
    assert view.map_image.shape == (512, 512) and view.map_image.dtype == np.uint8
    small = to_screen(np.array([[0.0, 2.0], [4.0, 8.0]]))
    assert small.shape == (320, 320) and small.min() == 0 and small.max() == 255


def test_pooling_explains_winner_and_mean():
    top = handlers.pooling("bidoof", None, "max", 2, 0, 0, 0, 1, "en")
    assert top.message == "" and "wins" in top.explain and top.value == 255.0
    assert "10×10" in top.sizes
    mean = handlers.pooling("bidoof-worked", None, "avg", 3, 1, 0, 0, 0, "es")
    assert "promedio = (" in mean.explain
    assert mean.value == pytest.approx(np.mean([150, 150, 255, 150, 150, 255, 150, 150, 150]))
    assert "padding" in handlers.pooling("bidoof", None, "max", 2, 0, 5, 0, 0).message


def test_model_summary_table_and_mlp_line():
    view = handlers.model_summary("lenet5", "", 10, "en")
    assert view.message == ""
    assert "61,706" in view.table and "conv(6,5,padding=2)" in view.table
    assert "269,322 parameters" in view.lines
    es = handlers.model_summary("conv(16,3) relu maxpool(2) flatten dense", "1x28x28", 10, "es")
    assert "Un MLP" in es.lines and "parámetros" in es.table


def test_spec_error_is_shown_with_the_bad_token():
    view = handlers.model_summary("conv(16,3) relu flaten dense", "1x28x28", 10, "en")
    assert "unknown layer 'flaten'" in view.message and "^" in view.message
    assert view.table == ""
    assert "input shape" in handlers.model_summary("lenet5", "1xAx28", 10).message


def test_model_from_a_run_folder(web_run):
    view = handlers.model_summary(str(web_run.path), "", None, "en")
    assert view.message == "" and "1×8×8" in view.table


def drawn(image01: np.ndarray) -> np.ndarray:
    """A digits image (8×8 in [0, 1]) drawn dark on light paper at 80×80, as a canvas gives it."""
    return np.rint(255 * (1 - np.kron(image01, np.ones((10, 10))))).astype(np.uint8)


def test_predict_from_drawings_of_digits(web_run):
    ds = web_run.dataset()
    x, y = ds.test.x[:30, 0], ds.test.y[:30]
    hits = 0
    for image, label in zip(x, y, strict=True):
        view = handlers.predict_drawing({"composite": drawn(image)}, str(web_run.path), "en")
        assert view.message == "" and len(view.probs) == 10
        assert sum(view.probs.values()) == pytest.approx(1.0, abs=1e-5)
        hits += max(view.probs, key=view.probs.get) == str(web_run.classes[int(label)])
    assert hits >= 15  # chance is 3 of 30; the preprocessing re-crops the 8×8 digits
    assert view.seen is not None and view.seen.dtype == np.uint8


def test_empty_canvas_missing_and_bad_runs(web_run, tmp_path):
    folder = str(web_run.path)
    for empty in (None, {"composite": None}, np.full((50, 50), 255, np.uint8)):
        view = handlers.predict_drawing(empty, folder, "en")
        assert "canvas is empty" in view.note and view.probs == {}
    assert "lienzo está vacío" in handlers.predict_drawing(None, folder, "es").note
    assert "No run loaded" in handlers.predict_drawing(drawn(np.eye(8)), "", "en").note
    bad = handlers.predict_drawing(drawn(np.eye(8)), str(tmp_path), "en")
    assert "not a cnnlab run folder" in bad.message
    assert "digits" in handlers.run_info(folder, "en").note
