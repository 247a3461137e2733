"""Write cnnlab's English texts into the gettext catalogs, keeping their translations.

    python scripts/update_catalog.py                      # every language in src/cnnlab/locale
    python scripts/update_catalog.py --lang es            # one
    python scripts/update_catalog.py --merge more-es.po   # and take the translations of a .po

The texts come from two places: the CLI's help from the live command tree
(``cnnlab.main.command()``), so a new command, option or argument appears as soon as it exists in
the code, and every text of the source marked ``_("...")`` or ``N_("...")`` (messages, errors,
warnings, tables, figures, page labels), extracted with Babel. A new text arrives with an empty
translation, a changed one keeps its old translation marked fuzzy (``#, fuzzy``: not used until a
translator checks it and removes the mark), and a text the code no longer has is dropped. Each entry
says where it is shown (``#. cnnlab train --epochs``) or written (``#: cnnlab/ops/conv.py:40``).
``--merge`` fills translations from another catalog (a translator's file) for texts that have one
there. ``make catalog`` runs this.

It also writes the command index (src/cnnlab/cli/command_index.py): every command's name, module
and help, which lets ``cnnlab --help`` list the commands without importing them all.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from cnnlab._version import __version__
from cnnlab.cli.command_index import COMMANDS
from cnnlab.cli.help_lang import help_texts
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import DOMAIN, LOCALE_DIR, po_path
from cnnlab.main import command, command_index

HEADER = """\
# cnnlab's texts for people, translated from English (the source language).
# scripts/update_catalog.py (make catalog) adds the new texts and keeps these translations;
# cnnlab compiles this file when it first needs it (cnnlab.i18n)."""

#: the package whose ``_()``/``N_()`` texts are extracted
SOURCE = LOCALE_DIR.parent


def template() -> Catalog:
    """Every English text of cnnlab, untranslated: the help of ``cnnlab`` and of every command,
    then every ``_()``/``N_()`` text of the source."""
    pot = Catalog(domain=DOMAIN, project="cnnlab", version=__version__, fuzzy=False)
    for text, places in help_texts(command("en")).items():
        pot.add(text, auto_comments=places)
    found = extract_from_dir(SOURCE, method_map=[("**.py", "python")],
                             keywords={"_": None, "N_": None}, strip_comment_tags=True)  # fmt: skip
    for filename, lineno, text, _comments, _context in found:
        if not text:
            continue
        where = (f"cnnlab/{filename}", lineno)
        if text in pot:
            pot[text].locations.append(where)
        else:
            pot.add(text, locations=[where])
    return pot


def merged(catalog: Catalog, extra: Path, lang: str) -> None:
    """Take into ``catalog`` the translations ``extra`` (a ``.po``) has for its texts."""
    with extra.open("rb") as f:
        other = read_po(f, locale=lang, domain=DOMAIN)
    for message in other:
        if message.id and message.string and not message.fuzzy and message.id in catalog:
            catalog[message.id].string = message.string
            catalog[message.id].flags.discard("fuzzy")


def updated(path: Path, lang: str, pot: Catalog, extras: tuple[Path, ...] = ()) -> bytes:
    """The ``.po`` at ``path`` brought up to ``pot``: its translations kept, new texts added,
    the translations of ``extras`` taken."""
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        catalog.update(pot, update_creation_date=False, no_fuzzy_matching=bool(extras))
        catalog.obsolete.clear()  # a text the CLI no longer shows needs no translation
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="cnnlab", version=__version__,
                          header_comment=HEADER, msgid_bugs_address="", last_translator="cnnlab",
                          language_team=lang, fuzzy=False)  # fmt: skip
        catalog.update(pot)
    for extra in extras:
        merged(catalog, extra, lang)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue()


INDEX = SOURCE / "cli" / "command_index.py"
INDEX_HEAD = '''"""Every ``cnnlab`` command: name → (module that defines it, English help as
``cnnlab --help`` lists it), in that list's order. Written by ``make catalog``
(scripts/update_catalog.py) from the command tree; a test checks it is current. It lets
``cnnlab --help`` list every command without importing them all (:mod:`cnnlab.main`)."""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str]] = {
'''


def index_source() -> str:
    """The text of the command index for the command tree as it is now."""
    rows = [f"    {name!r}: ({module!r}, {text!r}),\n" for name, (module, text) in
            command_index().items()]  # fmt: skip
    return INDEX_HEAD + "".join(rows) + "}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", help="language to update (default: all)")
    parser.add_argument("--merge", action="append", type=Path, default=[],
                        help="a .po whose translations to take (repeatable)")  # fmt: skip
    args = parser.parse_args()
    langs = args.lang or sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    if command_index() != COMMANDS:
        atomic_write_bytes(INDEX, index_source().encode())
        print(f"updated {INDEX} (run ruff format on it)")
    pot = template()
    for lang in langs:
        path = po_path(lang)
        text = updated(path, lang, pot, tuple(args.merge))
        if not path.exists() or path.read_bytes() != text:
            atomic_write_bytes(path, text)
            print(f"updated {path}")
        catalog = read_po(io.BytesIO(text))
        todo = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
        print(f"{lang}: {len(pot)} texts, {todo} to translate")


if __name__ == "__main__":
    main()
