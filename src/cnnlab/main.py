"""The ``cnnlab`` command: the terminal commands of :mod:`cnnlab.cli` and the browser lab's
``serve``, put together here, at the top, so that ``cli`` and ``web`` never import each other."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer
from typer._click.core import Command  # typer 0.29 ships its own click: its errors are these
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from cnnlab._version import __version__
from cnnlab.cli import app
from cnnlab.cli.app import LangOption, guarded
from cnnlab.cli.help_lang import localize_help, walk
from cnnlab.cli.usage_lang import usage_message
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, resolve_lang, speaking
from cnnlab.web.guards import loopback, need_token
from cnnlab.web.lab_runs import choose_runs
from cnnlab.web.server import check_port
from cnnlab.web.server import serve as serve_lab

#: the order `cnnlab --help` lists commands in: from one kernel to a trained, compared model
HELP_ORDER = (
    *("demo", "convolve", "explain", "pool", "kernels", "samples", "animate"),
    *("summary", "models", "train", "evaluate", "predict", "visualize", "report"),
    *("compare", "deck", "detect", "read", "generate", "generate-study"),
    *("exercise", "serve", "version"),
)


HostOption = Annotated[
    str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this computer.")
]
RunOption = Annotated[
    list[str] | None,
    typer.Option("--run", help="Run folder for the Draw-a-digit tab (repeat for several)."),
]
RunsDirOption = Annotated[
    str | None, typer.Option("--runs-dir", help="Folder whose run sub-folders the Draw tab offers.")
]
TokenOption = Annotated[
    str | None,
    typer.Option(help="Access token the page asks for (default: none on 127.0.0.1; on any other "
                      "address a random one, printed in the address)."),
]  # fmt: skip
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option("--allow-host", help="Extra Host name the lab answers (repeatable)."),
]


@app.command()
@guarded
def serve(
    host: HostOption = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7860,
    run: RunOption = None,
    runs_dir: RunsDirOption = None,
    token: TokenOption = None,
    allow_host: AllowHostOption = None,
    lang: LangOption = None,
) -> None:
    """Open the browser lab: convolution, pooling, model summaries and draw-a-digit."""
    lang = resolve_lang(lang)
    check_port(host, port)
    secret = need_token(host, token)
    runs = choose_runs(run or [], runs_dir, lambda line: typer.echo(line, err=True))
    if not loopback(host):
        typer.echo(_("warning: listening on {host}: other computers can reach the lab; it asks "
                     "for the token below", host=host), err=True)  # fmt: skip
    query = f"?token={secret}" if secret else ""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/{lang}/{query}"
    typer.echo(_("cnnlab lab: {url}  (Ctrl-C stops it)", url=url))
    serve_lab(host, port, lang, runs, secret, allow_host or ())


def _help_rank(command) -> int:
    name = command.name or command.callback.__name__.replace("_", "-")
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


app.registered_commands.sort(key=_help_rank)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
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


def command(lang: str | None = None) -> Command:
    """The click command behind ``cnnlab``, its on/off flags shown without a value type, its
    help in ``lang`` (else the environment's language)."""
    root = typer.main.get_command(app)
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
    cmd = command(lang)
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


__all__ = ["app", "main"]
