"""cnnlab explain/animate --transposed: the mirror of the sliding window, on the command line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cnnlab.errors import InvalidArgumentError
from cnnlab.main import app
from cnnlab.viz.animate_transposed import animate_transposed

runner = CliRunner()


def test_partial_outputs_end_on_the_whole_transposed_convolution():
    anim = animate_transposed(np.arange(6.0).reshape(2, 3), np.ones((2, 2)), stride=2)
    assert anim.n_frames == 6
    np.testing.assert_allclose(anim.partial(5), anim.output)
    assert anim.partial(0)[:2, :2].tolist() == [[0, 0], [0, 0]]  # cell (0, 0) holds 0
    assert anim.partial(1)[:2, 2:4].tolist() == [[1, 1], [1, 1]]


def test_animate_and_explain_commands(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("1,2\n3,4\n")
    gif = tmp_path / "t.gif"
    result = runner.invoke(app, ["animate", str(csv), "-k", "1,1;1,1", "--stride", "2",
                                 "--transposed", "--out", str(gif)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 frames" in result.output
    with Image.open(gif) as picture:
        assert picture.n_frames >= 4
    result = runner.invoke(app, ["explain", str(csv), "--at", "1,1", "-k", "1,2;3,4",
                                 "--stride", "2", "--transposed", "--lang", "es"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "valor de entrada (1, 1) = 4" in result.output
    assert "16" in result.output  # 4·4, the window's last value
    bad = runner.invoke(app, ["explain", str(csv), "--at", "5,0", "-k", "1,2;3,4",
                              "--transposed"])  # fmt: skip
    assert bad.exit_code == 2 and "outside the 2×2 input" in bad.output


def test_too_many_cells_are_refused():
    with pytest.raises(InvalidArgumentError, match="at most 400 cells"):
        animate_transposed(np.ones((30, 30)), np.ones((2, 2)))
