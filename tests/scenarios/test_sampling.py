"""Draws and statistics (docs/scenarios.md, "Draws" and "Statistics")."""

from __future__ import annotations

import decimal
import hashlib
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from costsheet.scenarios.sampling import DRAW_PLACES, draw, uniform_number
from costsheet.scenarios.statistics import percentile, rank_correlation, ranks, summarize

D = Decimal


def test_the_generator_is_the_documented_one():
    """SHA-256 of `costsheet:SEED:RUN:VARIATION:K`, its first 8 bytes as an integer i,
    u = (i + 1/2) / 2^64 to 34 significant digits (half even)."""
    digest = hashlib.sha256(b"costsheet:42:7:1:0").digest()
    integer = int.from_bytes(digest[:8], "big")
    context = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
    assert uniform_number(42, 7, 1, 0) == context.divide(D(2 * integer + 1), D(2**65))
    assert str(uniform_number(42, 7, 1, 0)) == "0.2403923993059382380849901134078905"  # pinned: the same everywhere


@given(st.integers(0, 2**63 - 1), st.integers(0, 10**6), st.integers(0, 20))
def test_uniform_numbers_lie_strictly_between_0_and_1(seed, run, variation):
    assert 0 < uniform_number(seed, run, variation, 0) < 1


@given(
    st.sampled_from(("uniform", "triangular")),
    st.lists(st.decimals(min_value=-1000, max_value=1000, places=3), min_size=3, max_size=3),
    st.integers(0, 1000),
)
def test_draws_lie_within_their_bounds_with_ten_places(kind, values, run):
    low, mode, high = sorted(values)
    parameters = (low, high) if kind == "uniform" else (low, mode, high)
    value = draw(kind, parameters, 1, run, 0)
    assert low <= value <= high
    assert value.as_tuple().exponent == -DRAW_PLACES


def test_degenerate_distributions_always_draw_their_value():
    for run in range(20):
        assert draw("uniform", (D("3.5"), D("3.5")), 0, run, 0) == D("3.5")
        assert draw("triangular", (D(2), D(2), D(2)), 0, run, 0) == D(2)
        assert draw("normal", (D("-1.25"), D(0)), 0, run, 0) == D("-1.25")


def test_the_same_seed_and_run_draw_the_same_value_and_others_differ():
    assert draw("normal", (D(10), D(2)), 42, 3, 0) == draw("normal", (D(10), D(2)), 42, 3, 0)
    values = {draw("normal", (D(10), D(2)), 42, run, 0) for run in range(100)}
    assert len(values) == 100
    assert draw("uniform", (D(0), D(1)), 42, 3, 0) != draw("uniform", (D(0), D(1)), 43, 3, 0)
    assert draw("uniform", (D(0), D(1)), 42, 3, 0) != draw("uniform", (D(0), D(1)), 42, 3, 1)


def test_the_distributions_have_their_shape():
    """Means and spreads over 4,000 draws, within sampling error (about 4 standard errors)."""
    runs = range(4000)
    normal = [draw("normal", (D(10), D(2)), 7, run, 0) for run in runs]
    mean = sum(normal) / len(normal)
    variance = sum((x - mean) ** 2 for x in normal) / (len(normal) - 1)
    assert abs(mean - 10) < D("0.13") and abs(variance.sqrt() - 2) < D("0.1")
    triangular = [draw("triangular", (D(0), D(2), D(10)), 7, run, 0) for run in runs]
    assert abs(sum(triangular) / len(triangular) - 4) < D("0.14")  # (0 + 2 + 10) / 3
    below_mode = sum(1 for x in triangular if x < 2) / len(triangular)
    assert abs(below_mode - 0.2) < 0.03  # F(mode) = (mode - min) / (max - min)
    uniform = [draw("uniform", (D(40), D(46)), 7, run, 0) for run in runs]
    assert abs(sum(uniform) / len(uniform) - 43) < D("0.12")


def test_nearest_rank_percentiles():
    """The nearest-rank method's textbook example: 15, 20, 35, 40, 50."""
    ordered = [D(15), D(20), D(35), D(40), D(50)]
    assert [percentile(ordered, p) for p in (5, 30, 40, 50, 100)] == [D(15), D(20), D(20), D(35), D(50)]
    summary = summarize([D(50), D(15), D(40), D(20), D(35)])
    assert (summary.mean, summary.min, summary.max, summary.p50) == (D(32), D(15), D(50), D(35))
    assert summarize([D("1.10")]).to_dict() == dict.fromkeys(("mean", "p5", "p50", "p95", "min", "max"), "1.10")


def test_ranks_average_ties():
    assert ranks([D(10), D(20), D(10), D(30)]) == [D("1.5"), D(3), D("1.5"), D(4)]


def _spearman(xs, ys) -> Fraction:
    """Pearson's correlation of the average ranks, in fractions (an independent reckoning)."""

    def rank(values):
        ordered = sorted(values)
        return [Fraction(2 * ordered.index(v) + 1 + ordered.count(v), 2) for v in values]

    rx, ry = rank(xs), rank(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / Fraction((D(sxx.numerator * syy.numerator) / D(sxx.denominator * syy.denominator)).sqrt())


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=30))
def test_rank_correlation_is_spearmans_with_average_ranks(pairs):
    xs = [D(x) for x, _ in pairs]
    ys = [D(y) for _, y in pairs]
    found = rank_correlation(xs, ys)
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        assert found == 0
        return
    assert abs(Fraction(found) - _spearman(xs, ys)) <= Fraction(1, 10**4)
    assert found.as_tuple().exponent == -4 and -1 <= found <= 1


def test_rank_correlation_of_monotone_series_is_one():
    xs = [D(x) for x in range(10)]
    assert rank_correlation(xs, [x * x for x in xs]) == D("1.0000")
    assert rank_correlation(xs, [-x for x in xs]) == D("-1.0000")
    assert rank_correlation(xs, [D(3)] * 10) == D("0.0000")
