"""``--help`` in Spanish through the gettext catalog: every text translated, no English left in
the Spanish help of any command, English unchanged, the catalog compiled from its one ``.po``."""

from __future__ import annotations

import gettext
import io
import re

import pytest
from babel.messages.pofile import read_po

from cnnlab import i18n
from cnnlab.cli.help_lang import help_texts, walk
from cnnlab.i18n import compiled_catalog, po_path
from cnnlab.main import asked_lang, command, run

#: what must survive translation untouched: option names, `commands`, {placeholders}, $VARS
KEPT = re.compile(r"--[\w-]+|`[^`]*`|\{[^}]*\}|\$\w+")


@pytest.fixture(scope="module")
def catalog():
    with po_path("es").open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def english() -> dict[str, list[str]]:
    """Every English text the help shows → where it shows it."""
    return help_texts(command("en"))


@pytest.fixture
def lang_env(monkeypatch):
    """Set the language variables: ``lang_env(LANG="es_CL.UTF-8")``; the others unset."""

    def set_env(**env: str) -> None:
        for var in ("CNNLAB_LANG", "LC_ALL", "LANG"):
            monkeypatch.delenv(var, raising=False)
        for var, value in env.items():
            monkeypatch.setenv(var, value)

    set_env(LANG="C")
    return set_env


def help_of(args: list[str], capsys) -> str:
    capsys.readouterr()
    assert run(args) == 0
    return capsys.readouterr().out


def flat(text: str) -> str:
    """Help without its boxes and line breaks, so a wrapped sentence reads as one."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_every_help_text_has_a_spanish_translation(catalog, english):
    missing = [
        f"{' | '.join(places)}: {text!r}"
        for text, places in english.items()
        if catalog.get(text) is None or not catalog.get(text).string or catalog.get(text).fuzzy
    ]
    assert missing == [], "translate these in the .po (make catalog adds new texts first)"


def kept(text: str) -> list[str]:
    """What ``text`` must keep; a placeholder given per language (``{what_en}`` in English,
    ``{what_es}`` in Spanish) counts as one."""
    return sorted(re.sub(r"_e[ns]\b", "", found) for found in KEPT.findall(text))


def test_translations_keep_option_names_commands_and_placeholders(catalog):
    changed = [(m.id, m.string) for m in catalog if m.id and kept(m.id) != kept(m.string)]
    assert changed == []


def test_train_help_is_spanish_with_lang(lang_env, capsys, catalog):
    out = help_of(["train", "--help", "--lang", "es"], capsys)
    spanish = ("Uso:", "[OPCIONES]", "Opciones", "Entrena un modelo y escribe una carpeta",
               "Tasa de aprendizaje máxima.", "[por defecto: 0,02]", "Muestra este")  # fmt: skip
    for text in spanish:
        assert text in flat(out)
    for english in ("Usage:", "Options", "Peak learning rate.", "[default:", "Show this message"):
        assert english not in out


def test_root_help_is_spanish_from_lang_variable(lang_env, capsys):
    lang_env(LANG="es_CL.UTF-8")
    out = flat(help_of(["--help"], capsys))
    assert "Visualiza, construye, entrena y compara redes neuronales convolucionales." in out
    assert "COMANDO [ARGUMENTOS]..." in out
    assert "Comandos" in out and "Commands" not in out
    assert "Lista, descarga y muestra conjuntos de datos." in out


def test_data_fetch_help_is_spanish(lang_env, capsys):
    lang_env(CNNLAB_LANG="es")
    out = flat(help_of(["data", "fetch", "--help"], capsys))
    assert "Argumentos" in out and "[obligatorio]" in out
    assert "Nombre del conjunto de datos, p. ej. mnist." in out
    assert "Data set name" not in out and "[required]" not in out


def test_no_english_sentence_in_any_spanish_help(lang_env, capsys, catalog, english):
    """Every command's help, in Spanish, shows none of the English texts it translates."""
    english = [text for text in english if catalog.get(text) and catalog[text].string != text]
    leftovers = {}
    for path, _cmd in walk(command("en")):
        out = flat(help_of([*path.split()[1:], "--help", "--lang", "es"], capsys))
        found = [text for text in english if flat(text) in out]
        if found:
            leftovers[path] = found
    assert leftovers == {}


