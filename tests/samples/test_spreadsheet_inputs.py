"""INPUT matrices as spreadsheets save them: every dialect the csv module writes, LibreOffice's
own Spanish exports, the examples of issue 27, and the refusals of ambiguous files."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cnnlab.delimited import clip, decode, read_delimited
from cnnlab.errors import InputFileError
from cnnlab.i18n import speaking
from cnnlab.inputs import load_input
from cnnlab.main import app
from cnnlab.ops import correlate2d

HERE = Path(__file__).with_name("spreadsheet")
#: the values of the sheet LibreOffice exported (spreadsheet/README.md)
EXPECTED = np.array([[0.2, 1.3, 1.3, 1.2, 0.8], [0.1, -0.5, 1, 2.2, 0.3],
                     [1, 0, 2.5, 1.1, 0.4], [0.7, 1.9, 0.6, -3, 1.25]])  # fmt: skip
KERNEL = "1,0,-1;1,0,1;1,1,1"  # the issue's kernel


def written(values: np.ndarray, delimiter: str, decimal: str, encoding: str, end: str) -> bytes:
    """``values`` as the csv module writes them in a dialect, numbers in ``decimal``'s mark."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=end)
    for row in values:
        writer.writerow([f"{v:g}".replace(".", decimal) for v in row])
    return buf.getvalue().encode(encoding)


DIALECTS = [  # (delimiter, decimal mark, encoding, line end): as saved by ...
    (",", ".", "utf-8", "\n"),  # an English spreadsheet, a program
    (";", ",", "utf-8-sig", "\r\n"),  # Excel "CSV UTF-8" in a Spanish locale: BOM, CRLF
    (";", ",", "cp1252", "\r\n"),  # Excel "CSV" (Windows-1252) in a Spanish locale
    ("\t", ",", "utf-16", "\r\n"),  # Excel "Unicode text": UTF-16 with BOM, tabs
    ("\t", ".", "utf-8", "\n"),  # TSV
    (" ", ".", "utf-8", "\n"),  # whitespace-separated text
    (";", ",", "utf-8", "\r"),  # old Mac line ends: CR only
    (",", ".", "utf-16-le", "\n"),  # UTF-16 without a BOM
]


@pytest.mark.parametrize(("delimiter", "decimal", "encoding", "end"), DIALECTS)
def test_every_dialect_the_csv_module_writes(tmp_path, delimiter, decimal, encoding, end):
    path = tmp_path / "m.csv"
    path.write_bytes(written(EXPECTED, delimiter, decimal, encoding, end))
    np.testing.assert_array_equal(load_input(str(path)), EXPECTED)


def test_a_comment_in_windows_1252_and_quoted_cells(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes('# señal de ejemplo\n"0,2";"1,3"\n"1";"2,5"\n'.encode("cp1252"))
    assert load_input(str(path)).tolist() == [[0.2, 1.3], [1, 2.5]]


@pytest.mark.parametrize("name", ["libreoffice-es.csv", "libreoffice-es-utf16.txt"])
def test_libreoffice_spanish_exports(name):
    np.testing.assert_array_equal(load_input(str(HERE / name)), EXPECTED)


def test_how_the_exports_were_read():
    semicolons = read_delimited((HERE / "libreoffice-es.csv").read_bytes()).dialect
    tabs = read_delimited((HERE / "libreoffice-es-utf16.txt").read_bytes()).dialect
    assert (semicolons.delimiter, semicolons.encoding) == (";", "utf-8")
    assert (tabs.delimiter, tabs.encoding) == ("\t", "utf-16")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("0,2;1,3;1,3;1,2;0,8\n0,1;0,5;1,0;2,2;0,3\n0,3;0,4;1,5;0,9;1,1\n",
         [[0.2, 1.3, 1.3, 1.2, 0.8], [0.1, 0.5, 1.0, 2.2, 0.3], [0.3, 0.4, 1.5, 0.9, 1.1]]),
        ("8;6;5;2;3;0;0\n1;2;3;4;5;6;7\n0;0;1;1;2;2;3\n",
         [[8, 6, 5, 2, 3, 0, 0], [1, 2, 3, 4, 5, 6, 7], [0, 0, 1, 1, 2, 2, 3]]),
    ],
)  # fmt: skip
def test_the_issues_examples_in_spanish(tmp_path, text, values):
    """`cnnlab convolve FILE --kernel "1,0,-1;1,0,1;1,1,1" --lang es`: read, and right."""
    path = tmp_path / "mi_matriz_decimales.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["convolve", str(path), "--kernel", KERNEL, "--lang", "es",
                                      "--out", str(tmp_path / "mapa.npy")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{len(values)}×{len(values[0])}" in result.output
    kernel = np.array([[1, 0, -1], [1, 0, 1], [1, 1, 1]], dtype=float)
    expected = correlate2d(np.array(values, dtype=float), kernel)
    np.testing.assert_allclose(np.load(tmp_path / "mapa.npy"), expected)
    assert expected.shape == (1, len(values[0]) - 2)


