"""The verdict table: each claim of the deck, the numbers measured for it and a verdict that
follows from them by fixed rules.

A difference between two accuracies counts only when it is larger than the spread over seeds
(the two standard deviations added) and at least :data:`MIN_MARGIN` (0.3 points), so one lucky
seed never decides a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cnnlab.deck.claims import CLAIMS, VERDICTS, WHY
from cnnlab.deck.studies import Studies
from cnnlab.deck.text import TEXT
from cnnlab.experiments.results import Stat
from cnnlab.i18n import local_number, resolve_lang, tr

MIN_MARGIN = 0.003  # 0.3 points of accuracy


@dataclass(frozen=True)
class Verdict:
    """One row of the table."""

    key: str
    slide: str  # "mlp", "pooling" or "conclusion"
    claim: str  # the deck's words (Spanish), or its translation on an English page
    measured: str
    numbers: str
    verdict: str  # a key of VERDICTS
    why: str

    def label(self, lang: str | None = None) -> str:
        return tr(VERDICTS, self.verdict, lang)


def margin(a: Stat, b: Stat) -> float:
    """The smallest accuracy difference between ``a`` and ``b`` that counts."""
    return max(MIN_MARGIN, a.std + b.std)


def pct(x: float, lang: str) -> str:
    return local_number(f"{x * 100:.2f} %", lang)


def pts(x: float, lang: str) -> str:
    return local_number(f"{x * 100:+.2f}", lang)


def ratio(a: float, b: float, lang: str) -> str:
    return local_number(f"{a / b:.1f}", lang) if b else "-"


def count(n: int, lang: str) -> str:
    return local_number(f"{n:,}", lang)


Outcome = tuple[str, str, str, dict]  # numbers, verdict, why key, why fields


def _spatial(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    dm, dc = mlp.permutation_change, cnn.permutation_change
    nums = (
        f"MLP {pct(mlp.accuracy.mean, lang)} → {pct(mlp.permuted.mean, lang)}; "
        f"CNN {pct(cnn.accuracy.mean, lang)} → {pct(cnn.permuted.mean, lang)}"
    )
    blind = abs(dm) <= margin(mlp.accuracy, mlp.permuted)
    used = dc < dm - margin(cnn.accuracy, cnn.permuted)
    if blind and used:
        return nums, "supported", "mlp_spatial_yes", {"drop": pts(-dc, lang).lstrip("+")}
    return (
        nums,
        "partly" if blind else "not_supported",
        "mlp_spatial_no",
        {"mlp": pts(dm, lang), "cnn": pts(dc, lang)},
    )


def _params(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    nums = f"MLP {count(mlp.params, lang)}; CNN {count(cnn.params, lang)}"
    if mlp.params > cnn.params:
        fields = {"ratio": ratio(mlp.params, cnn.params, lang), "first": count(s.mlp_first, lang)}
        return nums, "supported", "mlp_params_yes", fields
    return nums, "not_supported", "mlp_params_no", {}


def _pool_dim(s: Studies, lang: str) -> Outcome:
    pool, none = s.pooling.arm("maxpool"), s.pooling.arm("none")
    nums = f"maxpool {count(pool.head_inputs, lang)}; none {count(none.head_inputs, lang)}"
    fields = {"pool": count(pool.head_inputs, lang), "none": count(none.head_inputs, lang)}
    ok = pool.head_inputs < none.head_inputs
    return nums, "supported" if ok else "not_supported", f"pool_dim_{'yes' if ok else 'no'}", fields


def _pool_cost(s: Studies, lang: str) -> Outcome:
    p = s.pooling
    pool, none = p.arm("maxpool"), p.arm("none")
    t_pool, t_none = p.seconds("maxpool").mean, p.seconds("none").mean
    nums = (
        f"mult-adds {count(pool.mult_adds, lang)} vs {count(none.mult_adds, lang)}; "
        f"s {local_number(f'{t_pool:.2f}', lang)} vs {local_number(f'{t_none:.2f}', lang)}"
    )
    fields = {
        "macs": ratio(none.mult_adds, pool.mult_adds, lang),
        "secs": ratio(t_none, t_pool, lang),
    }
    cheaper_math, faster = pool.mult_adds < none.mult_adds, t_pool < 0.9 * t_none
    if cheaper_math and faster:
        return nums, "supported", "pool_cost_yes", fields
    if cheaper_math:
        return nums, "partly", "pool_cost_partly", fields
    return nums, "not_supported", "pool_cost_no", fields


def _pool_overfit(s: Studies, lang: str) -> Outcome:
    p, shares = s.pooling, s.pooling.settings["fractions"]
    parts, better = [], []
    for f in shares:
        g_pool, g_none = p.gap("maxpool", f), p.gap("none", f)
        share = local_number(f"{f * 100:g} %", lang)
        parts.append(f"{share}: {pts(g_pool.mean, lang)} / {pts(g_none.mean, lang)}")
        if g_none.mean - g_pool.mean > margin(g_pool, g_none):
            better.append(share)
    nums = "maxpool / none: " + "; ".join(parts)
    if len(better) == len(shares):
        return nums, "supported", "pool_overfit_yes", {"sizes": ", ".join(better)}
    if better:
        return nums, "partly", "pool_overfit_partly", {"sizes": ", ".join(better)}
    return nums, "not_supported", "pool_overfit_no", {}


def _cnn_images(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    diff = cnn.accuracy.mean - mlp.accuracy.mean
    nums = f"CNN {pct(cnn.accuracy.mean, lang)}; MLP {pct(mlp.accuracy.mean, lang)}"
    fields = {"diff": pts(diff, lang), "ratio": ratio(mlp.params, cnn.params, lang)}
    if diff > margin(cnn.accuracy, mlp.accuracy):
        return nums, "supported", "cnn_images_yes", fields
    return nums, "not_supported", "cnn_images_no", fields


def _cnn_large(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    rows = s.data_size()  # [(share, mlp Stat, cnn Stat)], smallest first
    small, large = rows[0], rows[-1]
    lead_small, lead_large = small[2].mean - small[1].mean, large[2].mean - large[1].mean
    nums = "; ".join(
        f"{local_number(f'{f * 100:g} %', lang)}: CNN {pct(c.mean, lang)}, MLP {pct(m.mean, lang)}"
        for f, m, c in rows
    )
    fields = {
        "ratio": ratio(mlp.params, cnn.params, lang),
        "small": pts(lead_small, lang),
        "large": pts(lead_large, lang),
    }
    if cnn.params >= mlp.params:
        return nums, "not_supported", "cnn_large_no", fields
    if lead_small > margin(small[1], small[2]):
        return nums, "partly", "cnn_large_partly", fields
    return nums, "supported", "cnn_large_yes", fields


def _cnn_complex(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp_info, s.cnn_info
    kinds_m, kinds_c = len({r.kind for r in mlp.rows}), len({r.kind for r in cnn.rows})
    t_m, t_c = s.mlp.train_seconds.mean, s.cnn.train_seconds.mean
    nums = (
        tr(TEXT, "kinds_vs", lang, cnn=kinds_c, mlp=kinds_m)
        + f"; mult-adds {count(cnn.total_mult_adds, lang)} vs "
        f"{count(mlp.total_mult_adds, lang)}; s {local_number(f'{t_c:.2f}', lang)} vs "
        f"{local_number(f'{t_m:.2f}', lang)}"
    )
    fields = {
        "kinds_cnn": kinds_c,
        "kinds_mlp": kinds_m,
        "macs": ratio(cnn.total_mult_adds, mlp.total_mult_adds, lang),
        "secs": ratio(t_c, t_m, lang),
    }
    more_kinds, more_work = kinds_c > kinds_m, cnn.total_mult_adds > mlp.total_mult_adds
    if more_kinds and more_work:
        return nums, "supported", "cnn_complex_yes", fields
    if more_kinds or more_work:
        return nums, "partly", "cnn_complex_partly", fields
    return nums, "not_supported", "cnn_complex_no", fields


def _shift2(summary) -> float:
    return summary.shift[min(2, len(summary.shift) - 1)].mean


def _cnn_efficient(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    diff = cnn.accuracy.mean - mlp.accuracy.mean
    shift = _shift2(cnn) - _shift2(mlp)
    nums = (
        f"CNN {pct(cnn.accuracy.mean, lang)} / {count(cnn.params, lang)}; "
        f"MLP {pct(mlp.accuracy.mean, lang)} / {count(mlp.params, lang)}"
    )
    fields = {
        "diff": pts(diff, lang),
        "ratio": ratio(mlp.params, cnn.params, lang),
        "shift": pts(shift, lang),
    }
    if diff > margin(cnn.accuracy, mlp.accuracy) and cnn.params < mlp.params:
        return nums, "partly", "cnn_efficient_partly", fields
    return nums, "not_supported", "cnn_efficient_no", fields


def _mlp_tabular(s: Studies, lang: str) -> Outcome:
    t = s.tabular
    parts, cnn_wins = [], 0
    for info in t.tables:
        m, c = t.test(info.name, "mlp"), t.test(info.name, "cnn1d")
        parts.append(f"{info.name}: MLP {pct(m.mean, lang)}, CNN {pct(c.mean, lang)}")
        cnn_wins += c.mean - m.mean > margin(m, c)
    nums = "; ".join(parts)
    fields = {"tables": nums}
    if cnn_wins == 0:
        return nums, "supported", "mlp_tabular_yes", fields
    if cnn_wins < len(t.tables):
        return nums, "partly", "mlp_tabular_partly", fields
    return nums, "not_supported", "mlp_tabular_no", fields


def _mlp_growth(s: Studies, lang: str) -> Outcome:
    gm, gc = s.mlp.growth, s.cnn.growth
    first = next(i for i, g in enumerate(gm) if g.size == 28 or g.params)
    m0, m1, c0, c1 = gm[first].params, gm[-1].params, gc[first].params, gc[-1].params
    nums = f"MLP {count(m0, lang)} → {count(m1, lang)}; CNN {count(c0, lang)} → {count(c1, lang)}"
    fields = {
        "mlp": ratio(m1, m0, lang),
        "cnn": ratio(c1, c0, lang),
        "mlp_big": count(m1, lang),
        "cnn_big": count(c1, lang),
    }
    ok = m1 / m0 > c1 / c0
    return (
        nums,
        "supported" if ok else "not_supported",
        f"mlp_growth_{'yes' if ok else 'no'}",
        fields,
    )


def _mlp_just(_s: Studies, _lang: str) -> Outcome:
    return "-", "not_measurable", "mlp_just_na", {}


def _mlp_inefficient(s: Studies, lang: str) -> Outcome:
    mlp, cnn = s.mlp, s.cnn
    diff = mlp.accuracy.mean - cnn.accuracy.mean
    worse = -diff > margin(mlp.accuracy, cnn.accuracy) and mlp.params > cnn.params
    drop_m, drop_c = mlp.accuracy.mean - _shift2(mlp), cnn.accuracy.mean - _shift2(cnn)
    not_invariant = drop_m > drop_c + MIN_MARGIN
    nums = (
        f"MLP {pct(mlp.accuracy.mean, lang)} → {pct(_shift2(mlp), lang)} (2 px); "
        f"CNN {pct(cnn.accuracy.mean, lang)} → {pct(_shift2(cnn), lang)}"
    )
    fields = {
        "diff": pts(-diff, lang).lstrip("+"),
        "ratio": ratio(mlp.params, cnn.params, lang),
        "mlp_shift": pct(_shift2(mlp), lang),
        "cnn_shift": pct(_shift2(cnn), lang),
    }
    if worse and not_invariant:
        return nums, "supported", "mlp_inefficient_yes", fields
    if worse or not_invariant:
        return nums, "partly", "mlp_inefficient_partly", fields
    return nums, "not_supported", "mlp_inefficient_no", fields


RULES: dict[str, Callable[[Studies, str], Outcome]] = {
    "mlp_spatial": _spatial,
    "mlp_params": _params,
    "pool_dim": _pool_dim,
    "pool_cost": _pool_cost,
    "pool_overfit": _pool_overfit,
    "cnn_images": _cnn_images,
    "cnn_large": _cnn_large,
    "cnn_complex": _cnn_complex,
    "cnn_efficient": _cnn_efficient,
    "mlp_tabular": _mlp_tabular,
    "mlp_growth": _mlp_growth,
    "mlp_just": _mlp_just,
    "mlp_inefficient": _mlp_inefficient,
}


def verdicts(studies: Studies, lang: str | None = None) -> list[Verdict]:
    """Every claim of :data:`CLAIMS`, judged on ``studies``, in the deck's order."""
    lang = resolve_lang(lang)
    out = []
    for key, claim in CLAIMS.items():
        nums, verdict, why_key, fields = RULES[key](studies, lang)
        words = claim["es"] if lang == "es" else f"«{claim['es']}» ({claim['en']})"
        out.append(
            Verdict(
                key,
                claim["slide"],
                words,
                claim[f"m_{lang}"],
                nums,
                verdict,
                tr(WHY, why_key, lang, **fields),
            )
        )
    return out
