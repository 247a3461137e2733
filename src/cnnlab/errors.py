"""One exception family for cnnlab.

Library code raises these; only the CLI (and the web layer) turns them into an exit code or a
message on the page. Messages follow one pattern: what is wrong, what was expected, what was
received, e.g. ``stride must be at least 1; expected an int >= 1. Received: stride=0``.
"""

from __future__ import annotations


class CnnlabError(Exception):
    """Base class of every error cnnlab raises on purpose.

    ``one_line``: the message for one-line displays (the CLI), when it differs from ``str()``;
    ``spec`` and ``position``: the text a located error points into and the index of the bad
    character (model specs), shown with a caret under it; ``headline``: the message without the
    caret picture.
    """

    def __init__(
        self,
        *args: object,
        one_line: str | None = None,
        spec: str | None = None,
        position: int | None = None,
        headline: str | None = None,
    ):
        super().__init__(*args)
        self.one_line, self.spec, self.position, self.headline = one_line, spec, position, headline


class ShapeError(CnnlabError, ValueError):
    """An array, kernel or layer has dimensions that do not fit."""


class InvalidArgumentError(CnnlabError, ValueError):
    """An argument has a value outside what is accepted."""


class UnknownNameError(CnnlabError, KeyError):
    """A named thing (kernel, sample, data set, model, layer) does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InputFileError(CnnlabError, ValueError):
    """A file could not be read as the expected kind of input."""


class DataError(CnnlabError):
    """A data set could not be fetched, verified or decoded."""


class CheckpointError(CnnlabError):
    """A run folder or checkpoint is missing, truncated, tampered with or unsafe."""


class TrainingError(CnnlabError):
    """Training cannot go on (for example the loss became NaN)."""


#: characters of a received value a message repeats (a 16 MiB field is not echoed back)
ECHO_CHARS = 60


def clip(value: object, most: int = ECHO_CHARS) -> str:
    """``value`` as text, cut to ``most`` characters (``…`` marks the cut) so that a message
    never echoes more than that of what it received.

    >>> clip("abc"), clip("x" * 100, 5)
    ('abc', 'xxxx…')
    """
    text = str(value)
    return text if len(text) <= most else text[: most - 1] + "…"
