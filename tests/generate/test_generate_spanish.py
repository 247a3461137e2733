"""The generator's settings are refused in Spanish with decimal commas."""

from __future__ import annotations

import re

import pytest

from cnnlab.errors import InvalidArgumentError
from cnnlab.generate.sampling import GenerateConfig, check_temperature
from cnnlab.i18n import speaking


def test_a_bad_temperature_is_refused_in_spanish_without_a_decimal_point():
    with speaking("es"), pytest.raises(InvalidArgumentError) as info:
        check_temperature(2.5)
    message = str(info.value)
    assert message.startswith("la temperatura debe ser un número en (0; 2]")
    assert "p. ej. 0,8" in message and message.endswith("Recibido: temperature=2,5")
    assert not re.search(r"\d\.\d", message)


def test_a_count_out_of_range_names_its_spanish_interval():
    with speaking("es"), pytest.raises(InvalidArgumentError) as info:
        GenerateConfig(count=0)
    assert str(info.value) == "count debe ser un número entero en [1; 10000]. Recibido: count=0"
    with pytest.raises(InvalidArgumentError, match=r"whole number in \[1, 10000\]"):
        GenerateConfig(count=0)
