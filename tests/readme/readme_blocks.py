"""The README's shell commands and Python blocks, as the README test runs them.

Every command of every ```bash block is either run by the fast test (``tests/readme``) or listed
in :data:`SLOW` with the reason; ``make readme-slow`` runs those too. Placeholders the README uses
for the reader's own files (``my_digit.png``, ``my_pictures``...) are made by :func:`make_files`
in the folder the commands run in. The only change made to a command is :data:`SUBSTITUTIONS`,
applied in the slow run: fewer epochs, smaller studies, the README's own run for the reader's.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"

#: commands not run by the fast test: (a piece of the command, why). ``make readme-slow`` runs them.
SLOW: tuple[tuple[str, str], ...] = (
    ("data fetch mnist", "downloads or unpacks MNIST (70,000 images)"),
    ("data fetch languages", "downloads 11 Debian packages"),
    ("--dataset mnist", "trains or reads MNIST"),
    ("data show mnist", "reads MNIST"),
    ("runs/mnist-", "needs a run trained on MNIST"),
    ("runs/languages-", "needs a run trained on the languages set"),
    ("--dataset languages", "trains on the languages set"),
    ("lenet5-numpy", "needs the NumPy-engine LeNet-5 run on MNIST"),
    ("deck --quick --lang es", "fetches MNIST and trains the deck's studies"),
    ("deck --out runs/deck-full", "the full deck: several minutes of training"),
    ("generate-study", "trains six generators"),
    ("torchrun ", "starts two torch processes"),
    ("--nproc 2", "starts two torch processes"),
    ("--retrain", "trains the default model again (minutes)"),
    ("detect --run runs/my-run", "needs a run trained on MNIST"),
    ("--epochs 40", "40 epochs of MNIST-1D"),
)
#: commands no test runs from the README, and why (their behaviour is tested elsewhere)
NOT_RUN: tuple[tuple[str, str], ...] = (
    ("make ", "sets up the environment and runs this suite (what CI does)"),
    ("cnnlab serve", "a server that runs until stopped (tests/web starts and drives it)"),
)
#: (pattern, replacement, why) applied to slow commands (and slow Python blocks) only
SUBSTITUTIONS: tuple[tuple[str, str, str], ...] = (
    (r"--epochs \d+", "--epochs 1", "one epoch shows the command works"),
    (r"^(cnnlab (?:train|compare) (?!.*--epochs)(?!.*--resume).*)$", r"\1 --epochs 1",
     "one epoch shows the command works"),
    (r"^cnnlab generate-study$", "cnnlab generate-study --epochs 1 --seeds 0 --per-label 100",
     "one small generator per model instead of six trained 10 epochs"),
    (r"^cnnlab deck --out", "cnnlab deck --quick --out", "the quick studies show the page is made"),
    (r"runs/my-run", "runs/mnist-small-cnn", "the reader's own classifier: the README's MNIST run"),
)


def blocks(language: str, text: str | None = None) -> list[str]:
    """The bodies of the README's fenced blocks in ``language``, in order."""
    text = README.read_text(encoding="utf-8") if text is None else text
    return [
        body for lang, body in re.findall(r"```(\w+)\n(.*?)```", text, re.S) if lang == language
    ]


def commands(text: str | None = None) -> list[str]:
    """Every shell command of the README: continuation lines joined, comments dropped."""
    out = []
    for body in blocks("bash", text):
        for line in body.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                out.append(shlex.join(words))
    return out


def slow_reason(command: str) -> str | None:
    return next((why for piece, why in SLOW if piece in command), None)


def not_run_reason(command: str) -> str | None:
    return next((why for piece, why in NOT_RUN if piece in command), None)


def substituted(command: str) -> str:
    for pattern, replacement, _ in SUBSTITUTIONS:
        command = re.sub(pattern, replacement, command)
    return command


