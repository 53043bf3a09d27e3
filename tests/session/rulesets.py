"""Random small rulesets as editable descriptions, rendered to text, for the session's properties."""

from __future__ import annotations

import copy

from hypothesis import strategies as st

HEAD = """setup { currency EUR default material M default production P default capacity C }
chart {
  1100 begin-total "Material"
  1110 element "Direct material" material
  1120 element "Material overhead" material-overhead
  1199 end-total "Total material"
  2110 element "Direct labour" capacity
  2120 element "Labour overhead" capacity-overhead
  3100 element "Manufacturing overhead" mfg-overhead
  5000 total "Cost of goods" 1100..1199 | 2110..2120 | 3100
  6100 element "Sales overhead" sales-overhead
}
rounding CENTS nearest 0.01
vendor V1 "Vendor one"
vendor V2 "Vendor two" { currency USD }
"""

AMOUNTS = ("0.40", "1.00", "2.50", "12.00", "0.05")
PERCENTS = ("0", "2", "5", "12.5")
QUANTITIES = ("1", "2", "0.5", "3")
RATES = ("30.00", "42.00", "55.50")
DATES = ("2026-01-01", "2027-01-01")  # valid on the costing date, or not yet (no-valid-price)
EXCHANGE_RATES = ("1.0850", "0.9000", "1.25")  # EUR per USD, the currency of V2
BOXES = ("10", "12", "100")  # PCS per BOX of a part
SHARES = ("10", "25", "40")  # a co-product's share: two of them stay under 100%


@st.composite
def descriptions(draw) -> dict:
    """A ruleset: purchased parts P*, produced items A* whose BOMs name lower items, conditions, centers."""
    parts = draw(st.integers(1, 4))
    assemblies = draw(st.integers(1, 5))
    ruleset = {
        "setup_material": "M",
        "conditions": {
            "M": ["material", [("1120", "amount", draw(st.sampled_from(AMOUNTS)))]],
            "M2": ["material", [("1120", "percent", draw(st.sampled_from(PERCENTS)))]],
            "P": ["production", [("3100", "percent", draw(st.sampled_from(PERCENTS)))]],
            "C": ["capacity", [("2120", "amount", draw(st.sampled_from(AMOUNTS)))]],
        },
        "centers": {"W1": draw(st.sampled_from(RATES)), "W2": draw(st.sampled_from(RATES))},
        "machines": {"MC1": ["W1", draw(st.sampled_from(RATES))]},
        "items": {},
        "prices": [],
        "discounts": [],
        "order": [],
        "usd": draw(st.sampled_from(EXCHANGE_RATES)),
    }
    codes = []
    for i in range(parts):
        code = f"P{i}"
        ruleset["items"][code] = {
            "purchase": True,
            "cost": draw(st.sampled_from(AMOUNTS)),
            "material": None,
            "base": draw(st.sampled_from((None, None, "direct-unit-cost"))),  # prices only: may fail to cost
            "box": draw(st.sampled_from(BOXES)),
            "vendor": draw(st.sampled_from(("V1", "V2"))),  # of its cost base direct-unit-cost
        }
        if draw(st.booleans()):
            item = ruleset["items"][code]  # its own vendor's price when its cost base reads prices
            vendor = item["vendor"] if item["base"] else draw(st.sampled_from(("V1", "V2")))
            ruleset["prices"].append([code, vendor, draw(st.sampled_from(AMOUNTS)), draw(st.sampled_from(DATES))])
        codes.append(code)
    for i in range(assemblies):
        code = f"A{i}"
        bom = [
            [draw(st.sampled_from(codes)), draw(st.sampled_from(QUANTITIES)), draw(st.sampled_from(PERCENTS)), None]
            for _ in range(draw(st.integers(1, 3)))
        ]
        routing = [[draw(st.sampled_from(("W1", "W2", "MC1"))), draw(st.integers(0, 30)), draw(st.integers(1, 20))]]
        ruleset["items"][code] = {
            "purchase": False,
            "bom": bom,
            "routing": routing,
            "charge": draw(st.booleans()),
            "versions": [],  # [date, bom]: dated BOM versions besides the undated one
            "byproducts": [],  # [part, quantity, value or None]
            "coproducts": [],  # [K*, quantity, share]
        }
        if draw(st.booleans()):
            ruleset["items"][code]["byproducts"].append(_byproduct(draw, codes[:parts]))
        codes.append(code)
    for i in range(draw(st.integers(0, 2))):  # co-products K*: produced items without BOM, of one A* each
        code = f"K{i}"
        producer = ruleset["items"][f"A{draw(st.integers(0, assemblies - 1))}"]
        producer["coproducts"].append([code, draw(st.sampled_from(QUANTITIES)), draw(st.sampled_from(SHARES))])
        ruleset["items"][code] = {"purchase": False, "coproduct": True}
    ruleset["order"] = list(ruleset["items"])
    return ruleset


