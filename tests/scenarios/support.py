"""A small ruleset with every kind of scenario target, written from a table of field values,
so a test can edit it by hand (new values in the table) and compare with a scenario.  Its
second half has each feature of docs/costing.md's "Costing realism": a vendor in dollars
with two dated rates, prices per BOX, a phantom, dated BOM and routing versions, a by-product
and a co-product; two keys with the same target are lines one scenario line changes together."""

from __future__ import annotations

import datetime as dt
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
    # costing realism (docs/costing.md): a vendor in dollars, units, a phantom, versions, by- and co-products
    "usd_rate": ("exchange-rate USD", "amount", Decimal("1.0850")),
    "usd_rate_july": ("exchange-rate USD", "amount", Decimal("1.1000")),  # the same target: both lines
    "spoke_price": ("price SPOKE vendor V-2", "amount", Decimal("11.00")),
    "spoke_discount": ("discount SPOKE vendor V-2", "percentage", Decimal("3")),
    "scrap_al_cost": ("item SCRAP-AL unit-cost", "amount", Decimal("1.20")),
    "ebike_lot": ("item EBIKE lot-size", "amount", Decimal("5")),
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
setup {{ currency EUR  default material M-STD  default production P-STD  default capacity C-STD }}
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
exchange-rate USD from 2026-01-01 {usd_rate}
exchange-rate USD from 2026-07-01 {usd_rate_july}
vendor V-2 "US Fasteners" {{ currency USD }}
item SPOKE "Spoke" {{ unit PCS  unit-of-measure BOX 100  vendor V-2  cost-base direct-unit-cost }}
price    SPOKE vendor V-2 from 2026-01-01 unit-cost {spoke_price} per BOX
price    SPOKE vendor V-2 from 2026-01-01 min-qty 2 unit-cost 10.00 per BOX
discount SPOKE vendor V-2 {spoke_discount}%
item SCRAP-AL "Aluminium scrap" {{ unit-cost {scrap_al_cost} }}
item WHEELSET "Wheel set" {{
  replenishment phantom
  bom {{ BOLT 1  SPOKE 0.36 unit BOX }}
  routing {{ 50 MC-1 run 6min }}
}}
item EBIKE "E-bike" {{
  replenishment prod-order
  lot-size {ebike_lot}
  bom {{ FRAME 1  WHEELSET 2 }}
  bom from 2026-07-01 {{ FRAME 1  WHEELSET 2  BOLT 4 }}
  routing {{ 10 WC-1 setup 30min run 12min }}
  routing from 2026-07-01 {{ 10 WC-1 setup 20min run 15min }}
  byproduct SCRAP-AL 0.25
  coproduct EKIT 1 share 10%
}}
item EKIT "E-bike kit (co-product of EBIKE)" {{ replenishment prod-order }}
"""

ITEMS = ("FRAME", "BOLT", "PIPE", "FORK", "BIKE", "SPOKE", "SCRAP-AL", "EBIKE", "EKIT")
#: the dates the properties cost on: before and after the July versions and rate
DATES = (dt.date(2026, 6, 15), dt.date(2026, 7, 15))


def ruleset_text(values: dict[str, object] | None = None, extra: str = "") -> str:
    """The ruleset with ``values`` (field key -> value) instead of the ones written, then ``extra``."""
    table = {key: value for key, (_, _, value) in FIELDS.items()}
    table.update(values or {})
    return TEMPLATE.format(**{k: v if isinstance(v, str) else format(v, "f") for k, v in table.items()}) + extra
