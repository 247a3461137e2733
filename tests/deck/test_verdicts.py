"""The verdict rules on hand-made numbers: each verdict follows from the numbers, and a
difference inside the spread over seeds decides nothing."""

from __future__ import annotations

from types import SimpleNamespace as NS

from cnnlab.deck.verdicts import MIN_MARGIN, RULES, margin
from cnnlab.experiments.results import GrowthPoint, Stat


def stat(*values: float) -> Stat:
    return Stat.of(values)


def model(acc, permuted, params, shift2=None, growth=()):
    acc_stat, perm = stat(*acc), stat(*permuted)
    shift = (acc_stat, stat(acc[0]), stat(shift2 if shift2 is not None else acc[0]))
    return NS(accuracy=acc_stat, permuted=perm, params=params, shift=shift, growth=growth,
              permutation_change=perm.mean - acc_stat.mean)  # fmt: skip


def studies(mlp, cnn, **more):
    return NS(mlp=mlp, cnn=cnn, **more)


def test_spatial_claim_needs_a_blind_mlp_and_a_hurt_cnn():
    s = studies(
        model((0.98, 0.98), (0.979, 0.981), 269_322), model((0.99, 0.99), (0.97, 0.972), 34_026)
    )
    nums, verdict, why, fields = RULES["mlp_spatial"](s, "en")
    assert verdict == "supported" and why == "mlp_spatial_yes" and fields["drop"] == "1.90"
    assert "MLP 98.00 % → 98.00 %" in nums
    hurt = studies(model((0.98,), (0.95,), 1), model((0.99,), (0.97,), 1))
    assert RULES["mlp_spatial"](hurt, "es")[1] == "not_supported"


def test_a_difference_inside_the_spread_counts_for_nothing():
    noisy = studies(model((0.90, 0.98), (0.9, 0.9), 10), model((0.93, 0.99), (0.9, 0.9), 5))
    assert RULES["cnn_images"](noisy, "en")[1] == "not_supported"  # 2 points, spread about 6
    clear = studies(model((0.97, 0.971), (0.9, 0.9), 10), model((0.99, 0.991), (0.9, 0.9), 5))
    assert RULES["cnn_images"](clear, "en")[1] == "supported"
    assert margin(stat(0.5), stat(0.5)) == MIN_MARGIN


def test_pooling_overfit_is_partly_when_only_some_sizes_differ():
    gaps = {("maxpool", 0.01): stat(0.05, 0.06), ("none", 0.01): stat(0.15, 0.16),
            ("maxpool", 1.0): stat(0.01, 0.011), ("none", 1.0): stat(0.012, 0.011)}  # fmt: skip
    pool = NS(settings={"fractions": [0.01, 1.0]}, gap=lambda n, f: gaps[(n, f)])
    nums, verdict, _, fields = RULES["pool_overfit"](NS(pooling=pool), "es")
    assert verdict == "partly" and fields["sizes"] == "1 %"
    assert "1 %: +5,50 / +15,50" in nums  # Spanish marks
    gaps[("none", 1.0)] = stat(0.05, 0.051)
    assert RULES["pool_overfit"](NS(pooling=pool), "en")[1] == "supported"


def test_tables_claim_counts_tables_where_the_cnn_wins():
    accs = {"mlp": stat(0.95, 0.96), "cnn1d": stat(0.95, 0.955)}
    tab = NS(tables=[NS(name="wine"), NS(name="iris")], test=lambda name, m: accs[m])
    assert RULES["mlp_tabular"](NS(tabular=tab), "en")[1] == "supported"
    accs["cnn1d"] = stat(0.99, 0.99)
    assert RULES["mlp_tabular"](NS(tabular=tab), "en")[1] == "not_supported"


def test_growth_and_the_unmeasurable_claim():
    grow = lambda *p: tuple(GrowthPoint(s, n) for s, n in zip((28, 512), p, strict=True))  # noqa: E731
    s = studies(model((0.9,), (0.9,), 1, growth=grow(269_322, 67_177_482)),
                model((0.9,), (0.9,), 1, growth=grow(34_026, 2_645_226)))  # fmt: skip
    _, verdict, _, fields = RULES["mlp_growth"](s, "en")
    assert verdict == "supported" and fields["mlp"] == "249.4" and fields["cnn"] == "77.7"
    assert RULES["mlp_just"](s, "en")[1] == "not_measurable"
