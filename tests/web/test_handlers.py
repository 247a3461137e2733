"""The browser lab's handlers, called as plain functions: the deck's numbers, and every bad input
turned into a message rather than an exception."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from cnnlab.samples import DECK_PRINTED_OUTPUT
from cnnlab.web import drawing, handlers
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


def png_of(array: np.ndarray, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt)
    return buf.getvalue()


def test_uploads_png_csv_and_refusals():
    png = png_of(np.full((5, 6), 200, np.uint8))
    view = conv("1,1;1,1", upload=png)
    assert view.value == 800.0 and "5×6" in view.sizes
    assert conv("1,1;1,1", upload=b"1,2\n3,4\n").value == 10.0
    assert "GIF" in conv(upload=png_of(np.zeros((4, 4), np.uint8), "GIF")).message
    assert "could not be decoded" in conv(upload=png[:40]).message


def test_a_path_is_never_read_as_a_file(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("1,2\n3,4\n")
    for name in (str(secret), f"file://{secret}", "../../../etc/passwd", "~/.bashrc"):
        view = handlers.convolution(name, None, DECK, 1, "0", 1, "correlate", 0, 0)
        assert "unknown sample" in view.message and view.map_image is None
    view = conv(upload=str(secret).encode())  # a path sent as a file's bytes is just text
    assert view.map_image is None and "not a number" in view.message


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"padding": "3000"}, "padding is over the lab's limit"),
        ({"padding": "1000000000000"}, "padding is over the lab's limit"),
        ({"dilation": 100}, "dilation is over the lab's limit"),
        ({"kernel": ";".join([",".join(["1"] * 65)] * 65)}, "kernel's side is over"),
        ({"kernel": "1," * 20_000}, "kernel text is over"),
    ],
)
def test_lab_limits_refuse_before_allocating(changes, words):
    view = conv(**changes)
    assert words in view.message and "Received:" in view.message
    assert view.map_image is None


def test_big_pictures_are_refused_and_large_ones_convolve_in_strips():
    wide = np.zeros((10, 2100), np.uint8)
    assert "side is over the lab's limit" in conv(upload=png_of(wide)).message
    noise = np.random.default_rng(0).integers(0, 256, (1400, 1400), dtype=np.uint8)
    view = conv("box-blur", upload=png_of(noise), padding="same")
    assert view.message == "" and view.map_image.shape == (1400, 1400)
    bomb = np.zeros((1500, 1500), np.uint8)  # 2.25 Mpx: over the pixel limit, refused early
    assert "pixels" in conv(upload=png_of(bomb)).message


@pytest.mark.parametrize("mode", ["correlate", "convolve"])
@pytest.mark.parametrize("padding", [0, 2, "same", "full", (1, 3)])
def test_strips_equal_the_whole_convolution(monkeypatch, mode, padding):
    from cnnlab.ops.explain import convolve_image
    from cnnlab.web import limits

    monkeypatch.setattr(limits, "STRIP_BYTES", 2000)  # many strips of a few rows each
    rng = np.random.default_rng(3)
    image, kernel = rng.normal(size=(37, 23)), rng.normal(size=(4, 3))
    stride = 1 if padding == "same" else 2
    whole_map = convolve_image(image, kernel, stride, padding, 2, mode)
    strips = handlers.convolve_strips(image, kernel, stride, padding, 2, mode)
    np.testing.assert_allclose(strips, whole_map, rtol=1e-12, atol=1e-12)


def test_big_maps_skip_the_table():
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
    odd = handlers.pooling("bidoof", None, "median", 2, 0, 0, 0, 0)
    assert "unknown pooling kind" in odd.message and odd.map_image is None


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


def test_long_specs_get_a_message_not_a_file_error():
    spec = " ".join(["relu"] * 70) + " flatten dense"
    assert "number of layers is over" in handlers.model_summary(spec, "1x8x8", 10).message
    assert "spec is over" in handlers.model_summary("relu " * 300, "1x8x8", 10).message
    huge = handlers.model_summary("flatten dense(100000) dense", "1x1024x1024", 10)
    assert "parameter count is over" in huge.message  # counted from shapes, never allocated
    assert "dimension is over" in handlers.model_summary("lenet5", "1x99999x28", 10).message


def test_a_run_folder_typed_as_a_model_is_only_a_spec(web_run):
    view = handlers.model_summary(str(web_run.path), "1x8x8", 10, "en")
    assert view.table == "" and view.message  # not opened as a folder


def drawn(image01: np.ndarray) -> bytes:
    """A digits image (8×8 in [0, 1]) drawn dark on light paper at 80×80, as a PNG canvas."""
    return png_of(np.rint(255 * (1 - np.kron(image01, np.ones((10, 10))))).astype(np.uint8))


def test_predict_from_drawings_of_digits(web_run, web_mlp):
    ds = web_run.dataset()
    x, y = ds.test.x[:30, 0], ds.test.y[:30]
    hits = {"CNN": 0, "MLP": 0}
    for image, label in zip(x, y, strict=True):
        view = drawing.predict_drawing(drawn(image), [web_run, web_mlp], 0, 0, "en")
        assert view.message == "" and [p.kind for p in view.predictions] == ["CNN", "MLP"]
        for p in view.predictions:
            assert len(p.probs) == 10 and sum(v for _, v in p.probs) == pytest.approx(1, abs=1e-5)
            assert p.probs[0][1] == max(v for _, v in p.probs)
            hits[p.kind] += p.probs[0][0] == str(web_run.classes[int(label)])
    assert min(hits.values()) >= 15  # chance is 3 of 30; the preprocessing re-crops the digits
    assert view.seen is not None and view.seen.dtype == np.uint8
    names = [name for name, _, _ in view.features]
    assert names[:2] == ["conv1", "relu1"] and view.features[0][2].dtype == np.uint8


def test_shift_moves_what_the_models_see(web_run):
    image = drawn(np.eye(8))
    still = drawing.predict_drawing(image, [web_run], 0, 0, "en")
    moved = drawing.predict_drawing(image, [web_run], 2, -1, "en")
    np.testing.assert_array_equal(moved.seen[:-1, 2:] > 0, still.seen[1:, :-2] > 0)  # ink moved
    assert still.predictions[0].probs != moved.predictions[0].probs
    assert "from -6 to 6" in drawing.predict_drawing(image, [web_run], 7, 0).message
    assert "from -6 to 6" in drawing.predict_drawing(image, [web_run], "1.5", 0).message


def test_empty_canvas_no_runs_and_bad_drawings(web_run):
    blank = png_of(np.full((50, 50), 255, np.uint8))
    for empty in (None, b"", blank):
        view = drawing.predict_drawing(empty, [web_run], 0, 0, "en")
        assert "canvas is empty" in view.note and view.predictions == ()
    assert "lienzo está vacío" in drawing.predict_drawing(None, [web_run], 0, 0, "es").note
    assert "No trained model" in drawing.predict_drawing(drawn(np.eye(8)), [], 0, 0).note
    gif = png_of(np.zeros((8, 8), np.uint8), "GIF")
    assert "not a PNG or JPEG" in drawing.predict_drawing(gif, [web_run]).message
    assert "digits" in drawing.run_note(web_run, "en")


def test_practice_numbers_follow_the_page_language():
    from cnnlab.web.practice import practice

    view = practice("which-kernel", "easy", 6, "", "", b"key", "es")
    cells = [c.split("<")[0] for c in view.question.split("<td>")[1:]]
    decimals = [c for c in cells if any(m in c for m in ",.")]
    assert decimals and all("." not in c for c in decimals)
