"""``--help`` in the reader's language.

The help texts are written in English (command docstrings, option and argument ``help=``); their
Spanish lives in the gettext catalog (:func:`cnnlab.i18n.translations`). :func:`localize_help`
swaps them in the click command tree before any help is shown, together with the words click and
typer add around them ("Usage:", "Options", "[default: …]"). :func:`help_texts` lists every text
to translate, for ``scripts/update_catalog.py`` and for the test that none is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import typer.rich_utils as rich_utils
from typer._click.core import Command, Context, Parameter
from typer.core import TyperGroup

from cnnlab.cli.usage_lang import type_label
from cnnlab.i18n import local_number, resolve_lang, translations

#: typer's own words in its rich help, by their names in typer.rich_utils, as typer writes them
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "DEFAULT_STRING": "[default: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ENVVAR_STRING": "[env var: {}]",
}
#: click's words: the usage line's prefix and placeholders, the help option's help
USAGE, OPTIONS_METAVAR, COMMAND_METAVAR = "Usage:", "[OPTIONS]", "COMMAND [ARGS]..."
HELP_HELP = "Show this message and exit."
CLICK_WORDS = (USAGE, OPTIONS_METAVAR, COMMAND_METAVAR, HELP_HELP)


def walk(root: Command, path: str = "cnnlab") -> Iterator[tuple[str, Command]]:
    """Every command under ``root`` (``root`` first) with its command line: ``cnnlab data``."""
    yield path, root
    for name, sub in getattr(root, "commands", {}).items():
        yield from walk(sub, f"{path} {name}")


def help_texts(root: Command) -> dict[str, list[str]]:
    """English text → where the help shows it (``cnnlab train --epochs``), in tree order, with
    typer's and click's words first."""
    found: dict[str, list[str]] = {}
    for word in (*TYPER_WORDS.values(), *CLICK_WORDS):
        found[word] = ["typer/click"]
    for path, cmd in walk(root):
        for text in (cmd.help, cmd.short_help):
            if text:
                found.setdefault(text, []).append(path)
        for param in cmd.params:
            if getattr(param, "help", None):
                found.setdefault(param.help, []).append(f"{path} {param.opts[0]}")
    return found


def localize_help(root: Command, lang: str | None = None) -> Command:
    """Put the help of ``root`` and of every command under it into ``lang`` (else the
    environment's language); English leaves it as written. Returns ``root``."""
    lang = resolve_lang(lang)
    local = translations(lang).gettext
    for name, english in TYPER_WORDS.items():  # module constants: set for every language
        setattr(rich_utils, name, local(english))
    for _path, cmd in walk(root):
        cmd.help = cmd.help and local(cmd.help)
        cmd.short_help = cmd.short_help and local(cmd.short_help)
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = local(param.help)
            if hasattr(param, "display_type"):
                param.display_type = _typed(param.display_type, lang)
            if hasattr(param, "_get_default_string"):
                param._get_default_string = _local_default(param._get_default_string, lang)
        cmd.options_metavar = local(OPTIONS_METAVAR)
        if isinstance(cmd, TyperGroup):
            cmd.subcommand_metavar = local(COMMAND_METAVAR)
        cmd.format_usage = _usage_with(cmd, local(USAGE) + " ")
        cmd.get_help_option = _help_option_with(cmd.get_help_option, local(HELP_HELP))
    return root


def _typed(display_type, lang: str):
    """``param.display_type`` (``"<int>"`` in ``--help``) in ``lang``: ``"<entero>"``."""

    def local_type(ctx: Context) -> str | None:
        return type_label(display_type(ctx), lang)

    return local_type


def _local_default(default_string, lang: str):
    """``param._get_default_string`` (the value in ``[default: 0.02]``) with a number written
    in ``lang``'s marks: ``[por defecto: 0,02]``."""

    def local_default(**kwargs) -> str:
        text = default_string(**kwargs)
        return local_number(text, lang) if re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text) else text

    return local_default


def _usage_with(cmd: Command, prefix: str):
    """``cmd.format_usage`` that starts the usage line with ``prefix`` ("Uso: ")."""

    def format_usage(ctx: Context, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(cmd.collect_usage_pieces(ctx)), prefix)

    return format_usage


def _help_option_with(make, text: str):
    """``--help`` is made on demand: give it ``text`` as its help."""

    def get_help_option(ctx: Context) -> Parameter | None:
        option = make(ctx)
        if option is not None:
            option.help = text
        return option

    return get_help_option
