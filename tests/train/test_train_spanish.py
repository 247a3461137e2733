"""The training package's errors in Spanish: translated, numbers with a decimal comma."""

from __future__ import annotations

import re

import pytest

from cnnlab.errors import CheckpointError, InvalidArgumentError
from cnnlab.i18n import speaking
from cnnlab.train import TrainConfig, load_run

DECIMAL_POINT = re.compile(r"\d\.\d")


def test_a_bad_learning_rate_is_refused_in_spanish_with_decimal_commas():
    with speaking("es"), pytest.raises(InvalidArgumentError, match="lr debe ser > 0") as info:
        TrainConfig(lr=-0.5)
    message = str(info.value)
    assert "como 0,01" in message and "Recibido: lr=-0,5" in message
    assert not DECIMAL_POINT.search(message)


def test_a_setting_out_of_its_range_shows_a_spanish_interval():
    with speaking("es"), pytest.raises(InvalidArgumentError) as info:
        TrainConfig(label_smoothing=1.5)
    message = str(info.value)
    assert message.startswith("label_smoothing debe estar en [0,0; 1,0)")
    assert "Recibido: label_smoothing=1,5" in message
    assert not DECIMAL_POINT.search(message)


def test_the_same_errors_stay_english_outside_a_spanish_block():
    with pytest.raises(InvalidArgumentError, match=r"Received: lr=-0\.5"):
        TrainConfig(lr=-0.5)
    with pytest.raises(InvalidArgumentError, match=r"must be in \[0\.0, 1\.0\)"):
        TrainConfig(label_smoothing=1.5)


def test_a_missing_run_folder_is_explained_in_spanish(tmp_path):
    with speaking("es"), pytest.raises(CheckpointError) as info:
        load_run(tmp_path / "nothing-here")
    message = str(info.value)
    assert "no es una carpeta de ejecución de cnnlab" in message
    assert message.endswith("Recibido: la carpeta no existe")
