"""Build models for valuation tests from ledger lines written as in docs/language.md, "Ledgers".

The lead's parser turns ``ledger ITEM { ... }`` into the same model objects;
this reader keeps the valuation tests independent of the front end.
"""

from __future__ import annotations

import datetime as dt

from costsheet.model import Charge, Item, Ledger, LedgerEntry, Model, Revaluation, Setup, frozen_map
from costsheet.numbers import D


def ledger(item: str, text: str) -> Ledger:
    entries, charges, revaluations = [], [], []
    lines = [line.split("#")[0].split() for line in text.strip().splitlines()]
    for sequence, words in enumerate((w for w in lines if w), start=1):
        date = dt.date.fromisoformat(words[0])
        kind = words[1]
        if kind == "charge":
            charges.append(Charge(date, int(words[2]), D(words[4]), sequence))
        elif kind == "revaluation":
            entry = int(words[2]) if words[2] != "unit-cost" else None
            revaluations.append(Revaluation(date, D(words[-1]), entry, sequence))
        else:
            options = dict(zip(words[3::2], words[4::2], strict=True))
            entries.append(
                LedgerEntry(
                    len(entries) + 1,
                    date,
                    kind,
                    D(words[2]),
                    D(options["cost"]) if "cost" in options else None,
                    options.get("location"),
                    options.get("variant"),
                    int(options["applies-to"]) if "applies-to" in options else None,
                )
            )
    return Ledger(item, tuple(entries), tuple(charges), tuple(revaluations))


def model(method: str, text: str, *, item: str = "ITEM-A", standard_cost=None, accounting_periods=(), **setup) -> Model:
    return Model(
        setup=Setup(**setup),
        items=frozen_map(
            {
                item: Item(
                    item, costing_method=method, standard_cost=D(standard_cost) if standard_cost is not None else None
                )
            }
        ),
        ledgers=frozen_map({item: ledger(item, text)}),
        accounting_periods=tuple(accounting_periods),
    )


def costs(valuation) -> dict[int, str]:
    """Entry number -> cost amount as text."""
    return {e.entry: str(e.cost_amount) for e in valuation.entries}


#: the chart of the production-order tests: an element of every cost group orders cost by
PRODUCTION_CHART = """chart {
  1110 element "Direct material"         material
  1120 element "Material overhead"       material-overhead
  2110 element "Direct labour"           capacity
  2120 element "Labour overhead"         capacity-overhead
  2130 element "Subcontracting"          subcontracted
  2140 element "Subcontracting overhead" subcontracted-overhead
  3100 element "Manufacturing overhead"  mfg-overhead
}
"""


HEADER = """
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
}
condition material M-BASE "Plain material" { direct 1110 overhead 1120 }
"""


def valued_text(
    ledger_lines: str,
    method: str,
    *,
    physical_value: bool = False,
    period: str = "month",
    as_of: dt.date | None = None,
    item_fields: str = "",
    calc: str = "item",
    item: str = "ITEM-A",
):
    """Value a ledger written in the ruleset language (docs/language.md, "Ledgers"): the
    ``ledger_lines`` of ``item`` under ``method``; returns the ValuationResult (it must check clean)."""
    import costsheet

    text = (
        HEADER + f"setup {{ default material M-BASE  average-cost-period {period}  average-cost-calc {calc}"
        f"  include-physical-value {'yes' if physical_value else 'no'} }}\n"
        f'item {item} "Test item" {{ costing-method {method} {item_fields} }}\n'
        f"ledger {item} {{\n{ledger_lines}\n}}\n"
    )
    return costsheet.load(text, file="ledger.cost").value(as_of=as_of)


def amounts(valuation, *numbers: int) -> list[str]:
    """The cost amounts of entries ``numbers``, as text."""
    return [str(valuation.entry(n).cost_amount) for n in numbers]


def adjusted(valuation, number: int) -> list[tuple[str, str, str]]:
    """Entry ``number``'s adjustments as (date, kind, amount)."""
    return [(a.date.isoformat(), a.kind, str(a.amount)) for a in valuation.entry(number).adjustments]
