"""A small two-file ruleset built from the examples of docs/language.md.

``main.cost`` includes ``ledger.cost``; the ledger is the seed's costing-methods
example (003_f65040538edfa81c.txt: three purchases at 10, 20, 30 and three
sales), whose FIFO values are published: the sales cost 10, 20 and 30.
"""

from __future__ import annotations

MAIN = """\
include "ledger.cost"

setup {
  cost-base           unit-cost
  default material    M-BASE
  default production  P-STD
  default capacity    C-STD
  default subcontract C-SUB
}

chart {
  1100 begin-total "Material costs"
  1110 element     "Direct material"          material
  1120 element     "Material overhead"        material-overhead
  1199 end-total   "Total material costs"
  2100 begin-total "Capacity costs"
  2110 element     "Direct labour"            capacity
  2120 element     "Labour overhead"          capacity-overhead
  2130 element     "Subcontracting"           subcontracted
  2140 element     "Subcontracting overhead"  subcontracted-overhead
  2199 end-total   "Total capacity costs"
  3100 element     "Manufacturing overhead"   mfg-overhead
  5000 total       "Cost of goods manufactured"  1100..1199 | 2100..2199 | 3100
  6100 element     "Sales overhead"           sales-overhead
  6300 element     "Profit"                   gain-loss
}

rounding CENTS nearest 0.01

condition material   M-BASE "Plain material"   { direct 1110 overhead 1120 }
condition capacity   C-SUB  "Subcontracting"   { direct 2130 overhead 2140 }

condition production P-STD "Bike assembly overhead" {
  direct   1110
  overhead 3100
  line 3100 "Tooling"             percent 4
  line 3100 "Quality checks"      amount 0.75
}

condition capacity C-STD "Machine hours" {
  direct   2110
  overhead 2120
  line 2120 "Energy"              amount 4.50
  line 2120 "Setup crew"          amount 12.00 setup-only
}

condition charge LP-RETAIL "Retail list price" {
  line      "Cost of goods manufactured" row A element 5000
  line 6100 "Sales overhead"             row B formula "10 % A"
  line      "Cost of sales"              row C formula "A + B"
  line 6300 "Profit"                     row D formula "15 % C"   round
  line      "List price"                 formula "C + D"          list-price round CENTS
}

workcenter WC-100 "Assembly" { direct-unit-cost 42.00/h }

item ICO-0002 "Wheel" { replenishment purchase unit-cost 25.00 }
item ICO-0003 "Frame" { replenishment purchase unit-cost 140.00 indirect-cost 5% }

item ICO-0001 "Racing bike" {
  replenishment  prod-order
  lot-size       10
  rounding       CENTS
  condition charge LP-RETAIL
  bom {
    ICO-0002  2
    ICO-0003  1
  }
  routing {
    10 WC-100 setup 30min run 12min
  }
}

item ITEM-A "Ledger demo item" { costing-method fifo }
"""

LEDGER = """\
ledger ITEM-A {
  2020-01-01 purchase +1 cost 10.00
  2020-01-01 purchase +1 cost 20.00
  2020-01-01 purchase +1 cost 30.00
  2020-02-01 sale     -1
  2020-03-01 sale     -1
  2020-04-01 sale     -1
}
"""

FILES = {"main.cost": MAIN, "ledger.cost": LEDGER}

#: the setup and chart of MAIN, without its ledger include and items: a base for generated rulesets
BASE = MAIN.replace('include "ledger.cost"\n', "").split("workcenter")[0]


def many_items(count: int) -> str:
    """A valid ruleset of ``count`` purchased items: its check takes about 0.25 ms per item (slow on purpose)."""
    return BASE + "".join(
        f'item X{i:06d} "Part {i}" {{ replenishment purchase unit-cost 1.00 }}\n' for i in range(count)
    )


def diamond(levels: int) -> str:
    """Items A00/B00 … each using both items of the next level: 2**levels paths through a small ruleset.

    At 20 levels the text has about 5.5 KB; a BOM returned as an expanded
    tree would have millions of lines.
    """
    items = [
        f'item {side}{level:02d} "L{level}" {{\n  replenishment prod-order\n'
        f"  bom {{\n    A{level + 1:02d} 1\n    B{level + 1:02d} 1\n  }}\n}}\n"
        for level in range(levels)
        for side in "AB"
    ]
    leaves = [f'item {side}{levels:02d} "Leaf" {{ replenishment purchase unit-cost 1.00 }}\n' for side in "AB"]
    return BASE + "".join(items + leaves)