#: Python blocks (by their first line) too slow for the fast test, and why
SLOW_PYTHON: tuple[tuple[str, str], ...] = (
    ("from cnnlab.data import load", "loads MNIST"),
    ("from cnnlab import load_run, viz", "needs runs/mnist-small-cnn"),
    ("from cnnlab.generate import", "needs runs/mnist-conv-vae"),
    ("from cnnlab import detect", "trains the face and digit models on first use"),
)
#: names a Python block uses without defining them (the reader's own data), made before it runs
PROLOGUES: dict[str, str] = {
    "from cnnlab.train import TrainConfig": (
        "import numpy as np\n"
        "from PIL import Image\n"
        "images = np.random.default_rng(0).random((2, 1, 8, 8), dtype=np.float32)\n"
        "for name in ('a.png', 'b.jpg'):\n"
        "    Image.fromarray((255 * images[0, 0]).astype(np.uint8)).save(name)\n"
        "config = __import__('cnnlab.train', fromlist=['TrainConfig']).TrainConfig("
        "model='logistic', dataset='digits', epochs=1)\n"
    ),
    "from cnnlab import models, ops": (
        "import numpy as np\n"
        "x = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)\n"
        "y = np.array([0, 1, 2, 3])\n"
    ),
}
#: what the README's ``...`` placeholders stand for when a block runs
ELLIPSIS = {"callback=lambda event, info: ...": "callback=lambda event, info: None"}


def python_blocks(text: str | None = None) -> list[str]:
    return [b for b in blocks("python", text)]


def first_line(block: str) -> str:
    return block.strip().splitlines()[0]


def slow_python_reason(block: str) -> str | None:
    return next((why for start, why in SLOW_PYTHON if first_line(block).startswith(start)), None)


def runnable(block: str) -> str:
    """The block as it runs: its prologue first, the placeholders filled in."""
    prologue = next(
        (p for start, p in PROLOGUES.items() if first_line(block).startswith(start)), ""
    )
    for placeholder, stand_in in ELLIPSIS.items():
        block = block.replace(placeholder, stand_in)
    return prologue + block


def make_files(folder: Path) -> None:
    """The reader's own files the README's commands name, made small and real."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    rng = np.random.default_rng(0)
    big = np.kron(digits.images[0] / 16.0, np.ones((3, 3)))  # 24×24 zero, dark on white below
    Image.fromarray((255 * (1 - big)).astype(np.uint8)).resize((28, 28)).save(
        folder / "my_digit.png"
    )
    np.savetxt(folder / "my.csv", rng.integers(0, 9, (8, 8)), fmt="%d", delimiter=",")
    for label in ("cats", "dogs"):
        (folder / "my_pictures" / label).mkdir(parents=True)
        for i in range(12):
            color = rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)
            Image.fromarray(color).save(folder / "my_pictures" / label / f"{i}.png")
    (folder / "my_texts").mkdir()
    (folder / "my_texts" / "es.txt").write_text(
        "\n".join(f"la casa número {i} es grande y bonita" for i in range(30)), encoding="utf-8"
    )
    (folder / "my_texts" / "en.txt").write_text(
        "\n".join(f"the house number {i} is big and nice" for i in range(30)), encoding="utf-8"
    )
    (folder / "my_sentences.txt").write_text("hola\nhello\n", encoding="utf-8")
    roster = ["id,name"] + [f"s{i:02d},Student {i}" for i in range(3)]
    (folder / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    answers = ["student," + ",".join(f"q{i}" for i in range(1, 11))]
    answers += [f"s{i:02d}," + ",".join(["7"] * 10) for i in range(3)]
    (folder / "answers.csv").write_text("\n".join(answers) + "\n", encoding="utf-8")
    _make_photos(folder, digits)


def _make_photos(folder: Path, digits) -> None:
    """The photos the detection commands name: a face (photo.jpg, photo.png) and handwritten
    numbers on paper (number.jpg, page.jpg), made from scikit-image's and scikit-learn's data."""
    import numpy as np
    from PIL import Image, ImageFilter
    from skimage import data

    Image.fromarray(data.astronaut()).save(folder / "photo.jpg", quality=90)
    Image.fromarray(data.camera()).save(folder / "photo.png")
    index = {int(d): i for i, d in reversed(list(enumerate(digits.target)))}
    for name, number in (("number.jpg", "2026"), ("page.jpg", "31415")):
        glyphs = [np.kron(digits.images[index[int(c)]] / 16.0, np.ones((6, 6))) for c in number]
        row = np.pad(np.hstack([np.pad(g, 8) for g in glyphs]), 20)
        paper = Image.fromarray((235 - 200 * row).astype(np.uint8))
        paper.filter(ImageFilter.GaussianBlur(2)).save(folder / name, quality=85)