def _byproduct(draw, parts: list[str]) -> list:
    """A by-product: a part (never a cycle), at its own cost or at a value."""
    value = draw(st.sampled_from((None, "0.05", "0.40")))
    return [draw(st.sampled_from(parts)), draw(st.sampled_from(QUANTITIES)), value]


def _joint_lines(item: dict) -> str:
    byproducts = "".join(
        f"\n  byproduct {code} {quantity}" + (f" value {value}" if value else "")
        for code, quantity, value in item["byproducts"]
    )
    return byproducts + "".join(
        f"\n  coproduct {code} {quantity} share {share}%" for code, quantity, share in item["coproducts"]
    )


def render(ruleset: dict, comment_at: int | None = None) -> str:
    out = [HEAD.replace("default material M", f"default material {ruleset['setup_material']}")]
    out.append(
        'condition charge LP "List price" {\n  line "Cost" row A element 5000\n'
        '  line 6100 "Sales" row B formula "10 % A"\n  line "List price" formula "A + B" list-price round CENTS\n}'
    )
    direct = {"material": "1110", "production": "1110", "capacity": "2110"}
    overhead = {"material": "1120", "production": "3100", "capacity": "2120"}
    for code, (kind, lines) in ruleset["conditions"].items():
        body = "".join(f'\n  line {element} "L{n}" {how} {value}' for n, (element, how, value) in enumerate(lines))
        out.append(f'condition {kind} {code} "{code}" {{ direct {direct[kind]} overhead {overhead[kind]}{body}\n}}')
    out.append(f"exchange-rate USD from 2026-01-01 {ruleset['usd']}")
    for code, rate in ruleset["centers"].items():
        out.append(f'workcenter {code} "{code}" {{ direct-unit-cost {rate}/h }}')
    for code, (center, rate) in ruleset["machines"].items():
        out.append(f'machinecenter {code} "{code}" in {center} {{ direct-unit-cost {rate}/h }}')
    for code in ruleset["order"]:
        item = ruleset["items"][code]
        if item["purchase"]:
            material = f"\n  condition material {item['material']}" if item["material"] else ""
            base = f"\n  vendor {item['vendor']}\n  cost-base {item['base']}" if item["base"] else ""
            units = f"\n  unit PCS\n  unit-of-measure BOX {item['box']}"
            out.append(f'item {code} "{code}" {{\n  unit-cost {item["cost"]}{units}{material}{base}\n}}')
            continue
        if item.get("coproduct"):
            out.append(f'item {code} "{code}" {{ replenishment prod-order }}')
            continue
        versions = [("", item["bom"]), *((f"from {date} ", lines) for date, lines in item["versions"])]
        boms = "".join(f"\n  bom {when}{{{_bom_lines(lines)}\n  }}" for when, lines in versions)
        routing = "".join(
            f"\n    {10 * (k + 1)} {r} setup {setup}min run {run}min"
            for k, (r, setup, run) in enumerate(item["routing"])
        )
        charge = "\n  condition charge LP" if item["charge"] else ""
        out.append(
            f'item {code} "{code}" {{\n  replenishment prod-order{charge}{_joint_lines(item)}{boms}'
            f"\n  routing {{{routing}\n  }}\n}}"
        )
    for code, vendor, cost, starting in ruleset["prices"]:
        out.append(f"price {code} vendor {vendor} from {starting} unit-cost {cost}")
    for code, vendor, percent in ruleset["discounts"]:
        out.append(f"discount {code} vendor {vendor} from 2026-01-01 {percent}%")
    text = "\n".join(out) + "\n"
    if comment_at is not None:
        lines = text.split("\n")
        at = comment_at % len(lines)
        lines.insert(at, "# a comment line")
        text = "\n".join(lines)
    return text


