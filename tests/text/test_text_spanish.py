"""Reading texts to classify: errors in Spanish, counts with Spanish thousands."""

from __future__ import annotations

import pytest

from cnnlab.errors import DataError, UnknownNameError
from cnnlab.i18n import THIN_SPACE, speaking
from cnnlab.text import predict
from cnnlab.text.tools import identifier


def test_a_missing_text_file_is_explained_in_spanish(tmp_path):
    with speaking("es"), pytest.raises(DataError, match="no se encontró el archivo de texto"):
        predict.read_lines(tmp_path / "missing.txt")


def test_too_many_lines_are_counted_with_spanish_thousands(tmp_path, monkeypatch):
    monkeypatch.setattr(predict, "MAX_LINES", 1000)
    path = tmp_path / "many.txt"
    path.write_text("hola\n" * 1200, encoding="utf-8")
    with speaking("es"), pytest.raises(DataError) as info:
        predict.read_lines(path)
    assert str(info.value).endswith(f"tiene 1{THIN_SPACE}200 líneas; se esperaban como máximo "
                                    f"1{THIN_SPACE}000")  # fmt: skip
    with pytest.raises(DataError, match="has 1,200 lines; expected at most 1,000"):
        predict.read_lines(path)


def test_an_unknown_identifier_is_refused_in_spanish():
    with speaking("es"), pytest.raises(UnknownNameError, match="identificador de idioma"):
        identifier("cld9", ("en", "es"))
