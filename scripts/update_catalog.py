"""Write the CLI's English help texts into the gettext catalogs, keeping their translations.

    python scripts/update_catalog.py            # every language in src/cnnlab/locale
    python scripts/update_catalog.py --lang es  # one

The texts come from the live command tree (``cnnlab.main.command()``), so a new command, option or
argument appears here as soon as it exists in the code: a new text arrives with an empty
translation, a changed one keeps its old translation marked fuzzy (``#, fuzzy``: not used until a
translator checks it and removes the mark), and a text the CLI no longer has is dropped. Each entry
says where the help shows it (``#. cnnlab train --epochs``). ``make catalog`` runs this.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from cnnlab._version import __version__
from cnnlab.cli.help_lang import help_texts
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import DOMAIN, LOCALE_DIR, po_path
from cnnlab.main import command

HEADER = """\
# cnnlab's command-line help, translated from English (the source language).
# scripts/update_catalog.py (make catalog) adds the CLI's new texts and keeps these translations;
# cnnlab compiles this file when it first needs it (cnnlab.i18n)."""


def template() -> Catalog:
    """The English texts of ``cnnlab --help`` and every command's help, untranslated."""
    pot = Catalog(domain=DOMAIN, project="cnnlab", version=__version__, fuzzy=False)
    for text, places in help_texts(command("en")).items():
        pot.add(text, auto_comments=places)
    return pot


def updated(path: Path, lang: str, pot: Catalog) -> bytes:
    """The ``.po`` at ``path`` brought up to ``pot``: its translations kept, new texts added."""
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        catalog.update(pot, update_creation_date=False)
        catalog.obsolete.clear()  # a text the CLI no longer shows needs no translation
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="cnnlab", version=__version__,
                          header_comment=HEADER, msgid_bugs_address="", last_translator="cnnlab",
                          language_team=lang, fuzzy=False)  # fmt: skip
        catalog.update(pot)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", help="language to update (default: all)")
    langs = parser.parse_args().lang or sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    pot = template()
    for lang in langs:
        path = po_path(lang)
        text = updated(path, lang, pot)
        if not path.exists() or path.read_bytes() != text:
            atomic_write_bytes(path, text)
            print(f"updated {path}")
        catalog = read_po(io.BytesIO(text))
        todo = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
        print(f"{lang}: {len(pot)} texts, {todo} to translate")


if __name__ == "__main__":
    main()