def _bom_lines(lines: list) -> str:
    return "".join(
        f"\n    {c} {q}" + (f" scrap {s}%" if s != "0" else "") + (f" unit {unit}" if unit else "")
        for c, q, s, unit in lines
    )


EDITS = (
    "unit-cost",
    "price",
    "add-price",
    "remove-price",
    "discount",
    "condition-line",
    "add-condition-line",
    "item-condition",
    "work-center",
    "machine-center",
    "bom-quantity",
    "add-bom-line",
    "remove-bom-line",
    "routing",
    "setup",
    "move-item",
    "charge",
    "cost-base",
    "price-date",
    "exchange-rate",
    "box",
    "bom-unit",
    "bom-version",
    "byproduct",
    "coproduct",
)


@st.composite
def edited(draw, ruleset: dict) -> dict:  # noqa: C901 - one branch per kind of edit, in EDITS order
    """``ruleset`` with one edit of a kind from EDITS (a deep copy)."""
    ruleset = copy.deepcopy(ruleset)
    kind = draw(st.sampled_from(EDITS))
    items = ruleset["items"]
    parts = [code for code, item in items.items() if item["purchase"]]
    made = [code for code, item in items.items() if not item["purchase"] and not item.get("coproduct")]
    if kind == "unit-cost":
        items[draw(st.sampled_from(parts))]["cost"] = draw(st.sampled_from(AMOUNTS))
    elif kind == "price" and ruleset["prices"]:
        draw(st.sampled_from(ruleset["prices"]))[2] = draw(st.sampled_from(AMOUNTS))
    elif kind in ("add-price", "price"):
        ruleset["prices"].append(
            [
                draw(st.sampled_from(parts)),
                draw(st.sampled_from(("V1", "V2"))),
                draw(st.sampled_from(AMOUNTS)),
                draw(st.sampled_from(DATES)),
            ]
        )
    elif kind == "remove-price" and ruleset["prices"]:
        ruleset["prices"].pop(draw(st.integers(0, len(ruleset["prices"]) - 1)))
    elif kind in ("discount", "remove-price"):
        ruleset["discounts"].append([draw(st.sampled_from(parts)), "V1", draw(st.sampled_from(PERCENTS[1:]))])
    elif kind == "condition-line":
        lines = ruleset["conditions"][draw(st.sampled_from(("M", "M2", "P", "C")))][1]
        element, how, _ = lines[0]
        lines[0] = (element, how, draw(st.sampled_from(AMOUNTS if how == "amount" else PERCENTS)))
    elif kind == "add-condition-line":
        code, element = draw(st.sampled_from((("M", "1120"), ("P", "3100"))))
        ruleset["conditions"][code][1].append((element, "amount", "1.00"))
    elif kind == "item-condition":
        items[draw(st.sampled_from(parts))]["material"] = draw(st.sampled_from(("M", "M2", None)))
    elif kind == "work-center":
        ruleset["centers"][draw(st.sampled_from(("W1", "W2")))] = draw(st.sampled_from(RATES))
    elif kind == "machine-center":
        ruleset["machines"]["MC1"][1] = draw(st.sampled_from(RATES))
    elif kind == "bom-quantity":
        line = draw(st.sampled_from(items[draw(st.sampled_from(made))]["bom"]))
        line[1] = draw(st.sampled_from(QUANTITIES))
    elif kind == "add-bom-line":
        index = draw(st.integers(0, len(made) - 1))
        below = parts + made[:index]
        items[made[index]]["bom"].append([draw(st.sampled_from(below)), "2", "0", None])
    elif kind == "remove-bom-line":
        bom = items[draw(st.sampled_from(made))]["bom"]
        if len(bom) > 1:
            bom.pop()
    elif kind == "routing":
        line = items[draw(st.sampled_from(made))]["routing"][0]
        line[0] = draw(st.sampled_from(("W1", "W2", "MC1")))
        line[2] = draw(st.integers(1, 20))
    elif kind == "setup":
        ruleset["setup_material"] = draw(st.sampled_from(("M", "M2")))
    elif kind == "move-item":
        order = ruleset["order"]
        order.insert(draw(st.integers(0, len(order) - 1)), order.pop(draw(st.integers(0, len(order) - 1))))
    elif kind == "cost-base":
        item = items[draw(st.sampled_from(parts))]
        item["base"] = None if item["base"] else "direct-unit-cost"
    elif kind == "price-date" and ruleset["prices"]:
        price = draw(st.sampled_from(ruleset["prices"]))
        price[3] = DATES[1] if price[3] == DATES[0] else DATES[0]
    elif kind == "exchange-rate":
        ruleset["usd"] = draw(st.sampled_from(EXCHANGE_RATES))
    elif kind == "box":
        items[draw(st.sampled_from(parts))]["box"] = draw(st.sampled_from(BOXES))
    elif kind == "bom-unit":
        line = draw(st.sampled_from(items[draw(st.sampled_from(made))]["bom"]))
        if items[line[0]]["purchase"]:  # only the parts have a BOX
            line[3] = None if line[3] else "BOX"
    elif kind == "bom-version":
        versions = items[draw(st.sampled_from(made))]["versions"]
        if versions:
            versions.pop()
        else:  # valid on the costing date, or not yet; the lines as the undated version's, halved
            date = draw(st.sampled_from(("2026-03-01", "2026-09-01")))
            versions.append([date, [[c, "0.5", s, unit] for c, _, s, unit in items[made[0]]["bom"]]])
    elif kind == "byproduct":
        byproducts = items[draw(st.sampled_from(made))]["byproducts"]
        if byproducts and draw(st.booleans()):
            byproducts.pop()
        else:
            byproducts.append(_byproduct(draw, parts))
    elif kind == "coproduct":
        found = [(code, line) for code in made for line in items[code]["coproducts"]]
        if found:  # another share, or the co-product moved to another producer, or no co-product any more
            producer, line = draw(st.sampled_from(found))
            how = draw(st.sampled_from(("share", "move", "remove")))
            if how == "share":
                line[2] = draw(st.sampled_from(SHARES))
            else:
                items[producer]["coproducts"].remove(line)
                if how == "move":
                    items[draw(st.sampled_from(made))]["coproducts"].append(line)
    elif kind == "charge":
        item = items[draw(st.sampled_from(made))]
        item["charge"] = not item["charge"]
    return ruleset


