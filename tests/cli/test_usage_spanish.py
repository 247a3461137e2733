"""Typer's and click's own words in Spanish: usage errors, value types in ``--help``, and the
lines the CLI itself writes (warnings, refused files)."""

from __future__ import annotations

import re
import warnings

import pytest
import typer

from cnnlab.cli.app import guarded
from cnnlab.cli.usage_lang import USAGE, type_label, usage_message
from cnnlab.i18n import translations
from cnnlab.main import run

#: English words of click's usage errors that must not survive in Spanish
ENGLISH = ("No such", "Missing", "Got unexpected", "Invalid value", "Did you mean",
           "is not a valid", "Possible options", "does not take", "Input should",
           "(see:")  # fmt: skip


@pytest.fixture
def no_lang(monkeypatch):
    for var in ("CNNLAB_LANG", "LC_ALL", "LANG"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(
    ("args", "spanish"),
    [
        (["train", "--epoch", "3"], "No existe la opción: --epoch (opciones posibles: --epochs"),
        (["trian"], "No existe el comando 'trian'. ¿Quisiste decir 'train'?"),
        (["convolve"], "Falta el argumento 'input'."),
        (["convolve", "a", "b", "c"], "Se recibieron argumentos de más (b c)"),
        (["train", "--epochs", "x"], "Valor no válido para '--epochs': Se esperaba un número "),
        (["train", "--lr", "abc"], "Valor no válido para '--lr': Se esperaba un número;"),
        (["train", "--resume=3"], "La opción '--resume' no lleva valor."),
        (["data"], "Falta el comando."),
    ],
)
def test_usage_errors_are_one_spanish_line(args, spanish, no_lang, capsys):
    assert run([*args, "--lang", "es"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: " + spanish)
    assert "(ver: " in err and not any(word in err for word in ENGLISH)


def test_a_spanish_lang_variable_is_enough(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "es_CL.UTF-8")
    assert run(["pool", "bidoof", "--size", "2.5"]) == 2
    err = capsys.readouterr().err
    assert "Valor no válido para '--size'" in err and "Invalid" not in err


def test_english_usage_errors_are_left_as_click_writes_them(no_lang, capsys):
    assert run(["convolve", "a", "b"]) == 2
    assert "Got unexpected extra argument(s) (b) (see: " in capsys.readouterr().err


def test_every_usage_template_reads_back_its_own_words():
    """Each template, filled in, is recognised and written again in Spanish."""
    for template in USAGE:
        fields = {name: "'x'" for name in re.findall(r"\{(\w+)\}", template)}
        english = template.format(**fields)
        spanish = usage_message(english, "es")
        assert spanish == translations("es").gettext(template).format(**fields), template
        assert spanish != english, template


def test_an_unknown_message_is_left_as_it_is():
    assert usage_message("Something click may say one day.", "es") == (
        "Something click may say one day."
    )


def test_value_types_in_spanish_help(no_lang, capsys):
    assert run(["convolve", "--help", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "<entero>" in out and "<texto>" in out and "<ruta>" in out
    assert not re.search(r"<(int|str|path|float)>", out)
    assert type_label("<float>", "es") == "<real>" and type_label("<max|avg>", "es") == "<max|avg>"
    assert type_label("<int>", "en") == "<int>"


def test_cli_warnings_and_refused_files_are_spanish(capsys, tmp_path):
    @guarded
    def command(lang=None):
        warnings.warn("saltando x.txt", stacklevel=1)
        open(tmp_path / "nothing.png", "rb")  # noqa: SIM115

    with pytest.raises(typer.Exit) as exit_info:
        command(lang="es")
    err = capsys.readouterr().err
    assert "aviso: saltando x.txt" in err and "warning:" not in err
    assert "error: No existe el archivo o la carpeta: " in err
    assert exit_info.value.exit_code == 2


def test_ctrl_c_is_said_in_spanish(capsys):
    @guarded
    def command(lang=None):
        raise KeyboardInterrupt

    with pytest.raises(typer.Exit) as exit_info:
        command(lang="es")
    assert capsys.readouterr().err.strip() == "interrumpido"
    assert exit_info.value.exit_code == 130
