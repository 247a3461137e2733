"""The ``cnnlab`` command: the terminal commands of :mod:`cnnlab.cli` and the browser lab's
``serve``, put together here, at the top, so that ``cli`` and ``web`` never import each other."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated

import typer
from typer._click.core import Command  # typer 0.29 ships its own click: its errors are these
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperCommand

from cnnlab._version import __version__
from cnnlab.cli.app import LangOption
from cnnlab.cli.app import app as _app
from cnnlab.cli.command_index import COMMANDS
from cnnlab.cli.help_lang import localize_help, walk
from cnnlab.cli.usage_lang import usage_message
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, resolve_lang, speaking

#: the order `cnnlab --help` lists commands in: from one kernel to a trained, compared model
HELP_ORDER = (
    *("demo", "convolve", "explain", "pool", "kernels", "samples", "animate"),
    *("summary", "models", "train", "evaluate", "predict", "visualize", "report"),
    *("compare", "deck", "detect", "read", "generate", "generate-study"),
    *("exercise", "serve", "version"),
)
#: the modules that register commands on the app, each imported only when one of its commands
#: runs (click's lazy loading): torch, matplotlib and the web server stay out of the others
COMMAND_MODULES = (
    *("cnnlab.cli.ops_cmds", "cnnlab.cli.viz_cmds", "cnnlab.cli.model_cmds"),
    *("cnnlab.cli.train_cmds", "cnnlab.cli.experiment_cmds", "cnnlab.cli.deck_cmds"),
    *("cnnlab.cli.detect_cmds", "cnnlab.cli.generate_cmds", "cnnlab.cli.exercise_cmds"),
    *("cnnlab.serve_cmd", "cnnlab.cli.app", "cnnlab.cli.data_cmds"),
)


def load_commands(names: Iterable[str] | None = None) -> None:
    """Import the modules that define the commands ``names`` (every module when None); a name
    that is no command loads nothing (click then says so, with the closest names)."""
    wanted = COMMAND_MODULES if names is None else [COMMANDS[n][0] for n in names if n in COMMANDS]
    for module in wanted:
        importlib.import_module(module)


def __getattr__(name: str):
    # PEP 562: `from cnnlab.main import app` gets the app with every command on it
    if name == "app":
        load_commands()
        return _app
    raise AttributeError(f"module 'cnnlab.main' has no attribute {name!r}")


def command_index() -> dict[str, tuple[str, str]]:
    """Every command, in ``--help`` order: name → (module that defines it, English help as the
    command list shows it). ``make catalog`` writes it to :mod:`cnnlab.cli.command_index`."""
    load_commands()
    infos = {_help_name(c): c.callback.__module__ for c in _app.registered_commands}
    for group in _app.registered_groups:
        infos[group.name] = group.typer_instance.registered_commands[0].callback.__module__
    root = command("en")
    return {
        name: (infos[name], cmd.short_help or cmd.help or "") for name, cmd in root.commands.items()
    }


def _help_name(command) -> str:
    return command.name or command.callback.__name__.replace("_", "-")


def _help_rank(command) -> int:
    name = _help_name(command)
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@_app.callback()
def _options(
    show_version: Annotated[  # not `version`: the default_map key of the version command
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Print the cnnlab version and exit."),
    ] = False,
    lang: LangOption = None,
) -> None:  # fmt: skip
    """See, build, train and compare convolutional neural networks."""
    # --lang here is read before the command line is parsed (run) and passed on to the command


def command(lang: str | None = None, names: Iterable[str] | None = None) -> Command:
    """The click command behind ``cnnlab``, its on/off flags shown without a value type, its
    help in ``lang`` (else the environment's language).

    ``names`` loads only those commands (default: all); every other command is listed by the
    name and help :mod:`cnnlab.cli.command_index` keeps for it, so ``cnnlab --help`` reads the
    same either way.
    """
    load_commands(names)
    _app.registered_commands.sort(key=_help_rank)
    root = typer.main.get_command(_app)
    root.commands = {
        name: root.commands.get(name) or TyperCommand(name, help=text)
        for name, (_module, text) in COMMANDS.items()
    } | root.commands
    for _path, cmd in walk(root):
        for param in cmd.params:
            if getattr(param, "is_flag", False):
                param.metavar = ""  # a flag takes no value: no "<bool>" in --help
        cmd.get_help_option = _bare_help(cmd.get_help_option)
    return localize_help(root, lang)


def asked_lang(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` anywhere in ``args`` (``--lang es``, ``--lang=es``)."""
    asked = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return asked


def command_name(args: Sequence[str]) -> str | None:
    """The command ``args`` run: the first word that is not a root option (``--lang es``,
    ``--lang=es``, ``--version``, ``--help``), else None."""
    words = iter(args)
    for arg in words:
        if arg == "--lang":
            next(words, None)
        elif not arg.startswith("-"):
            return arg
    return None


def _help_lang(asked: str | None) -> str:
    """The language of the help: ``asked``, else the environment's (an unknown ``asked`` is
    reported by the command that reads it)."""
    try:
        return resolve_lang(asked)
    except InvalidArgumentError:
        return resolve_lang()


def _lang_defaults(root: Command, lang: str) -> dict:
    """A click ``default_map`` that gives ``--lang`` the value ``lang`` in every command that
    has it, so that ``cnnlab --lang es data fetch mnist`` speaks Spanish all the way down."""
    out: dict = {"lang": lang} if any(p.name == "lang" for p in root.params) else {}
    for name, sub in getattr(root, "commands", {}).items():
        if below := _lang_defaults(sub, lang):
            out[name] = below
    return out


def _bare_help(make):
    """``--help`` is made on demand: show it without a value type too."""

    def get_help_option(ctx):
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    return get_help_option


def _usage_line(exc: UsageError, lang: str) -> str:
    """``error: No such option: --epoch (Possible options: --epochs) (see: cnnlab train
    --help)``, in ``lang`` (click writes it in English: :func:`usage_message` translates it)."""
    path = exc.ctx.command_path if exc.ctx is not None else "cnnlab"
    message = usage_message(" ".join(exc.format_message().split()), lang)
    with speaking(lang):
        return f"error: {message} " + _("(see: {path} --help)", path=path)


def run(args: Sequence[str] | None = None, prog_name: str | None = "cnnlab") -> int:
    """Run ``cnnlab`` with ``args``; return the exit code. Usage errors are one line, code 2.

    ``prog_name=None`` lets the usage lines say how it was started (``python -m cnnlab``).
    """
    argv = list(sys.argv[1:] if args is None else args)
    asked = asked_lang(argv)
    lang = _help_lang(asked)
    cmd = command(lang, [name] if (name := command_name(argv)) else [])
    defaults = _lang_defaults(cmd, asked) if asked else None
    try:
        code = cmd.main(args=argv, prog_name=prog_name, standalone_mode=False,
                        default_map=defaults)  # fmt: skip
    except NoArgsIsHelpError:
        return 0  # the help was already printed
    except UsageError as exc:
        typer.echo(_usage_line(exc, lang), err=True)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        return 130
    return code if isinstance(code, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(prog_name=None))


__all__ = ["command", "load_commands", "main", "run"]  # and `app`, loaded on use (__getattr__)