def test_whole_numbers_convolved_by_hand(tmp_path):
    path = tmp_path / "enteros.csv"
    path.write_text("8;6;5;2\n1;2;3;4\n0;0;1;1\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    result = CliRunner().invoke(app, ["convolve", str(path), "-k", KERNEL, "--out", str(out)])
    assert result.exit_code == 0, result.output
    # 8−5 + 1+3 + 0+0+1 = 8 and 6−2 + 2+4 + 0+1+1 = 12
    assert np.loadtxt(out, delimiter=",").tolist() == [8, 12]


AMBIGUOUS = [  # (text, flag that reads it, values, words of the refusal)
    ("1.5;2,5\n3;4\n", "--decimal-comma", None,
     "writes a decimal point and a decimal comma (read as cells separated by ';', UTF-8)"),
    ("0,2 1,3\n1,5 2,5\n", "--decimal-comma", [[0.2, 1.3], [1.5, 2.5]],
     "was read as cells separated by ',', decimal point, UTF-8, and line 1"),
    ("1,234\t5\n6\t7\n", "--decimal-point", [[1234, 5], [6, 7]], None),  # read: 1.234
    ("1.234,5;2,5\n3;4\n", "--decimal-comma", [[1234.5, 2.5], [3, 4]], None),  # read as is
]  # fmt: skip


@pytest.mark.parametrize(("text", "flag", "values", "refusal"), AMBIGUOUS)
def test_ambiguous_files_are_refused_and_a_flag_says_otherwise(
    tmp_path, text, flag, values, refusal
):
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    if refusal:
        with pytest.raises(InputFileError, match=re.escape(refusal)) as caught:
            load_input(str(path))
        assert "--decimal-comma" in str(caught.value) or "#" in str(caught.value)
        cli = CliRunner().invoke(app, ["convolve", str(path), "-k", "1"])
        assert cli.exit_code == 2 and len(cli.output.strip().splitlines()) == 1
    flagged = CliRunner().invoke(app, ["pool", str(path), "--size", "1", flag])
    if values is None:
        assert flagged.exit_code == 2 and "is not a number" in flagged.output
    else:
        decimal = "," if flag == "--decimal-comma" else "."
        assert load_input(str(path), decimal=decimal).tolist() == values
        assert flagged.exit_code == 0, flagged.output


def test_refusals_echo_at_most_sixty_characters(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("1;2\n" + "x" * 500 + ";3\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_input(str(path))
    received = str(caught.value).split("Received: ")[1]
    assert len(received) <= 62 and received.endswith("…'")  # the quotes of repr around 60
    assert clip("abc", 60) == "abc" and len(clip("y" * 99)) == 60


def test_spanish_refusal_says_how_the_file_was_read(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("0,2;x\n", encoding="utf-8")
    with speaking("es"), pytest.raises(InputFileError) as caught:
        load_input(str(path))
    text = str(caught.value)
    assert "columna 2" in text and "';'" in text and "coma decimal" in text
    assert "Recibido: 'x'" in text


def test_binary_data_is_not_text():
    assert decode(b"\x00\x01\x02\x03\x04\x05") is None
    assert decode("año".encode("cp1252")) == ("año", "cp1252")
    assert decode("año".encode("utf-16")) == ("año", "utf-16")
