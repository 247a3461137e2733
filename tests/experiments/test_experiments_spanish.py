"""The studies' settings are refused in Spanish with decimal commas."""

from __future__ import annotations

import re

import pytest

from cnnlab.errors import InvalidArgumentError
from cnnlab.experiments import CompareConfig
from cnnlab.i18n import speaking


def test_a_bad_training_fraction_is_refused_in_spanish():
    with speaking("es"), pytest.raises(InvalidArgumentError) as info:
        CompareConfig(dataset="digits", fractions=(1.5,))
    message = str(info.value)
    assert message.startswith("las fracciones de entrenamiento deben estar en (0; 1)")
    assert "p. ej. 0,1" in message and message.endswith("Recibido: 1,5")
    assert not re.search(r"\d\.\d", message)


def test_repeated_models_are_refused_in_spanish_and_english():
    with speaking("es"), pytest.raises(InvalidArgumentError, match="hay modelos repetidos"):
        CompareConfig(dataset="digits", models=("mlp", "mlp"))
    with pytest.raises(InvalidArgumentError, match="models are listed twice"):
        CompareConfig(dataset="digits", models=("mlp", "mlp"))
