"""Finding things: boxes where the bars are, the CLI's detect and read, scores, clear errors."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cnnlab.cli import app
from cnnlab.detect import DetectConfig, detect, find, iou, load_detector, nms, read
from cnnlab.detect.boxes import average_precision, score_pictures
from cnnlab.detect.core import pyramid
from cnnlab.detect.figures import explain_figure, heat
from cnnlab.detect.ink import tight
from cnnlab.errors import CnnlabError, ShapeError

runner = CliRunner()


def _png(pixels: np.ndarray, path) -> str:
    Image.fromarray(pixels).save(path)
    return str(path)


def test_the_bars_are_found_where_they_are(bar_run, bars_picture):
    pixels, places = bars_picture
    found = find(pixels, run=bar_run.path)
    truth = np.array([[left, top, left + 12, top + 12] for _, top, left in places], float)
    assert len(found.boxes) == len(places)
    for b in found.boxes:
        j = int(np.argmax(iou(np.array(b.box), truth)))
        assert iou(np.array(b.box), truth)[j] >= 0.5 and b.label == places[j][0]
    assert found.maps and found.maps[0].scores.shape[0] >= 1
    assert heat(found).shape == pixels.shape and heat(found).max() >= 0.6
    assert len(explain_figure(found).axes) >= 2


def test_read_gives_the_labels_left_to_right(bar_run, bars_picture):
    assert read(bars_picture[0], run=bar_run.path).text == "171"


def test_cli_detect_json_read_and_outputs(bar_run, bars_picture, tmp_path):
    path = _png(bars_picture[0], tmp_path / "bars.png")
    out = tmp_path / "boxed.png"
    res = runner.invoke(app, ["detect", "--run", str(bar_run.path), path, "--json",
                              "--out", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout[res.stdout.index("[") :])
    assert payload[0]["image"] == path and len(payload[0]["boxes"]) == 3
    assert set(payload[0]["boxes"][0]) == {"box", "class", "score"}
    assert Image.open(out).size == (96, 36)
    again = runner.invoke(app, ["detect", "--run", str(bar_run.path), path, "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    res = runner.invoke(app, ["read", "--run", str(bar_run.path), path, "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["number"] == "171"
    es = runner.invoke(app, ["detect", "--run", str(bar_run.path), path, "--lang", "es"])
    assert "cajas" in es.stdout


@pytest.mark.parametrize("case, words", [
    ("tiny", "at least 12 pixels"),
    ("broken", "PNG"),
    ("nothing", "expected --what faces"),
    ("both", "exactly one of"),
    ("not-a-run", "not a cnnlab run folder"),
    ("bad-what", "unknown kind of thing to find"),
])  # fmt: skip
def test_bad_input_gets_one_line_and_exit_2(bar_run, tmp_path, case, words):
    small = _png(np.zeros((8, 30), np.uint8), tmp_path / "small.png")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 20)
    args = {
        "tiny": ["detect", "--run", str(bar_run.path), small],
        "broken": ["detect", "--run", str(bar_run.path), str(broken)],
        "nothing": ["detect", small],
        "both": ["detect", "--what", "faces", "--run", str(bar_run.path), small],
        "not-a-run": ["detect", "--run", str(tmp_path), small],
        "bad-what": ["detect", "--what", "cats", small],
    }[case]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and words in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_settings_are_checked():
    with pytest.raises(CnnlabError, match="threshold"):
        DetectConfig(threshold=1.5)
    with pytest.raises(CnnlabError, match="min_size"):
        DetectConfig(min_size=50, max_size=20)
    assert pyramid(DetectConfig(min_size=24, max_size=24)) == [24]


def test_picture_smaller_than_the_window(bar_run):
    with pytest.raises(ShapeError, match="window is 12"):
        detect(load_detector(bar_run), np.zeros((10, 40), np.uint8))


def test_nms_and_average_precision_by_hand():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], float)
    assert nms(boxes, np.array([0.9, 0.8, 0.7]), 0.5).tolist() == [0, 2]
    # one true box: a wrong box ranked above the right one gives precision 1/2 at recall 1
    hits = np.array([0, 1])
    assert average_precision(hits, np.array([0.9, 0.8]), 1) == pytest.approx(0.5)
    truth = [np.array([[0, 0, 10, 10.0]])]
    perfect = score_pictures([(truth[0], np.array([0.9]))], truth)
    assert perfect.ap == 1.0 and perfect.precision == 1.0 and perfect.recall == 1.0
    missed = score_pictures([(np.zeros((0, 4)), np.zeros(0))], truth)
    assert missed.ap == 0.0 and missed.recall == 0.0


def test_tight_box_keeps_the_centre_character():
    ink = np.zeros((28, 60), np.float32)
    ink[4:24, 12:16] = 1  # a "1" in the window's centre
    ink[4:24, 24:34] = 1  # its neighbour, mostly outside the central 20 pixels
    x0, y0, x1, y1 = tight(ink, np.array([0, 0, 28, 28.0]))
    assert (x0, x1) == (12, 16) and (y0, y1) == (4, 24)


def test_jpeg_upload_bytes_are_read(bar_run, bars_picture):
    buf = io.BytesIO()
    Image.fromarray(bars_picture[0]).save(buf, "JPEG", quality=95)
    found = detect(load_detector(bar_run), buf.getvalue())
    assert found.image == "<upload>" and len(found.boxes) == 3


def test_report_shows_maps_finds_and_misses(bar_run, bars_picture, tmp_path):
    from cnnlab.detect.report import write_report

    pixels, places = bars_picture
    truth = np.array([[left, top, left + 12, top + 12] for _, top, left in places], float)
    wrong = truth + np.array([0, 0, 0, 0.0])
    wrong[0] = [60, 0, 72, 12]  # one true box where nothing is: a miss, beside a false box
    out = write_report(load_detector(bar_run), [pixels], [(pixels, wrong)], "es",
                       tmp_path / "r.html")  # fmt: skip
    html = out.read_text()
    assert 'id="maps"' in html and 'id="finds"' in html
    assert "2 aciertos, 1 cajas falsas, 1 fallos en 1 imágenes" in html


def test_nms_of_the_smaller_box_drops_part_of_a_character():
    whole = np.array([[0, 0, 10, 20], [0, 0, 10, 8.0]])  # a digit and a box around its top
    assert nms(whole, np.array([0.9, 0.8]), 0.5).tolist() == [0, 1]  # IoU 0.4: both kept
    assert nms(whole, np.array([0.9, 0.8]), 0.5, of_smaller=True).tolist() == [0]
