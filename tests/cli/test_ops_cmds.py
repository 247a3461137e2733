"""The convolution commands, run in-process: the deck's numbers, explanations and every refusal."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cnnlab.main import app
from cnnlab.ops import convolve2d
from cnnlab.present.ops import RAMP, preview
from cnnlab.samples import get_sample, parse_kernel

# The rows the deck prints under "Output" (row 1 only partly), typed from the deck by hand.
DECK_ROW0 = [750, 750, 915, 660, 555, 600, 750, 750, 750, 750, 750, 750, 855, 855, 855, 960, 960]
DECK_ROW1 = [495, 345, 260, 438, 438, 373, 600]

runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"CNNLAB_LANG": "en", "COLUMNS": "80"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def table_rows(output: str, title: str) -> dict[int, list[float]]:
    """Parse the table printed after ``title``: below its rule, one row index then the numbers."""
    lines = output.split(title, 1)[1].splitlines()
    body = lines[next(i for i, line in enumerate(lines) if "─" in line) + 1 :]
    rows: dict[int, list[float]] = {}
    for line in body:
        tokens = line.split()
        if not tokens:
            break
        rows[int(tokens[0])] = [float(v) for v in tokens[1:]]
    return rows


def error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_convolve_reproduces_the_decks_printed_output() -> None:
    out = run("convolve", "bidoof-worked", "--kernel", "deck")
    rows = table_rows(out, "Feature map 18×17")
    assert len(rows) == 18 and all(len(r) == 17 for r in rows.values())
    assert rows[0] == DECK_ROW0
    assert rows[1][:7] == DECK_ROW1
    assert "⌊(20 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 18" in out


def test_convolve_by_numbers_matches_the_named_kernel() -> None:
    by_name = table_rows(run("convolve", "bidoof", "-k", "deck"), "Feature map")
    by_numbers = table_rows(run("convolve", "bidoof", "-k", "1,0,-1;1,0,1;1,1,1"), "Feature map")
    assert by_name == by_numbers and len(by_name) == 18


def test_convolve_mode_flips_the_kernel() -> None:
    flipped = "1,1,1;1,0,1;-1,0,1"  # the deck kernel turned 180°
    a = table_rows(run("convolve", "bidoof", "-k", "deck", "--mode", "convolve"), "Feature map")
    b = table_rows(run("convolve", "bidoof", "-k", flipped), "Feature map")
    assert a == b and a[0] != table_rows(run("convolve", "bidoof"), "Feature map")[0]


def test_explain_shows_all_nine_terms_and_750() -> None:
    out = run("explain", "bidoof-worked", "--kernel", "deck", "--at", "0,0")
    expected = "150·1 + 150·0 + 255·(−1) + 150·1 + 150·0 + 255·1 + 150·1 + 150·1 + 150·1 = 750"
    assert expected in " ".join(out.split())
    assert table_rows(out, "Window")[0] == [150, 150, 255]


def test_explain_with_padding_marks_padded_cells() -> None:
    out = run("explain", "bidoof", "--at", "0,0", "--padding", "1")
    assert "pad" in out and "⌊(20 + 2·1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 20" in out


def test_pool_max_and_avg_with_at() -> None:
    out = run("pool", "bidoof", "--kind", "max", "--size", "2", "--at", "0,1")
    assert table_rows(out, "Pooled map 10×10")[0][1] == 255
    assert "max = 255: the value at window (0, 0), input (0, 2) wins" in out
    avg = run("pool", "bidoof", "--kind", "avg", "--at", "1,1")
    assert "mean = (150 + 150 + 0 + 0) / 4 = 75" in avg


def test_large_input_prints_a_summary_and_saves(tmp_path: Path) -> None:
    out = run(
        "convolve", "coins", "-k", "sobel-x", "--stride", "2", "--out", str(tmp_path / "o.png")
    )
    assert "151×191" in out and "min" in out and "Saved" in out
    png = np.asarray(Image.open(tmp_path / "o.png"))
    assert png.shape == (151, 191) and png.min() == 0 and png.max() == 255
    run("convolve", "bidoof-worked", "--out", str(tmp_path / "o.csv"))
    saved = np.loadtxt(tmp_path / "o.csv", delimiter=",")
    assert saved[0].tolist() == DECK_ROW0
    run("convolve", "bidoof-worked", "--out", str(tmp_path / "o.npy"))
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"), saved)


def test_large_output_shows_a_text_preview() -> None:
    out = run("convolve", "coins", "-k", "sobel-x", "--stride", "2")  # 151×191
    head = "Preview (26×64 characters, each the mean of a 6×3 block"
    assert head in out and "--out FILE.png" in out
    lines = out.split("'@'):", 1)[1].splitlines()[1:27]  # the header may wrap
    assert all(len(line) == 64 and set(line) <= set(RAMP) for line in lines), lines
    assert len(set("".join(lines))) > 3  # a picture, not a flat field
    pooled = run("pool", "camera", "--size", "2")  # 256×256
    assert "256×256: min" in pooled and "Preview (32×64 characters" in pooled


def test_preview_by_hand() -> None:
    # 4 columns, width 4: one character per column, each the mean of a 2×1 block
    text, block = preview(np.arange(8.0).reshape(2, 4), width=4)  # means 2, 3, 4, 5
    assert (text, block) == (" -*@", (2, 1))
    flat, _ = preview(np.full((3, 3), 7.0))
    assert flat == "   \n   "  # a constant map is all darkest, like the PNG


def test_true_convolution_with_same_padding_matches_convolve2d(tmp_path: Path) -> None:
    kernel = "1,2;3,5"  # even: the extra row/column of "same" padding goes top/left
    args = ("bidoof", "-k", kernel, "--padding", "same", "--mode", "convolve")
    run("convolve", *args, "--out", str(tmp_path / "c.npy"))
    expected = convolve2d(get_sample("bidoof"), parse_kernel(kernel), padding="same")
    np.testing.assert_array_equal(np.load(tmp_path / "c.npy"), expected)
    assert "⌊(20 + 1 + 0 − 1·(2 − 1) − 1) / 1⌋ + 1 = 20" in run("convolve", *args)
    out = run("explain", *args, "--at", "0,5")
    assert f"= {int(expected[0, 5])}" in out and "pad" in out


def test_kernels_and_samples_tables() -> None:
    kernels = run("kernels")
    assert "sobel-x" in kernels and "gaussian-5x5" in kernels
    assert "1/16 ×" in kernels and "1/256 ×" in kernels and "0.0625" not in kernels
    assert " 4 16 24 16  4" in kernels  # gaussian-5x5 as whole numbers over 256
    samples = run("samples", "--lang", "es")
    assert "bidoof-worked" in samples and "20×19" in samples and "descripción" in samples


def test_demo_reproduces_the_deck() -> None:
    out = run("demo")
    assert table_rows(out, "Feature map 18×17")[0] == DECK_ROW0
    assert "all 24 values it prints" in out and "reproduced exactly" in out
    assert "= 750" in out


def test_spanish_output() -> None:
    out = run("explain", "bidoof-worked", "--at", "0,0", "--lang", "es")
    assert "Producto punto:" in out and "mapa de características" in out and "Ventana" in out
    demo = run("demo", "--lang", "es")
    assert "se reproducen exactamente" in demo and "Mapa de características 18×17" in demo
    pooled = run("pool", "bidoof", "--at", "0,1", "--lang", "es")
    assert "Pooling máximo 2×2, paso (stride) 2" in pooled and "máximo = 255" in pooled
    large = run("convolve", "camera", "--lang", "es")
    assert "Vista previa" in large and "guárdalo con --out ARCHIVO.png" in large


@pytest.mark.parametrize(
    "args",
    [
        ["demo"],
        ["explain", "bidoof", "--at", "1,1"],
        ["convolve", "bidoof"],
        ["convolve", "camera", "-k", "sobel-x"],
    ],
)
def test_spanish_says_feature_map_one_way(args: list[str]) -> None:
    """ "Mapa de características" throughout; the deck's "(mapa de activación)" said once."""
    out = " ".join(run(*args, "--lang", "es").split()).lower()
    assert out.count("(mapa de activación)") == 1
    assert "feature map" not in out and "mapas de activación" not in out


