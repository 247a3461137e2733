"""A Spanish session (``LANG=es_CL.UTF-8``): the README's commands, help and bad inputs show no
English sentence and no decimal point.

English is recognised by its small words, which Spanish never uses ("the", "expected", "is"...);
a line that quotes what the reader typed or a file's own text is not cnnlab's to translate and
is left out by the ``OWN_WORDS`` it contains.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import readme_blocks as R
from test_readme import run_command

#: words of English that no Spanish sentence has (whole words, any case)
ENGLISH = re.compile(
    r"\b(the|is|are|was|expected|received|must|should|cannot|which|this|that|these|with|"
    r"without|from|into|of|for|you|your|not|has|have|run|saved|wrote|written|training|"
    r"accuracy|loss|warning|using|than|only|each|every|found|missing|file|folder)\b",
    re.IGNORECASE,
)
#: a number written the English way: digits, a point, digits (not a version like 2.13.0 or an
#: address like 127.0.0.1, not a file name like 1.png)
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
#: the reader's own text, echoed back (README files made by readme_blocks.make_files)
OWN_WORDS = ("the house number", "hello", "Student ")
#: a dozen bad inputs: (command, what the one-line error must be about)
BAD_INPUTS: tuple[tuple[str, ...], ...] = (
    ("convolve", "bidof"),
    ("convolve", "bidoof", "--kernel", "1,2;3"),
    ("convolve", "bidoof", "--stride", "0"),
    ("pool", "bidoof", "--size", "99"),
    ("summary", "conv(8,3) relu maxpol(2)"),
    ("summary", "lenet5", "--input", "1x4x4"),
    ("train", "--model", "small-cnn", "--dataset", "nosuch"),
    ("train", "--model", "small-cnn", "--dataset", "digits", "--lr", "-1"),
    ("predict", "runs/none", "nothing.png"),
    ("evaluate", "no-such-run"),
    ("exercise", "nosuch"),
    ("data", "show", "digits", "--size", "0"),
    ("train", "--epoch", "3"),
    ("convolve", "bidoof", "--kernel"),
)


#: what is code, not prose: option names, `commands`, 'quoted input', paths, names-with-hyphens
#: and data-set prefixes (folder:PATH)
CODE = re.compile(r"--[\w-]+|`[^`]*`|'[^']*'|\S*[/\\]\S*|\w+(?:-\w+)+|\b(?:text)?folder:\S*")


def english_lines(text: str) -> list[str]:
    return [
        line for line in text.splitlines()
        if ENGLISH.search(CODE.sub(" ", line)) and not any(own in line for own in OWN_WORDS)
    ]  # fmt: skip


def decimal_points(text: str) -> list[str]:
    return [line for line in text.splitlines() if DECIMAL_POINT.search(line)]


@pytest.fixture
def spanish(monkeypatch, tmp_path):
    for var in ("CNNLAB_LANG", "LC_ALL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "es_CL.UTF-8")
    R.make_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNNLAB_CACHE", str(tmp_path / ".cache"))
    return tmp_path


def problems(command: str, output: str) -> list[str]:
    """English lines, and decimal points in what people read (JSON is for machines: its numbers
    keep the point whatever the language)."""
    found = [f"{command}\n    English: {line.strip()[:160]}" for line in english_lines(output)]
    if "--json" not in command:
        found += [f"{command}\n    decimal point: {line.strip()[:160]}"
                  for line in decimal_points(output)]  # fmt: skip
    return found


@pytest.mark.slow  # every README command again, in Spanish: make test-slow (CI runs it)
def test_the_readme_commands_speak_spanish(spanish):
    found, ran = [], 0
    for command in R.commands():
        if R.not_run_reason(command) or R.slow_reason(command) or not command.startswith("cnnlab"):
            continue
        if re.search(r"--lang[ =]en\b", command):  # the reader asked for English
            continue
        _code, output = run_command(command)
        ran += 1
        found += problems(command, output)
    assert ran >= 30
    assert found == [], "\n".join(found)


def test_help_and_bad_inputs_speak_spanish(spanish):
    found = []
    for args in (("--help",), ("train", "--help"), ("convolve", "--help"), *BAD_INPUTS):
        code, output = run_command(" ".join(["cnnlab", *map(_quoted, args)]))
        assert code == (0 if "--help" in args else 2), (args, output)
        found += problems(" ".join(args), output)
    assert found == [], "\n".join(found)


def _quoted(word: str) -> str:
    return f"'{word}'" if " " in word or ";" in word else word