#: (what is replaced, by what): each makes a rendered ruleset fail to check (when it occurs in it)
BREAKS = (
    ("bom {\n    P", "bom {\n    Z"),  # unknown-item
    ("bom {\n", "bom {\n    A0 1\n"),  # an item in its own BOM, or a cycle through it
    ('vendor V1 "Vendor one"\n', ""),  # unknown-vendor
    ("from 2026-01-01", "from 2026-02-30"),  # invalid-date
    ("default material M ", "default material P "),  # condition-kind-mismatch
    ("replenishment prod-order", "replenishment prod-ordr"),  # unknown-value
    ("unit-of-measure BOX", "unit-of-measure BOX 2\n  unit-of-measure BOX"),  # duplicate-unit
    ("item P0 ", 'item P0 "Twice" { unit-cost 1.00 }\nitem P0 '),  # duplicate-code
    ("condition charge LP\n", "condition charge LP\n  condition charge LP\n"),  # duplicate-field
    ("  unit-cost 2.50\n", "  unit-cost 2.50\n  direct-unit-cost 1.00/h\n"),  # misplaced-field
)


@st.composite
def broken(draw, text: str) -> str:
    """``text`` with one or two of :data:`BREAKS` applied (the first occurrence of each)."""
    for old, new in draw(st.lists(st.sampled_from(BREAKS), min_size=1, max_size=2, unique=True)):
        text = text.replace(old, new, 1)
    return text