def _file(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def _png(tmp_path: Path, pixels: np.ndarray) -> str:
    Image.fromarray(pixels.astype(np.uint8)).save(tmp_path / "p.png")
    return str(tmp_path / "p.png")


def _truncated(tmp_path: Path, kind: str = "PNG") -> str:
    full = tmp_path / f"full.{kind.lower()}"
    Image.fromarray((np.arange(4096).reshape(64, 64) % 251).astype(np.uint8)).save(full, kind)
    data = full.read_bytes()
    return _file(tmp_path, f"cut.{kind.lower()}", data[: len(data) // 2])


def _bomb(tmp_path: Path, side: int = 100_000) -> str:
    """A 1×1 PNG whose header is rewritten to claim side×side pixels (checksum fixed)."""
    Image.new("L", (1, 1)).save(tmp_path / "one.png")
    data = bytearray((tmp_path / "one.png").read_bytes())
    data[16:24] = struct.pack(">II", side, side)  # IHDR width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # IHDR's CRC
    return _file(tmp_path, "bomb.png", bytes(data))


def _npy(tmp_path: Path, arr: np.ndarray) -> str:
    np.save(tmp_path / "a.npy", arr)
    return str(tmp_path / "a.npy")


ERRORS = [
    (["convolve", "bidoof", "-k", "sobelx"], "unknown kernel 'sobelx'", "Did you mean 'sobel-x'"),
    (["convolve", "bidof"], "unknown sample 'bidof'", "Did you mean 'bidoof'"),
    (["convolve", "RAGGED"], "ragged rows: line 2 has 1 values; expected 2", "Received: '3'"),
    (["convolve", "NONNUM"], "line 1, column 2 is not a number", "Received: 'x'"),
    (["convolve", "NAN"], "non-finite value at row 1, column 0", "Received: nan"),
    (["convolve", "GIF"], "is not a PNG or JPEG image", "GIF89a"),
    (["convolve", "TEXTPNG"], "is not a PNG or JPEG image", "Received: first bytes"),
    (["convolve", "TRUNC"], "could not be decoded as PNG", "Received:"),
    (["convolve", "BIG"], "is too large (5×4 = 20 pixels)", "expected at most 10 pixels"),
    (["convolve", "SMALL"], "kernel 3×3 is larger than the padded input 2×2", "Received: input"),
    (["convolve", "bidoof", "--stride", "0"], "stride must be at least 1", "Received: stride=0"),
    (["explain", "bidoof", "--at", "18,0"], "row 18 is outside the output", "output of 18×18"),
    (["explain", "bidoof", "--at", "a,b"], "--at must be two whole numbers ROW,COL", "'a,b'"),
    (["convolve", "bidoof", "-k", "1,2;3"], "kernel rows have different lengths", "'1,2;3'"),
    (["convolve", "bidoof", "--padding", "wide"], "--padding must be", "'wide'"),
    (["convolve", "bidoof", "--mode", "flip"], "unknown mode 'flip'", "convolve, correlate"),
    (["convolve", "bidoof", "--out", "x.gif"], "cannot save a matrix as .gif", "x.gif"),
    (["pool", "bidoof", "--kind", "min"], "unknown pooling kind 'min'", "avg, max"),
    (["pool", "bidoof", "--size", "2", "--padding", "2"], "padding must be at most half", "2"),
    (["convolve", "bidoof", "--lang", "fr"], "unknown language 'fr'", "lang='fr'"),
    (["convolve", "bidoof", "--dilation", "0"], "dilation must be at least 1", "dilation=0"),
    (["convolve", "bidoof", "--dilation", "10"], "(dilated to 21×21) is larger", "kernel 3×3"),
    (["convolve", "bidoof", "-k", "nan,1"], "column 0 is not a finite number", "'nan'"),
    (["convolve", "CUBE"], "expected a 2-D matrix", "3-D array of shape (2, 2, 2)"),
    (["convolve", "TRUNCJPG"], "could not be decoded as JPEG", "Received:"),
    (["convolve", "BOMB"], "is too large", "decompression-bomb guard"),
    (["convolve", "HUGE"], "too large (10000×10000 = 100,000,000 pixels)", "10000×10000"),
    (["convolve", "EMPTY"], "is empty", "Received: 0 bytes"),
    (["pool", "bidoof", "--size", "30"], "kernel 30×30 is larger than the padded", "input 20×20"),
    (["pool", "bidoof", "--at", "10,0"], "row 10 is outside the output", "output of 10×10"),
]


@pytest.mark.parametrize(("args", "what", "received"), ERRORS)
def test_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], what: str, received: str
) -> None:
    if "BIG" in args:
        monkeypatch.setattr("cnnlab.imageio.MAX_PIXELS", 10)  # so a 5×4 PNG is "too large"
    files = {
        "RAGGED": lambda: _file(tmp_path, "r.csv", "1,2\n3\n"),
        "NONNUM": lambda: _file(tmp_path, "n.csv", "1,x\n3,4\n"),
        "NAN": lambda: _file(tmp_path, "nan.csv", "1,2\nnan,4\n"),
        "GIF": lambda: _file(tmp_path, "g.png", b"GIF89a" + bytes(30)),
        "TEXTPNG": lambda: _file(tmp_path, "t.png", "hello, this is text\n"),
        "TRUNC": lambda: _truncated(tmp_path),
        "BIG": lambda: _png(tmp_path, np.zeros((4, 5))),
        "SMALL": lambda: _file(tmp_path, "s.csv", "1,2\n3,4\n"),
        "CUBE": lambda: _npy(tmp_path, np.zeros((2, 2, 2))),
        "TRUNCJPG": lambda: _truncated(tmp_path, "JPEG"),
        "BOMB": lambda: _bomb(tmp_path),
        "HUGE": lambda: _bomb(tmp_path, 10_000),  # over Pillow's warning size: still one line
        "EMPTY": lambda: _file(tmp_path, "e.csv", ""),
    }
    args = [files[a]() if a in files else a for a in args]
    line = error_line(run(*args, code=2))
    assert what in line and received in line


def test_summary_line_uses_a_decimal_comma_in_spanish() -> None:
    from cnnlab.present.ops import summary

    arr = np.array([[0.0, 1.0], [0.5, 0.25]])  # mean 0.4375
    assert summary(arr, "es") == "2×2: mínimo 0, máximo 1, promedio 0,4375"
    assert summary(arr, "en").endswith("mean 0.4375")
