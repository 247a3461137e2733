"""One gettext catalog for every text written for people: nothing left untranslated, every text
extractable, numbers in the reader's marks."""

from __future__ import annotations

import ast
import builtins
import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from cnnlab.i18n import THIN_SPACE, _, number, po_path, resolve_lang, speaking, tr

SRC = Path(__file__).parents[1] / "src" / "cnnlab"
SCRIPT = Path(__file__).parents[1] / "scripts" / "update_catalog.py"


@pytest.fixture(scope="module")
def catalog():
    with po_path("es").open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def template():
    spec = importlib.util.spec_from_file_location("update_catalog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.template()


def test_every_text_of_cnnlab_has_a_spanish_translation(catalog, template):
    missing = [
        f"{message.locations or message.auto_comments}: {message.id!r}"
        for message in template
        if message.id
        and (catalog.get(message.id) is None or not catalog[message.id].string
             or catalog[message.id].fuzzy)
    ]  # fmt: skip
    assert missing == [], "run `make catalog`, then translate these in the .po"


def test_the_catalog_holds_no_text_cnnlab_no_longer_has(catalog, template):
    assert sorted(m.id for m in catalog if m.id and m.id not in template) == []


def _marked_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "N_"):
            yield node


def test_every_marked_text_is_a_plain_string_the_extractor_can_read():
    """``_(f"...")`` or ``_(text)`` would never reach the catalog: the English would show."""
    bad = []
    for path in SRC.rglob("*.py"):
        for call in _marked_calls(ast.parse(path.read_text(encoding="utf-8"))):
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                bad.append(f"{path.relative_to(SRC)}:{call.lineno}")
    assert bad == []


def test_spanish_numbers_have_a_decimal_comma_and_thin_space_thousands():
    assert number(1438.5, ",.1f", "es") == f"1{THIN_SPACE}438,5"
    assert number(1438.5, ",.1f", "en") == "1,438.5"
    assert number(0.929, ".1%", "es") == "92,9\u00a0%"
    assert number(61706, ",", "es") == f"61{THIN_SPACE}706"
    assert number(-0.25, "", "es") == "-0,25"


def test_placeholders_are_filled_with_numbers_in_the_language_of_the_text():
    with speaking("es"):
        text = _("{count:,} images, {share:.1%} correct, loss {loss}", count=12345, share=0.5,
                 loss=0.125)  # fmt: skip
    assert text == f"12{THIN_SPACE}345 images, 50,0\u00a0% correct, loss 0,125"
    assert "." not in text
    assert _("loss {loss}", loss=0.125) == "loss 0.125"  # outside the block: English again


def test_speaking_sets_the_language_of_a_block_and_restores_it(monkeypatch):
    monkeypatch.setenv("CNNLAB_LANG", "en")
    with speaking("es"):
        assert resolve_lang() == "es"
        with speaking(None):
            assert resolve_lang() == "es"
        assert tr({"k": "Received: {name!r}"}, "k", name="x") == "Recibido: 'x'"
    assert resolve_lang() == "en"


def _plain_messages(tree: ast.AST):
    """``raise SomeError("...")``/``(f"...")`` of a cnnlab error, and ``warnings.warn("...")``:
    a message that bypasses the catalog."""
    for node in ast.walk(tree):
        call, kind = None, ""
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
            kind = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if not kind.endswith("Error") or hasattr(builtins, kind):
                continue  # a Python error for programmers (KeyError, AttributeError...)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "warn":
            call, kind = node, "warn"
        first = call.args[0] if call is not None and call.args else None
        if isinstance(first, ast.JoinedStr | ast.BinOp) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        ):
            yield f"{kind} at line {node.lineno}"


def test_no_error_or_warning_message_bypasses_the_catalog():
    bad = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad += [f"{path.relative_to(SRC)}: {found}" for found in _plain_messages(tree)]
    assert bad == [], "write these messages as _(\"...\", field=value)"
