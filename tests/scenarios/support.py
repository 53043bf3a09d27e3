"""A small ruleset with every kind of scenario target, written from a table of field values,
so a test can edit it by hand (new values in the table) and compare with a scenario."""

from __future__ import annotations

from decimal import Decimal

#: field key -> (the scenario line's target, the value's role, the value in the ruleset as written)
FIELDS: dict[str, tuple[str, str, object]] = {
    "frame_cost": ("item FRAME unit-cost", "amount", Decimal("80.00")),
    "frame_overhead": ("item FRAME overhead-rate", "amount", Decimal("1.50")),
    "frame_indirect": ("item FRAME indirect-cost", "percentage", Decimal("2")),
    "bolt_cost": ("item BOLT unit-cost", "amount", Decimal("0.20")),
    "bike_scrap": ("item BIKE scrap", "percentage", Decimal("2")),
    "bike_lot": ("item BIKE lot-size", "amount", Decimal("10")),
    "bike_standard": ("item BIKE standard-cost", "amount", Decimal("120")),
    "pipe_price": ("price PIPE vendor V-1", "amount", Decimal("3.10")),
    "pipe_discount": ("discount PIPE vendor V-1", "percentage", Decimal("5")),
    "wc_rate": ("workcenter WC-1 direct-unit-cost", "rate", Decimal("42.00")),
    "wc_indirect": ("workcenter WC-1 indirect-cost", "percentage", Decimal("0")),
    "mc_rate": ("machinecenter MC-1 direct-unit-cost", "rate", Decimal("55.00")),
    "freight": ("condition M-STD line 1 amount", "amount", Decimal("0.40")),
    "tooling": ("condition P-STD line 1 percent", "percentage", Decimal("4")),
    "energy": ("condition C-STD line 1 amount", "amount", Decimal("4.50")),
    "profit": ("condition LP line 2 formula", "formula", "20 % A"),
}

TEMPLATE = """
chart {{
  1110 element "Direct material"        material
  1120 element "Material overhead"      material-overhead
  2110 element "Direct labour"          capacity
  2120 element "Labour overhead"        capacity-overhead
  3100 element "Manufacturing overhead" mfg-overhead
  5000 total   "Cost of goods manufactured" 1110..3100
  6300 element "Profit"                 gain-loss
}}
condition material   M-STD "Parts"    {{ direct 1110 overhead 1120 line 1120 "Freight" amount {freight} }}
condition material   M-BARE "Bare"    {{ direct 1110 overhead 1120 }}
condition production P-STD "Assembly" {{ direct 1110 overhead 3100 line 3100 "Tooling" percent {tooling} }}
condition capacity   C-STD "Bench"    {{ direct 2110 overhead 2120 line 2120 "Energy" amount {energy} }}
condition capacity   C-BARE "Bare"    {{ direct 2110 overhead 2120 }}
condition charge LP "List price" {{
  line      "Cost"   row A element 5000
  line 6300 "Profit" row B formula "{profit}"
  line      "List price" formula "A + B" list-price
}}
setup {{ default material M-STD  default production P-STD  default capacity C-STD }}
vendor V-1 "Steel Ltd."
workcenter WC-1 "Bench" {{ direct-unit-cost {wc_rate}/h indirect-cost {wc_indirect}% condition C-BARE }}
machinecenter MC-1 "Press" in WC-1 {{ direct-unit-cost {mc_rate}/h condition C-STD }}
item FRAME "Steel frame" {{
  unit-cost {frame_cost} overhead-rate {frame_overhead} indirect-cost {frame_indirect}% condition material M-BARE
}}
item BOLT  "Bolt" {{ unit-cost {bolt_cost} }}
item PIPE  "Pipe" {{ vendor V-1 cost-base direct-unit-cost }}
price    PIPE vendor V-1 from 2026-01-01 unit-cost {pipe_price}
price    PIPE vendor V-1 min-qty 100     unit-cost {pipe_price}
discount PIPE vendor V-1 {pipe_discount}%
item FORK  "Fork" {{
  replenishment prod-order
  bom {{ PIPE 2 }}
  routing {{ 10 MC-1 run 5min }}
}}
item BIKE  "Bike" {{
  replenishment prod-order
  condition charge LP
  scrap {bike_scrap}%
  lot-size {bike_lot}
  standard-cost {bike_standard}
  bom {{ FRAME 1  BOLT 12  FORK 1 }}
  routing {{ 10 WC-1 setup 30min run 45min  20 MC-1 run 3min }}
}}
"""

ITEMS = ("FRAME", "BOLT", "PIPE", "FORK", "BIKE")


def ruleset_text(values: dict[str, object] | None = None, extra: str = "") -> str:
    """The ruleset with ``values`` (field key -> value) instead of the ones written, then ``extra``."""
    table = {key: value for key, (_, _, value) in FIELDS.items()}
    table.update(values or {})
    return TEMPLATE.format(**{k: v if isinstance(v, str) else format(v, "f") for k, v in table.items()}) + extra
