"""Exercise answers and sheets: errors in Spanish, with Spanish number examples."""

from __future__ import annotations

import pytest

from cnnlab.errors import InputFileError, InvalidArgumentError
from cnnlab.exercises import make
from cnnlab.exercises.core import read_matrix, read_number
from cnnlab.exercises.sheet import load_sheet
from cnnlab.i18n import speaking


def test_a_word_typed_as_a_number_is_refused_in_spanish():
    with speaking("es"), pytest.raises(InvalidArgumentError) as info:
        read_number("doce", "es")
    assert str(info.value) == "no es un número; se esperaba p. ej. 12 o 1,5. Recibido: 'doce'"


def test_spanish_errors_for_empty_matrices_bad_seeds_and_missing_manifests(tmp_path):
    with speaking("es"):
        with pytest.raises(InvalidArgumentError, match=r"no hay filas; .* Recibido: nada"):
            read_matrix(" ; ", "es")
        with pytest.raises(InvalidArgumentError, match="la semilla debe ser un número entero"):
            make("output-size", -1)
        with pytest.raises(InputFileError, match="no hay un manifiesto de la guía junto a"):
            load_sheet(tmp_path / "guia.html")


def test_the_english_wording_is_kept():
    with pytest.raises(InvalidArgumentError, match=r"expected e\.g\. 12 or 1\.5\. Received"):
        read_number("twelve", "en")