def test_lang_anywhere_on_the_command_line(lang_env, capsys):
    assert "Uso:" in help_of(["--lang", "es", "data", "fetch", "--help"], capsys)
    assert "Uso:" in help_of(["data", "--lang=es", "--help"], capsys)
    assert "Usage:" in help_of(["--lang", "es", "train", "--lang", "en", "--help"], capsys)
    # the root's --lang reaches the command that runs
    assert "Conjuntos de datos" in help_of(["--lang", "es", "data", "list"], capsys)


def test_asked_lang_reads_the_last_lang():
    assert asked_lang(["train", "--lang=es"]) == "es"
    assert asked_lang(["--lang", "en", "x", "--lang", "es"]) == "es"
    assert asked_lang(["train", "--lang"]) is None
    assert asked_lang(["train"]) is None
    assert asked_lang([]) is None


def test_no_arguments_shows_the_help_in_spanish(lang_env, capsys):
    lang_env(LANG="es_AR.UTF-8")
    assert "Comandos" in help_of([], capsys)


def test_english_help_unchanged(lang_env, capsys):
    help_of(["train", "--help", "--lang", "es"], capsys)  # Spanish first, in the same process
    out = flat(help_of(["train", "--help"], capsys))
    for english in ("Usage: cnnlab train [OPTIONS]", "Options", "Peak learning rate.",
                    "Train a model and write a run folder", "[default: 0.02]",
                    "Show this message and exit."):  # fmt: skip
        assert english in out
    assert "Opciones" not in out and "por defecto" not in out
    root = flat(help_of(["--help"], capsys))
    assert "COMMAND [ARGS]..." in root and "Commands" in root
    assert "See, build, train and compare convolutional neural networks." in root


def test_unknown_lang_shows_the_environment_language_and_fails_in_the_command(lang_env, capsys):
    lang_env(LANG="es_ES.UTF-8")
    assert "Uso:" in help_of(["data", "fetch", "--help", "--lang", "xx"], capsys)
    assert run(["data", "list", "--lang", "xx"]) == 2
    assert "idioma desconocido 'xx'" in capsys.readouterr().err  # in the environment's language


def test_catalog_compiled_once_per_po_into_the_cache(tmp_path, monkeypatch, catalog):
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / "cache"))
    mo = compiled_catalog(po_path("es"))
    (cached,) = (tmp_path / "cache" / "locale").glob("es-cnnlab-*.mo")
    assert cached.read_bytes() == mo == compiled_catalog(po_path("es"))
    assert gettext.GNUTranslations(io.BytesIO(mo)).gettext("Options") == "Opciones"
    # an edited .po is a new file in the cache: never a stale .mo
    edited = tmp_path / "es" / "LC_MESSAGES" / "cnnlab.po"
    edited.parent.mkdir(parents=True)
    edited.write_bytes(po_path("es").read_bytes().replace(b'"Opciones"', b'"Opciones:"'))
    again = gettext.GNUTranslations(io.BytesIO(compiled_catalog(edited)))
    assert again.gettext("Options") == "Opciones:"
    assert len(list((tmp_path / "cache" / "locale").glob("es-cnnlab-*.mo"))) == 2


def test_catalog_works_without_a_writable_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CNNLAB_CACHE", str(blocker))
    mo = compiled_catalog(po_path("es"))
    assert gettext.GNUTranslations(io.BytesIO(mo)).gettext("Commands") == "Comandos"


def test_english_is_the_source_language():
    assert i18n.translations("en").gettext("Options") == "Options"
    assert i18n.translations("es").gettext("Options") == "Opciones"
