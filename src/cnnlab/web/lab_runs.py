"""The runs the lab offers when it starts without ``--run``: the Draw tab's small CNN and MLP,
trained on MNIST with one recipe, and the Generate tab's conv-vae. cnnlab ships them
(:mod:`cnnlab.shipped`), so the lab opens at once; ``retrain`` trains them here instead, once,
kept in the cache like the data (a run already trained there is used before the shipped one).

>>> runs = lab_runs(progress=print)   # doctest: +SKIP
>>> [r.path.name for r in runs]        # doctest: +SKIP
['mnist-small-cnn', 'mnist-mlp']
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from cnnlab import shipped
from cnnlab.data.cache import lab_dir
from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.train import Run, TrainConfig, fit, load_run

#: the pair, trained with the same recipe so that only the architecture differs
MODELS = ("small-cnn", "mlp")
EPOCHS = 2
GENERATOR = "conv-vae"  # the Generate tab's model, trained with the default `cnnlab train` recipe
TEXT_MODEL = "char-cnn"  # the Text tab's shipped model (cnnlab train --model char-cnn ...)
lab_folder = lab_dir  # the cache folder of these runs (data.cache.LAB_VERSION versions it)


def lab_runs(
    cache: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    dataset: str = "mnist",
    epochs: int = EPOCHS,
    retrain: bool = False,
) -> list[Run]:
    """The lab's CNN and MLP on ``dataset``: the cache's, else the shipped ones (MNIST with the
    default epochs), else trained (seed 0) and written to the cache atomically (trained in a
    temporary folder, then renamed). ``retrain`` trains them again."""
    say = progress or (lambda _line: None)
    folder = lab_folder(cache)
    runs = []
    for model in MODELS:
        target = folder / f"{dataset}-{model}"
        run = None if retrain else _cached(target, f"lab-{model}", dataset, epochs)
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
            run = _train(lab_config(model, dataset, epochs), target, say)
        runs.append(run)
    return runs


def lab_generator(cache: str | Path | None = None, progress: Callable[[str], None] | None = None,
                  dataset: str = "mnist", model: str = GENERATOR, epochs: int | None = None,
                  retrain: bool = False) -> Run:  # fmt: skip
    """The Generate tab's conv-vae on ``dataset`` with the default recipe (``epochs`` None: the
    `cnnlab train` default): from the cache, else the shipped one, else trained once (seed 0)
    and kept there; ``retrain`` trains it again."""
    say = progress or (lambda _line: None)
    folder = lab_folder(cache)
    name = model if model == GENERATOR else "generator"
    target = folder / f"{dataset}-{name}"
    shipped_name = GENERATOR if model == GENERATOR and epochs is None else ""
    run = None if retrain else _cached(target, shipped_name, dataset)
    if run is None:
        say(_("training the lab's {model} on {dataset} (once; kept in {folder})", model=name,
              dataset=dataset, folder=folder))  # fmt: skip
        config = generator_config(dataset, model)
        run = _train(config.replace(epochs=epochs) if epochs else config, target, say)
    return run


def lab_config(model: str, dataset: str = "mnist", epochs: int = EPOCHS) -> TrainConfig:
    """The recipe of the Draw tab's pair: the same for both, so only the architecture differs;
    one torch thread, so that training never starves the page's own workers."""
    return TrainConfig(model=model, dataset=dataset, epochs=epochs, seed=0, threads=1)


def generator_config(dataset: str = "mnist", model: str = GENERATOR) -> TrainConfig:
    """The Generate tab's recipe: `cnnlab train`'s default for the model, seed 0, one thread."""
    return TrainConfig(model=model, dataset=dataset, seed=0, threads=1)


def _cached(target: Path, name: str = "", dataset: str = "mnist",
            epochs: int = EPOCHS) -> Run | None:  # fmt: skip
    """The run in the cache folder ``target``, else the shipped model ``name`` when it is the
    one asked for (MNIST, the default epochs), else None."""
    if (target / "model.safetensors").is_file():
        with contextlib.suppress(CnnlabError):
            return load_run(target)
    if dataset == "mnist" and epochs == EPOCHS and shipped.available(name):
        return load_run(shipped.folder(name))
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


def choose_runs(run: list[str], runs_dir: str | None, progress=None,
                retrain: bool = False) -> list[Run]:  # fmt: skip
    """The runs the lab offers: ``--run`` folders, the runs inside ``--runs-dir``, or (with
    neither) the lab's own CNN and MLP on MNIST and its conv-vae (shipped; ``retrain`` trains
    them here) and the shipped char-cnn. Generative runs go to the Generate tab, text runs to
    the Text tab, the others to the Draw tab."""
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

    runs = [*lab_runs(progress=progress, retrain=retrain),
            lab_generator(progress=progress, retrain=retrain)]  # fmt: skip
    if shipped.available(TEXT_MODEL):  # the Text tab's: a language model is not trained here
        runs.append(load_run(shipped.folder(TEXT_MODEL)))
    return runs
