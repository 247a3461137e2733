"""A comparison as tables of text, a Markdown summary and the files of its output folder.

:func:`tables` turns a :class:`CompareResult` into plain rows of strings that the CLI draws with
rich and :func:`markdown` writes as Markdown; :func:`write_outputs` saves results.json (atomic),
summary.md and the figures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cnnlab.experiments import figures as F
from cnnlab.experiments.results import CompareResult, Stat
from cnnlab.experiments.text import TEXT
from cnnlab.fileio import atomic_write_json, atomic_write_text
from cnnlab.i18n import local_number, resolve_lang, tr
from cnnlab.viz import save_figure

FIGURES = {
    "overview.png": F.plot_overview,
    "shift.png": F.plot_shift,
    "permutation.png": F.plot_permutation,
    "parameters.png": F.plot_parameters,
}


@dataclass(frozen=True)
class TextTable:
    """A table as text: a title, column headers, rows of cells and a note under it."""

    key: str  # "models", "permutation", "shift" or "growth"
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


num = local_number  # a formatted number in ``lang``'s marks: "1,438.5" → "1.438,5" in Spanish


def pct(stat: Stat | None, lang: str | None = None) -> str:
    """``Stat(0.9712, 0.0031)`` → ``97.12 ± 0.31 %``; one seed → ``97.12 %``; None → ``-``."""
    if stat is None or not stat.values:
        return "-"
    if len(stat.values) < 2:
        return num(f"{stat.mean * 100:.2f} %", lang)
    return num(f"{stat.mean * 100:.2f} ± {stat.std * 100:.2f} %", lang)


def tables(result: CompareResult, lang: str | None = None) -> list[TextTable]:
    """The comparison's tables: models, permutation (if measured), shift, parameter growth."""
    out = [_models_table(result, lang)]
    if any(m.permuted is not None for m in result.models):
        out.append(_perm_table(result, lang))
    if result.shifts:
        out.append(_shift_table(result, lang))
    out.append(_growth_table(result, lang))
    return out


def _models_table(result: CompareResult, lang: str | None) -> TextTable:
    fractions = list(result.models[0].fractions) if result.models else []
    headers = ["model", "kind", "params", "accuracy", "seconds"]
    cols = [tr(TEXT, h, lang) for h in headers]
    cols += [tr(TEXT, "fraction_col", lang, name=f) for f in fractions]
    rows = []
    for m in result.models:
        secs = m.train_seconds
        time_text = f"{secs.mean:.3g}" + (f" ± {secs.std:.2g}" if len(secs.values) > 1 else "")
        kind = "CNN" if m.has_conv else "MLP"
        extra = (pct(m.fractions[f], lang) for f in fractions)
        cells = (num(f"{m.params:,}", lang), pct(m.accuracy, lang), num(time_text, lang))
        rows.append((m.model, kind, *cells, *extra))
    s = result.settings
    env = result.environment.get("hardware", {})
    sizes = {"n_train": num(f"{result.n_train:,}", lang), "n_test": num(f"{result.n_test:,}", lang)}
    note = tr(
        TEXT,
        "n_recipe",
        lang,
        epochs=s["epochs"],
        batch=s["batch_size"],
        lr=num(f"{s['lr']:g}", lang),
        **sizes,
    )
    note += " " + tr(TEXT, "n_time", lang, cpu=env.get("cpu", "?"), threads=env.get("threads"))
    seeds = ",".join(str(v) for v in s["seeds"])
    title = tr(TEXT, "t_models", lang, seeds=seeds)
    return TextTable("models", title, tuple(cols), tuple(rows), note)


def _perm_table(result: CompareResult, lang: str | None) -> TextTable:
    cols = tuple(tr(TEXT, k, lang) for k in ("model", "original", "permuted", "change"))
    rows = []
    for m in result.models:
        change = m.permutation_change
        rows.append(
            (
                m.model,
                pct(m.accuracy, lang),
                pct(m.permuted, lang),
                "-" if change is None else num(f"{change * 100:+.2f}", lang),
            )
        )
    n = 1
    for d in result.input_shape[1:]:
        n *= d
    note = tr(TEXT, "n_perm", lang, n=num(f"{n:,}", lang), seed=result.settings["perm_seed"])
    return TextTable("permutation", tr(TEXT, "t_perm", lang), cols, tuple(rows), note)


def _shift_table(result: CompareResult, lang: str | None) -> TextTable:
    shifts = (tr(TEXT, "shift_col", lang, s=s) for s in result.shifts)
    cols = (tr(TEXT, "model", lang), *shifts)
    rows = tuple((m.model, *(pct(s, lang) for s in m.shift)) for m in result.models)
    title = tr(TEXT, "t_shift", lang, n=len(result.directions))
    dirs = tr(TEXT, f"dirs_{result.kind}", lang)
    return TextTable("shift", title, cols, rows, tr(TEXT, "n_shift", lang, dirs=dirs))


def _growth_table(result: CompareResult, lang: str | None) -> TextTable:
    cols = (tr(TEXT, "side", lang), *(m.model for m in result.models))
    sizes = [g.size for g in result.models[0].growth] if result.models else []
    rows = []
    for i, size in enumerate(sizes):
        cells = [m.growth[i].params for m in result.models]
        side = f"{size}×{size}" if result.kind == "image" else str(size)
        rows.append((side, *("-" if c is None else num(f"{c:,}", lang) for c in cells)))
    return TextTable(
        "growth", tr(TEXT, "t_growth", lang), cols, tuple(rows), tr(TEXT, "n_growth", lang)
    )


def markdown_table(table: TextTable) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned), its note below."""
    align = ["---"] + ["---:"] * (len(table.headers) - 1)
    lines = [f"**{table.title}**", "", "| " + " | ".join(table.headers) + " |"]
    lines.append("|" + "|".join(align) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return "\n".join(lines)


def markdown(result: CompareResult, lang: str | None = None, command: str | None = None) -> str:
    """The whole comparison as Markdown: command, tables with notes, links to the figures."""
    parts = [f"# {tr(TEXT, 'title', lang, dataset=result.dataset)}", ""]
    if command:
        parts += [f"{tr(TEXT, 'command', lang)}:", "", f"    {command}", ""]
    for table in tables(result, lang):
        parts += [markdown_table(table), ""]
    parts += [f"## {tr(TEXT, 'figures', lang)}", ""]
    parts += [f"![{name[:-4]}]({name})" for name in FIGURES] + [""]
    parts += [tr(TEXT, "results_json", lang), ""]
    return "\n".join(parts)


def write_outputs(
    result: CompareResult,
    folder: str | os.PathLike,
    lang: str | None = None,
    command: str | None = None,
) -> list[Path]:
    """Write results.json, summary.md and the figures into ``folder``; return their paths."""
    lang = resolve_lang(lang)
    out = Path(folder)
    data = result.to_dict()
    data["command"] = command
    atomic_write_json(out / "results.json", data)
    atomic_write_text(out / "summary.md", markdown(result, lang, command))
    written = [out / "results.json", out / "summary.md"]
    for name, plot in FIGURES.items():
        written.append(save_figure(plot(result, lang), out / name))
    return written
