"""Property: random master data with units of measure, currencies with dated exchange rates,
dated BOM and routing versions, phantoms, by-products and co-products, written once as CSV files
and once as a ruleset, loads into the same model and costs identically on any date
(docs/master-data.md, "Units, currencies, versions and phantoms", "By-products and co-products")."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import calculate

from .support import CHART

SETUP = (
    CHART + 'setup { currency EUR  cost-base unit/direct/last }\nworkcenter WC "Work" { direct-unit-cost 30.00/h }\n'
)
DATES = [dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1)]

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20"), places=2)
factors = st.sampled_from([Decimal(n) for n in ("6", "12", "100", "2.5", "0.5")])


@attrs.frozen
class Part:
    code: str
    unit_cost: Decimal
    box: Decimal | None  # BOX factor, or no unit of measure
    vendor: str | None  # V-EUR, V-USD or none
    prices: tuple[tuple[Decimal, str | None, Decimal], ...]  # (unit cost, per, min qty)


@attrs.frozen
class Line:
    component: str
    quantity: Decimal
    unit: str | None


@attrs.frozen
class Made:
    code: str
    phantom: bool
    boms: tuple[tuple[dt.date | None, tuple[Line, ...]], ...]  # by version date, undated first
    routings: tuple[tuple[dt.date | None, tuple[tuple[int, int], ...]], ...]  # (setup min, run min)


@attrs.frozen
class Data:
    parts: tuple[Part, ...]
    made: tuple[Made, ...]  # a phantom, then the item that uses it
    rates: tuple[tuple[dt.date, Decimal], ...]
    byproducts: tuple[tuple[str, Decimal, Decimal | None], ...] = ()  # TOP's: (part, quantity, value)
    coproduct: tuple[Decimal, Decimal] | None = None  # TOP's co-product KIT: (quantity, share %)


@st.composite
def parts(draw, index: int) -> Part:
    box = draw(st.none() | factors)
    vendor = draw(st.sampled_from([None, "V-EUR", "V-USD"]))
    units = [None, "PCS"] + (["BOX"] if box else [])
    prices = ()
    if vendor:
        prices = tuple(
            draw(st.tuples(amounts, st.sampled_from(units), st.sampled_from([Decimal(0), Decimal(2)])))
            for _ in range(draw(st.integers(0, 2)))
        )
    return Part(f"P{index}", draw(amounts), box, vendor, prices)


def lines(draw, components: list[tuple[str, Decimal | None]]) -> tuple[Line, ...]:
    chosen = draw(st.lists(st.sampled_from(components), min_size=1, max_size=3, unique=True))
    return tuple(
        Line(code, draw(quantities), draw(st.sampled_from([None, "PCS"] + (["BOX"] if box else []))))
        for code, box in chosen
    )


def versions(draw, make) -> tuple:
    dates = draw(st.lists(st.sampled_from(DATES[1:]), max_size=2, unique=True))
    undated = draw(st.booleans()) or not dates
    keys = ([None] if undated else []) + sorted(dates)
    return tuple((key, make()) for key in keys)


@st.composite
def master_data(draw) -> Data:
    found = [draw(parts(i)) for i in range(draw(st.integers(1, 4)))]
    components = [(p.code, p.box) for p in found]
    operations = st.tuples(st.integers(0, 60), st.integers(1, 30))
    phantom = Made(
        "PH",
        True,
        versions(draw, lambda: lines(draw, components)),
        versions(draw, lambda: tuple(draw(st.lists(operations, max_size=2)))),
    )
    top = Made(
        "TOP",
        False,
        versions(draw, lambda: lines(draw, [*components, ("PH", None)])),
        versions(draw, lambda: tuple(draw(st.lists(operations, min_size=1, max_size=2)))),
    )
    rates = tuple(
        (day, draw(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2"), places=4)))
        for day in draw(st.lists(st.sampled_from(DATES), min_size=1, max_size=3, unique=True))
    )
    byproduct = st.tuples(st.sampled_from([p.code for p in found]), quantities, st.none() | amounts)
    shares = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=1)
    return Data(
        tuple(found),
        (phantom, top),
        tuple(sorted(rates)) if any(d == DATES[0] for d, _ in rates) else ((DATES[0], Decimal(1)), *sorted(rates)),
        tuple(draw(st.lists(byproduct, max_size=2, unique_by=lambda b: b[0]))),
        draw(st.none() | st.tuples(quantities, shares)),
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def ruleset(data: Data) -> str:
    out = ['vendor V-EUR "Local"\nvendor V-USD "Abroad" { currency USD }\n']
    out += [f"exchange-rate USD from {day} {rate}\n" for day, rate in data.rates]
    for part in data.parts:
        body = f"unit PCS unit-cost {part.unit_cost}"
        body += f" unit-of-measure BOX {part.box}" if part.box else ""
        body += f" vendor {part.vendor}" if part.vendor else ""
        out.append(f'item {part.code} "{part.code}" {{ {body} }}\n')
        for cost, per, min_qty in part.prices:
            out.append(
                f"price {part.code} vendor {part.vendor} min-qty {min_qty} unit-cost {cost}"
                + (f" per {per}" if per else "")
                + "\n"
            )
    for made in data.made:
        body = ["replenishment phantom" if made.phantom else "replenishment prod-order", "unit PCS"]
        for day, bom in made.boms:
            entries = " ".join(f"{x.component} {x.quantity}" + (f" unit {x.unit}" if x.unit else "") for x in bom)
            body.append(("bom" if day is None else f"bom from {day}") + f" {{ {entries} }}")
        for day, steps in made.routings:
            entries = " ".join(f"{10 * (i + 1)} WC setup {s}min run {r}min" for i, (s, r) in enumerate(steps))
            body.append(("routing" if day is None else f"routing from {day}") + f" {{ {entries} }}")
        if not made.phantom:
            body += [
                f"byproduct {code} {q}" + (f" value {v}" if v is not None else "") for code, q, v in data.byproducts
            ]
            body += [f"coproduct KIT {q} share {share}%" for q, share in ([data.coproduct] if data.coproduct else [])]
        out.append(f'item {made.code} "{made.code}" {{\n  ' + "\n  ".join(body) + "\n}\n")
    out.append('item KIT "KIT" { replenishment prod-order unit PCS }\n')
    return "".join(out)


def csv_files(data: Data) -> dict[str, str]:
    items = ["code,description,replenishment,unit,vendor,unit_cost"]
    units, prices, bom, routing = ["item,unit,factor"], ["item,vendor,unit_cost,min_qty,per"], [], []
    for part in data.parts:
        items.append(f"{part.code},{part.code},,PCS,{_text(part.vendor)},{part.unit_cost}")
        if part.box:
            units.append(f"{part.code},BOX,{part.box}")
        prices += [f"{part.code},{part.vendor},{cost},{q},{_text(per)}" for cost, per, q in part.prices]
    for made in data.made:
        items.append(f"{made.code},{made.code},{'phantom' if made.phantom else 'prod-order'},PCS,,")
        bom += [
            f"{made.code},{x.component},{x.quantity},{_text(x.unit)},{_text(day)}"
            for day, lines in made.boms
            for x in lines
        ]
        routing += [
            f"{made.code},{10 * (i + 1)},WC,{s}min,{r}min,{_text(day)}"
            for day, steps in made.routings
            for i, (s, r) in enumerate(steps)
        ]
    items.append("KIT,KIT,prod-order,PCS,,")
    joint = [f"TOP,byproduct,{code},{q},{_text(v)}," for code, q, v in data.byproducts]
    joint += [f"TOP,coproduct,KIT,{q},,{share}%" for q, share in ([data.coproduct] if data.coproduct else [])]
    # an empty version is a row of the versions file (no line can say it)
    versions = ["item,version,from"] + [
        f"{made.code},V{_text(day)},{_text(day)}" for made in data.made for day, lines in made.boms if not lines
    ]
    routing_versions = ["item,version,from"] + [
        f"{made.code},V{_text(day)},{_text(day)}" for made in data.made for day, steps in made.routings if not steps
    ]
    return {
        "items.csv": "\n".join(items) + "\n",
        "item-units.csv": "\n".join(units) + "\n",
        "vendors.csv": "code,name,currency\nV-EUR,Local,\nV-USD,Abroad,USD\n",
        "exchange-rates.csv": "currency,from,rate\n" + "".join(f"USD,{d},{r}\n" for d, r in data.rates),
        "prices.csv": "\n".join(prices) + "\n",
        "bom.csv": "item,component,quantity,unit,from\n" + "".join(row + "\n" for row in bom),
        "routing.csv": "item,operation,resource,setup,run,from\n" + "".join(row + "\n" for row in routing),
        "bom-versions.csv": "\n".join(versions) + "\n",
        "routing-versions.csv": "\n".join(routing_versions) + "\n",
        "joint-products.csv": "item,kind,product,quantity,value,share\n" + "".join(row + "\n" for row in joint),
    }


@given(master_data(), st.sampled_from([*DATES, dt.date(2026, 8, 15)]), st.sampled_from([Decimal(1), Decimal(5)]))
def test_master_data_written_as_csv_and_as_a_ruleset_costs_identically(data, date, lot):
    from_dsl = costsheet.load(SETUP + ruleset(data), file="setup.cost")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in csv_files(data).items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        from_csv = costsheet.load(SETUP, file="setup.cost", master_data=folder)
    assert [d.code for d in from_csv.diagnostics] == [d.code for d in from_dsl.diagnostics]
    assert not any(d.is_error for d in from_csv.diagnostics)
    for field in ("items", "vendors", "prices", "exchange_rates"):
        assert getattr(from_csv.model, field) == getattr(from_dsl.model, field), field
    for item in ("TOP", "KIT"):
        csv_result, csv_problems = calculate(from_csv.model, item, lot_size=lot, date=date)
        dsl_result, dsl_problems = calculate(from_dsl.model, item, lot_size=lot, date=date)
        assert [d.code for d in csv_problems] == [d.code for d in dsl_problems]
        assert (csv_result is None) == (dsl_result is None)
        if csv_result is not None and dsl_result is not None:
            assert csv_result.to_json() == dsl_result.to_json()
