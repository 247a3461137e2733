"""The two runs the Draw tab compares when the lab starts without ``--run``: a small CNN and an
MLP trained on MNIST with one recipe, trained on first use and kept in the cache like the data.

>>> runs = lab_runs(progress=print)   # doctest: +SKIP
>>> [r.path.name for r in runs]        # doctest: +SKIP
['mnist-small-cnn', 'mnist-mlp']
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from cnnlab.data.cache import lab_dir
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.train import Run, TrainConfig, fit, load_run

#: the pair, trained with the same recipe so that only the architecture differs
MODELS = ("small-cnn", "mlp")
EPOCHS = 2
GENERATOR = "conv-vae"  # the Generate tab's model, trained with the default `cnnlab train` recipe
lab_folder = lab_dir  # the cache folder of these runs (data.cache.LAB_VERSION versions it)


def lab_runs(
    cache: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    dataset: str = "mnist",
    epochs: int = EPOCHS,
) -> list[Run]:
    """The lab's CNN and MLP on ``dataset``: loaded from the cache, else trained (seed 0) and
    written there atomically (trained in a temporary folder, then renamed)."""
    say = progress or (lambda _line: None)
    folder = lab_folder(cache)
    runs = []
    for model in MODELS:
        target = folder / f"{dataset}-{model}"
        run = _cached(target)
        if run is None:
            say(
                _(
                    "training the lab's {model} on {dataset} ({epochs} epochs, once; kept in "
                    "{folder})",
                    model=model,
                    dataset=dataset,
                    epochs=epochs,
                    folder=folder,
                )
            )
            run = _train(TrainConfig(model=model, dataset=dataset, epochs=epochs, seed=0), target,
                         say)  # fmt: skip
        runs.append(run)
    return runs


def lab_generator(cache: str | Path | None = None, progress: Callable[[str], None] | None = None,
                  dataset: str = "mnist", model: str = GENERATOR, epochs: int | None = None,
                  ) -> Run:  # fmt: skip
    """The Generate tab's conv-vae on ``dataset`` with the default recipe (``epochs`` None: the
    `cnnlab train` default): from the cache, else trained once (seed 0) and kept there."""
    say = progress or (lambda _line: None)
    folder = lab_folder(cache)
    name = model if model == GENERATOR else "generator"
    target = folder / f"{dataset}-{name}"
    run = _cached(target)
    if run is None:
        say(_("training the lab's {model} on {dataset} (once; kept in {folder})", model=name,
              dataset=dataset, folder=folder))  # fmt: skip
        config = TrainConfig(model=model, dataset=dataset, seed=0)
        run = _train(config.replace(epochs=epochs) if epochs else config, target, say)
    return run


def _cached(target: Path) -> Run | None:
    if not (target / "model.safetensors").is_file():
        return None
    try:
        return load_run(target)
    except CnnlabError:
        return None


def _train(config: TrainConfig, target: Path, say: Callable[[str], None]) -> Run:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    report = _reporter(config.model, say)

    try:
        fit(config, out=scratch / target.name, callback=report)
        if target.exists():
            shutil.rmtree(target)
        (scratch / target.name).rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return load_run(target)


def _reporter(model: str, say: Callable[[str], None]) -> Callable[[str, dict], None]:
    """A fit() callback that says how far training is: three times an epoch and at its end."""
    shown = set()

    def report(event: str, info: dict) -> None:
        if event == "step":
            tenth = 10 * info["step"] // max(1, info["steps"])
            if (info["epoch"], tenth) not in shown and tenth in (2, 5, 8):
                shown.add((info["epoch"], tenth))
                say("  " + _("{model}: epoch {epoch}, {share:.0%} of its steps", model=model,
                             epoch=info["epoch"], share=tenth / 10))  # fmt: skip
        elif event == "epoch":
            acc = info.get("test_acc", info.get("val_acc"))
            if isinstance(acc, float):
                say("  " + _("{model}: epoch {epoch} done, accuracy {acc:.2%}", model=model,
                             epoch=info["epoch"], acc=acc))  # fmt: skip
            else:
                say("  " + _("{model}: epoch {epoch} done", model=model, epoch=info["epoch"]))

    return report


def choose_runs(run: list[str], runs_dir: str | None, progress=None) -> list[Run]:
    """The runs the lab offers: ``--run`` folders, the runs inside ``--runs-dir``, or (with
    neither) the lab's own CNN and MLP on MNIST and its conv-vae, trained once and cached.
    Generative runs go to the Generate tab, the others to the Draw tab."""
    chosen = [load_run(folder) for folder in run]
    if runs_dir:
        folder = Path(runs_dir).expanduser()
        if not folder.is_dir():
            raise InvalidArgumentError(
                _(
                    "--runs-dir is not a folder; expected a folder holding run folders. "
                    "Received: {path}",
                    path=runs_dir,
                )
            )
        found = sorted(p for p in folder.iterdir() if (p / "config.json").is_file())
        if not found:
            raise InvalidArgumentError(
                _(
                    "--runs-dir holds no run folders; expected sub-folders made by cnnlab train. "
                    "Received: {path}",
                    path=runs_dir,
                )
            )
        chosen += [load_run(p) for p in found]
    if chosen:
        return chosen

    return [*lab_runs(progress=progress), lab_generator(progress=progress)]
