"""Hypothesis strategies for syntax trees the parser can produce.

Every generated tree is one that some text parses to: values have the types
the grammar gives them (a field's value follows its name, a formula's Num is
never negative, durations and rates have no sign ...).  Codes are drawn to
include the awkward ones: keywords, number-, date- and time-like words,
codes with spaces, quotes, backslashes and ``..`` in them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from costsheet.syntax import nodes as n

KEYWORDS = (
    "setup",
    "chart",
    "rounding",
    "condition",
    "item",
    "workcenter",
    "machinecenter",
    "vendor",
    "price",
    "discount",
    "ledger",
    "accounting-periods",
    "include",
    "scenario",
    "simulation",
    "runs",
    "seed",
    "line",
    "uniform",
    "triangular",
    "normal",
    "cost-base",
    "copy-standard-cost",
    "explode-bom",
    "decimals",
    "default",
    "assembly",
    "direct",
    "overhead",
    "average-cost-period",
    "average-cost-calc",
    "amount-precision",
    "amounts",
    "quantities",
    "material",
    "production",
    "capacity",
    "subcontract",
    "heading",
    "element",
    "begin-total",
    "end-total",
    "total",
    "material-overhead",
    "capacity-overhead",
    "subcontracted",
    "subcontracted-overhead",
    "mfg-overhead",
    "sales-overhead",
    "admin-overhead",
    "gain-loss",
    "commission-discount",
    "min-amount",
    "charge",
    "copy-price",
    "sales-type",
    "line",
    "row",
    "percent",
    "amount",
    "formula",
    "setup-only",
    "allocation",
    "round",
    "list-price",
    "bold",
    "replenishment",
    "unit",
    "subcontractor",
    "unit-cost",
    "last-direct-cost",
    "standard-cost",
    "indirect-cost",
    "overhead-rate",
    "lot-size",
    "scrap",
    "costing-method",
    "direct-unit-cost",
    "bom",
    "routing",
    "run",
    "in",
    "from",
    "to",
    "min-qty",
    "cost",
    "location",
    "variant",
    "applies-to",
    "revaluation",
    "capacity",
    "order",
    "shares",
)
AWKWARD = (
    "10",
    "1.5",
    "0",
    "2026-01-01",
    "30min",
    "1.5h",
    "42.00/h",
    "5%",
    "2:5",
    "A.",
    "A..B",
    "a b",
    'say "hi"',
    "back\\slash",
    "",
    "#x",
    "ICO-0001",
    "V/1000",
    "x_y",
    "é",
)

bare_codes = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_\-/]{0,8}\Z")
codes_text = st.one_of(bare_codes, st.sampled_from(KEYWORDS), st.sampled_from(AWKWARD))
codes = codes_text.map(n.Code)
words = codes_text.map(n.Word)
#: Any text a string literal can hold through a file (no "\r": universal newlines would eat it).
texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=12,
)
unsigned = st.from_regex(r"\A\d{1,5}(\.\d{1,4})?\Z").map(Decimal)
signed = st.from_regex(r"\A-?\d{1,5}(\.\d{1,4})?\Z").map(Decimal)
percents = signed.map(n.Percent)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))
units = st.sampled_from(("s", "min", "h", "d"))
durations = st.builds(n.Duration, unsigned, units)
rates = st.builds(n.RateValue, unsigned, units)

# ---------------------------------------------------------------- formulas

rows = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,4}\Z")
formulas = st.recursive(
    st.one_of(unsigned.map(n.Num), rows.map(n.Row)),
    lambda inner: st.one_of(
        st.builds(n.Unary, st.just("-"), inner),
        st.builds(n.Binary, st.sampled_from(("+", "-", "*", "/", "%", "§")), inner, inner),
    ),
    max_leaves=12,
)

# ---------------------------------------------------------------- setup and chart

WORD_SETTINGS = ("cost-base", "copy-standard-cost", "explode-bom", "average-cost-period", "average-cost-calc")
CODE_SETTINGS = ("default material", "default production", "default capacity", "default subcontract")
decimals_ranges = st.one_of(
    st.builds(lambda low, high: n.DecimalsRange(low, high), st.integers(0, 20), st.integers(0, 20)),
    st.integers(0, 20).map(lambda v: n.DecimalsRange(v, v, single=True)),
)
settings = st.one_of(
    st.builds(n.Setting, st.sampled_from(WORD_SETTINGS), words),
    st.builds(n.Setting, st.sampled_from(CODE_SETTINGS), codes),
    st.builds(n.Setting, st.sampled_from(("decimals amounts", "decimals quantities")), decimals_ranges),
    st.builds(n.Setting, st.just("assembly"), st.builds(n.AssemblyElements, codes, codes)),
    st.builds(n.Setting, st.just("amount-precision"), signed),
)
setups = st.builds(n.SetupBlock, st.lists(settings, max_size=5).map(tuple))

COST_GROUP_NAMES = (
    "material",
    "material-overhead",
    "capacity",
    "capacity-overhead",
    "subcontracted",
    "subcontracted-overhead",
    "mfg-overhead",
    "sales-overhead",
    "admin-overhead",
    "gain-loss",
    "commission-discount",
)
groups = st.none() | st.sampled_from(COST_GROUP_NAMES).map(n.Word)
#: any bare word not followed by a chart line type is an element's cost group, a misspelt one too
element_groups = groups | bare_codes.map(n.Word)
filter_parts = st.builds(n.FilterPart, codes, st.none() | codes)
chart_entries = st.one_of(
    st.builds(
        n.ChartEntry, codes, st.sampled_from(("heading", "element", "begin-total", "end-total")), texts, element_groups
    ),
    st.builds(
        n.ChartEntry, codes, st.just("total"), texts, groups, st.lists(filter_parts, min_size=1, max_size=3).map(tuple)
    ),
)
charts = st.builds(n.ChartBlock, st.lists(chart_entries, max_size=5).map(tuple))
roundings = st.builds(n.RoundingDecl, codes, codes_text, signed, st.none() | signed)

# ---------------------------------------------------------------- conditions

line_values = st.one_of(
    st.builds(n.LineValue, st.sampled_from(("percent", "amount")), signed),
    st.builds(n.LineValue, st.just("element"), codes),
    st.builds(n.LineValue, st.just("formula"), texts),
)
flags = st.one_of(
    st.builds(n.Flag, st.sampled_from(("setup-only", "list-price", "bold"))),
    st.builds(n.Flag, st.just("allocation"), percents),
    st.builds(n.Flag, st.just("round"), st.none() | codes),
)
#: a line's options in any order, repeats included (the checker reports them)
line_options = st.one_of(st.builds(n.Field, st.just("row"), codes), line_values, flags)
lines = st.builds(n.Line, st.none() | codes, texts, st.lists(line_options, max_size=4).map(tuple))
condition_stmts = st.one_of(
    st.builds(n.Header, st.sampled_from(("direct", "overhead")), codes),
    st.builds(
        n.CopyPrice, st.lists(codes_text.filter(lambda t: "+" not in t and t), min_size=1, max_size=2).map("+".join)
    ),
    st.builds(n.SalesTypeStmt, codes_text, st.none() | codes),
    lines,
)
conditions = st.builds(
    n.ConditionDecl,
    st.sampled_from(("material", "production", "capacity", "charge")),
    codes,
    st.none() | texts,
    st.lists(condition_stmts, max_size=5).map(tuple),
)

# ---------------------------------------------------------------- master data

fields = st.one_of(
    st.builds(n.Field, st.sampled_from(("unit", "vendor", "subcontractor", "rounding")), codes),
    st.builds(n.Field, st.sampled_from(("replenishment", "cost-base", "costing-method")), words),
    st.builds(n.Field, st.sampled_from(("unit-cost", "last-direct-cost", "standard-cost", "lot-size")), signed),
    st.builds(n.Field, st.sampled_from(("indirect-cost", "scrap")), st.one_of(percents, signed)),
    st.builds(n.Field, st.sampled_from(("overhead-rate", "direct-unit-cost")), st.one_of(rates, signed)),
)
condition_refs = st.builds(
    n.ConditionRef, st.none() | st.sampled_from(("material", "production", "capacity", "charge")), codes
)


def _options(*choices):
    """Keyword options in any order, repeats included."""
    return st.lists(
        st.one_of(*(st.builds(n.Field, st.just(name), values) for name, values in choices)), max_size=4
    ).map(tuple)


units_of_measure = st.builds(n.UnitOfMeasure, codes, signed)
byproducts = st.builds(n.ByProductLine, codes, signed, _options(("value", signed)))
coproducts = st.builds(n.CoProductLine, codes, signed, _options(("share", percents)))
versions = st.none() | st.builds(n.Field, st.just("from"), dates)  # undated, or `from DATE`
boms = st.builds(
    n.BomBlock,
    st.lists(st.builds(n.BomEntry, codes, signed, _options(("scrap", percents), ("unit", codes))), max_size=3).map(
        tuple
    ),
    versions,
)
routings = st.builds(
    n.RoutingBlock,
    st.lists(
        st.builds(n.RoutingEntry, codes, codes, _options(("setup", durations), ("run", durations))), max_size=3
    ).map(tuple),
    versions,
)
items = st.builds(
    n.ItemDecl,
    codes,
    st.none() | texts,
    st.lists(
        st.one_of(fields, condition_refs, units_of_measure, byproducts, coproducts, boms, routings), max_size=6
    ).map(tuple),
)
center_body = st.lists(st.one_of(fields, condition_refs), max_size=4).map(tuple)
workcenters = st.builds(n.WorkCenterDecl, codes, st.none() | texts, center_body)
machinecenters = st.builds(n.MachineCenterDecl, codes, st.none() | texts, codes, center_body)
vendors = st.builds(
    n.VendorDecl,
    codes,
    st.none() | texts,
    body=st.lists(st.builds(n.Field, st.just("currency"), codes), max_size=2).map(tuple),
)
exchange_rates = st.builds(n.ExchangeRateDecl, codes, dates, signed)
_VALIDITY = (("from", dates), ("to", dates), ("min-qty", signed))
prices = st.builds(n.PriceDecl, codes, codes, _options(*_VALIDITY, ("unit-cost", signed), ("per", codes)))
discounts = st.builds(n.DiscountDecl, codes, codes, _options(*_VALIDITY, ("percent", percents), ("per", codes)))

# ---------------------------------------------------------------- ledgers

options = st.one_of(
    st.builds(n.Field, st.just("cost"), signed),
    st.builds(n.Field, st.sampled_from(("location", "variant")), codes),
    st.builds(n.Field, st.just("applies-to"), st.integers(0, 10_000)),
    st.builds(n.Field, st.just("order"), codes),
)
ledger_lines = st.one_of(
    st.builds(n.EntryLine, dates, codes_text, signed, st.lists(options, max_size=3).map(tuple)),
    st.builds(n.LedgerCharge, dates, st.integers(0, 10_000), signed),
    st.builds(n.LedgerRevaluation, dates, st.none() | st.integers(0, 10_000), signed),
    st.builds(
        n.CapacityLine,
        dates,
        codes,
        st.none() | durations,
        _options(("setup", durations), ("run", durations), ("order", codes)),
    ),
)
ledgers = st.builds(n.LedgerDecl, codes, st.lists(ledger_lines, max_size=5).map(tuple))
periods = st.builds(n.AccountingPeriods, st.lists(dates, max_size=4).map(tuple))
includes = st.builds(n.Include, texts)
shares = st.builds(n.SharesBlock, st.lists(st.builds(n.Share, words, signed), max_size=5).map(tuple))
standard_costs = st.builds(n.StandardCostDecl, codes, dates, signed, st.none() | shares)
targets = st.one_of(
    st.builds(n.Target, st.sampled_from(("item", "workcenter", "machinecenter")), codes, words),
    st.builds(
        lambda kind, code, vendor: n.Target(kind, code, vendor=vendor),
        st.sampled_from(("price", "discount")),
        codes,
        codes,
    ),
    st.builds(
        lambda code, line, kind: n.Target("condition", code, kind, line=line), codes, st.integers(0, 10_000), words
    ),
)
change_values = st.one_of(signed, percents, rates)
changes = st.builds(n.Change, targets, change_values | texts)
scenarios = st.builds(n.ScenarioDecl, codes, st.none() | texts, st.lists(changes, max_size=4).map(tuple))
distributions = st.builds(
    n.Distribution, st.sampled_from(("uniform", "triangular", "normal")), st.lists(change_values, max_size=3).map(tuple)
)
simulation_stmts = st.one_of(
    st.builds(n.Field, st.sampled_from(("runs", "seed")), signed), st.builds(n.Variation, targets, distributions)
)
simulations = st.builds(n.SimulationDecl, codes, st.none() | texts, st.lists(simulation_stmts, max_size=4).map(tuple))

declarations = st.one_of(
    setups,
    charts,
    roundings,
    conditions,
    items,
    workcenters,
    machinecenters,
    vendors,
    prices,
    discounts,
    ledgers,
    periods,
    includes,
    standard_costs,
    exchange_rates,
    scenarios,
    simulations,
)
rulesets = st.builds(n.SourceFile, st.lists(declarations, max_size=6).map(tuple))
