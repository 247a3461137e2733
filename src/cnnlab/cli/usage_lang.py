"""Typer's and click's own words in the reader's language: usage errors and value types.

Typer 0.29 ships its own click (``typer._click``), which writes its usage errors in English with
f-strings ("No such option: --epoch (Possible options: --epochs)"); nothing in it can be asked to
speak Spanish. :func:`usage_message` reads such a message back against the English templates of
:data:`USAGE` (the same words, their varying parts as ``{placeholders}``) and writes it again in
the current language; a message it does not know stays as click wrote it. The value types shown
in ``--help`` (``<int>``, ``<path>``) are translated by :func:`type_label`.
"""

from __future__ import annotations

import functools
import re

from cnnlab.i18n import N_, resolve_lang, translate

#: click's and typer's usage errors, as they write them; ``{message}`` is itself one of these
USAGE = (
    N_("No such option: {name}"),
    N_("No such option: {name} (Possible options: {names})"),
    N_("No such command {name}."),
    N_("No such command {name}. Did you mean {names}?"),
    N_("Missing command."),
    N_("Missing argument {name}."),
    N_("Missing argument {name}. {message}"),
    N_("Missing option {name}."),
    N_("Missing option {name}. {message}"),
    N_("Missing parameter {name}."),
    N_("Missing parameter: {name}"),
    N_("Choose from: {choices}"),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name} does not take a value."),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {n} arguments."),
    N_("Argument {name} takes {n} values."),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("Value {value} is not a valid {kind}."),
    N_("{value} is not one of {choices}."),
    N_("Value must be an iterable."),
    N_("File {path} does not exist."),
    N_("Directory {path} does not exist."),
    N_("Path {path} does not exist."),
    N_("File {path} is a directory."),
    N_("Path {path} is a directory."),
    N_("Directory {path} is a file."),
    N_("Path {path} is a file."),
    N_("Input should be a valid integer"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid number"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a finite number"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be a valid string"),
)

#: the value types ``--help`` shows between ``<`` and ``>``
TYPES = {
    "str": N_("str"),
    "int": N_("int"),
    "float": N_("float"),
    "bool": N_("bool"),
    "path": N_("path"),
    "file": N_("file"),
    "dir": N_("dir"),
    "list": N_("list"),
}


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """Each template as a regular expression, the ones with the most fixed words first (so
    that "No such option: {name} (Possible options: {names})" wins over its start)."""

    def compile_one(template: str) -> re.Pattern:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                        for i, p in enumerate(parts))  # fmt: skip
        return re.compile(regex, re.DOTALL)

    def fixed_length(template: str) -> int:
        return len(re.sub(r"\{\w+\}", "", template))

    ordered = sorted(USAGE, key=fixed_length, reverse=True)
    return tuple((compile_one(t), t) for t in ordered)


def usage_message(message: str, lang: str | None = None) -> str:
    """Click's English ``message`` in ``lang`` (default: the current language); an unknown
    message is returned as it is. Parts that are messages themselves are translated too."""
    lang = resolve_lang(lang)
    if lang == "en":
        return message
    for pattern, template in _patterns():
        found = pattern.fullmatch(message)
        if found:
            fields = {k: usage_message(v, lang) if k == "message" else v
                      for k, v in found.groupdict().items()}  # fmt: skip
            return translate(template, lang, fields)
    return message


def type_label(shown: str | None, lang: str | None = None) -> str | None:
    """A value type as ``--help`` shows it, in ``lang``: ``"<int>"`` → ``"<entero>"``;
    choices (``<max|avg>``) and unknown types stay as they are."""
    if not shown or resolve_lang(lang) == "en":
        return shown
    return re.sub(r"(?<=[<\[,|])(\w+)(?=[>\],|])",
                  lambda m: translate(TYPES[m[1]], resolve_lang(lang), {})
                  if m[1] in TYPES else m[1], shown)  # fmt: skip
