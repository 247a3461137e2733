"""``cnnlab generate RUN``: digits from a trained conditional VAE, as a grid picture, a ``.npy``
array or a morph GIF; ``cnnlab generate-study``: the convolutional vs dense generator study.

Thin: parse, call :mod:`cnnlab.generate`, say where the files went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cnnlab import shipped
from cnnlab.cli.app import ForceOpt, LangOption, app, guarded, new_file
from cnnlab.cli.experiment_cmds import parse_list
from cnnlab.errors import InvalidArgumentError
from cnnlab.generate import (
    GenerateConfig,
    StudyConfig,
    generator_run,
    grid_labels,
    morph,
    run_study,
    sample,
    write_morph,
    write_samples,
)
from cnnlab.i18n import N_, fixed, group, resolve_lang, tr

TEXT = {
    "wrote": N_("wrote {what} to {path}"),
    "grid": N_("{n} digits (a grid, one row per label)"),
    "grid_one": N_("{n} digits of label {label}"),
    "array": N_("{n} digits as an array {shape} float32 in [0, 1]"),
    "morph": N_("a morph from {a} to {b} in {n} steps"),
    "pair": N_("--interpolate takes two labels; expected e.g. --interpolate 3,8. Received: {text}"),
    "model": N_("model"),
    "agreement": N_("label agreement (T {t})"),
    "frechet": N_("Fréchet distance (T {t})"),
    "agreement_t1": N_("label agreement (T 1)"),
    "frechet_t1": N_("Fréchet distance (T 1)"),
    "seconds": N_("training s"),
    "rate": N_("digits/s"),
    "params": N_("parameters"),
    "baseline": N_(
        "judge {judge}: test accuracy {acc}; real-vs-real Fréchet distance {fd}; results in {path}"
    ),
}

G = GenerateConfig()
S = StudyConfig()


def _target(run_path: Path, out: Path | None, suffix: str, force: bool, lang: str) -> Path:
    """``--out``, or ``runs/<run>-<suffix>``; never an existing file without ``--force``."""
    return new_file(out if out is not None else Path("runs") / f"{run_path.name}-{suffix}",
                    force, lang)  # fmt: skip


def _pair(text: str, lang: str) -> tuple[int, int]:
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise InvalidArgumentError(tr(TEXT, "pair", lang, text=text))
    return int(parts[0]), int(parts[1])


@app.command()
@guarded
def generate(
    run: Annotated[
        Path | None,
        typer.Argument(help="Run folder of a generative model (default: the shipped conv-vae)."),
    ] = None,
    label: Annotated[
        int | None, typer.Option(help="Only this label (default: every label).")
    ] = None,
    count: Annotated[
        int, typer.Option(help="Digits in all (per label count//K without --label).")
    ] = G.count,
    seed: Annotated[int, typer.Option(help="Seed of the codes; same seed, same digits.")] = G.seed,
    interpolate: Annotated[
        str | None, typer.Option(help="Morph between two labels, e.g. 3,8.")
    ] = None,
    steps: Annotated[int, typer.Option(help="Pictures in a morph.")] = G.steps,
    temperature: Annotated[
        float, typer.Option(help="Scale of the codes: lower is clearer, 1 the plain prior.")
    ] = G.temperature,
    out: Annotated[
        Path | None, typer.Option(help="grid.png, samples.npy or morph.gif (default under runs/).")
    ] = None,
    force: ForceOpt = False,
    lang: LangOption = None,
) -> None:
    """Make digits with a trained generator: a grid picture, a .npy array or a morph GIF."""
    lang = resolve_lang(lang)
    cfg = GenerateConfig(count=count, seed=seed, steps=steps, temperature=temperature)
    gen = generator_run(run if run is not None else shipped.folder("conv-vae"))
    if interpolate is not None:
        a, b = _pair(interpolate, lang)
        target = _target(gen.path, out, f"morph-{a}-{b}.gif", force, lang)
        frames = morph(gen, a, b, cfg.steps, cfg.seed, cfg.temperature)
        write_morph(frames, target, fps=cfg.fps)
        what = tr(TEXT, "morph", lang, a=a, b=b, n=cfg.steps)
    else:
        target = _target(gen.path, out, "samples.png", force, lang)
        what = _grid(gen, label, cfg, target, lang)
    typer.echo(tr(TEXT, "wrote", lang, what=what, path=target))


def _grid(gen: Any, label: int | None, cfg: GenerateConfig, target: Path, lang: str) -> str:
    """Write ``cfg.count`` digits (of ``label``, or a row per label) to ``target``; what it is."""
    labels = grid_labels(cfg.count, label, gen.num_classes)
    images = sample(gen, labels, seed=cfg.seed, temperature=cfg.temperature)
    cols = len(labels) // gen.num_classes if label is None else None
    write_samples(images, target, cols=cols, scale=cfg.scale)
    key = "array" if target.suffix.lower() == ".npy" else "grid" if label is None else "grid_one"
    return tr(TEXT, key, lang, n=len(labels), label=label, shape=tuple(images.shape))


@app.command("generate-study")
@guarded
def generate_study(
    out: Annotated[Path, typer.Option(help="Study folder (runs are reused when finished).")] = Path(
        "runs/generate-study"
    ),
    models: Annotated[str, typer.Option(help="Generators to compare.")] = ",".join(S.models),
    seeds: Annotated[str, typer.Option(help="Seeds, e.g. 0,1,2.")] = ",".join(map(str, S.seeds)),
    epochs: Annotated[
        int | None, typer.Option(help="Training passes of each generator (default: train's, 10).")
    ] = S.epochs,
    per_label: Annotated[int, typer.Option(help="Digits judged per label.")] = S.per_label,
    temperature: Annotated[
        float, typer.Option(help="Scale of the codes for the main figures (1 is shown too).")
    ] = S.temperature,
    lang: LangOption = None,
) -> None:
    """Train the convolutional and the dense generator over seeds and judge their digits."""
    lang = resolve_lang(lang)
    cfg = StudyConfig(models=parse_list(models, "models"), seeds=parse_list(seeds, "seeds", int),
                      epochs=epochs, per_label=per_label, temperature=temperature)  # fmt: skip
    result = run_study(cfg, out, progress=lambda line: typer.echo(line, err=True))
    Console(highlight=False).print(_study_table(result, cfg, lang))
    acc = fixed(100 * result.judge["test_acc"], 2, lang) + " %"
    typer.echo(tr(TEXT, "baseline", lang, judge=result.judge["model"], acc=acc,
                  fd=fixed(result.real_frechet, 2, lang), path=out / "results.json"))  # fmt: skip


def _study_table(result: Any, cfg: StudyConfig, lang: str) -> Table:
    """Each generator's mean ± sd figures, one row per model."""
    table = Table()
    keys = ("model", "params", "agreement", "frechet", "agreement_t1", "frechet_t1", "seconds",
            "rate")  # fmt: skip
    t = fixed(cfg.temperature, 1, lang)
    for key in keys:
        table.add_column(tr(TEXT, key, lang, t=t), justify="left" if key == "model" else "right")
    for model, figures in result.summary.items():
        params = next(r["params"] for r in result.rows if r["model"] == model)
        cells = [
            _pm(figures["agreement"], 100, 2, lang, "%"),
            _pm(figures["frechet"], 1, 2, lang),
            _pm(figures["agreement_t1"], 100, 2, lang, "%"),
            _pm(figures["frechet_t1"], 1, 2, lang),
            _pm(figures["train_seconds"], 1, 1, lang),
            _pm(figures["samples_per_s"], 1, 0, lang),
        ]
        table.add_row(model, group(params, lang), *cells)
    return table


def _pm(pair: list[float], scale: float, decimals: int, lang: str, unit: str = "") -> str:
    """``mean ± sd`` in ``lang``'s number marks."""
    mean, sd = (scale * v for v in pair)
    return f"{fixed(mean, decimals, lang)} ± {fixed(sd, decimals, lang)}{unit}"
