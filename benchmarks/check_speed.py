"""How long the checker takes compared with parsing the same ruleset, measured in one run.

Generates a ruleset of N purchased and produced items (BOMs, routings, price
lines, conditions, a charge condition with formulas) and prints the time of
parse, model build and checks, and the ratio check / parse.

    python benchmarks/check_speed.py [ITEMS]
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from costsheet.check import run_checks
from costsheet.model_builder import build_model
from costsheet.syntax.parser import parse

HEAD = """
setup { default material M default production P default capacity C default subcontract C }
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
condition material M "m" {
  direct 1110 overhead 1120 line 1120 "Freight" row F amount 0.40 line 1120 "Ins" row F percent 2
}
condition production P "p" { direct 1110 overhead 3100 line 3100 "Tooling" percent 4 }
condition capacity C "c" { direct 2110 overhead 2120 line 2120 "Energy" amount 4.50 }
condition charge LP "lp" {
  line "Cost" row A element 5000
  line 6100 "Sales" row B formula "10 % A"
  line "List price" formula "A + B" list-price round CENTS
}
vendor V "Vendor"
workcenter W "Work" { direct-unit-cost 42.00/h }
"""


def item_text(i: int) -> str:
    """Item ``i``'s declarations: every fourth an assembly of the three parts after it, the rest parts."""
    if i % 4:
        return (
            f'item P{i} "Part {i}" {{\n  vendor V\n  unit-cost 1.{i % 100:02d}\n  lot-size 10\n}}\n'
            f"price P{i} vendor V from 2026-01-01 unit-cost 1.00\n"
        )
    return (
        f'item A{i} "Assembly {i}" {{\n  replenishment prod-order\n  condition charge LP\n'
        f"  bom {{\n    P{i + 1} 2\n    P{i + 2} 1 scrap 5%\n    P{i + 3} 4\n  }}\n"
        f"  routing {{\n    10 W setup 30min run 12min\n  }}\n}}\n"
    )


def generate(items: int) -> str:
    return HEAD + "".join(item_text(i) for i in range(items))


def timed(function, *args):
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    text = generate(items)
    lines = text.count("\n")
    (ruleset, diagnostics), parse_s = timed(parse, text, "bench.cost")
    assert not diagnostics, diagnostics[:3]
    model, build_s = timed(build_model, (ruleset,))
    found, check_s = timed(run_checks, (ruleset,), model)
    assert not [d for d in found if d.is_error], found[:3]
    print(f"{lines} lines, {items} items")
    print(f"parse  {parse_s:7.3f} s  ({lines / parse_s:,.0f} lines/s)")
    print(f"model  {build_s:7.3f} s")
    print(f"check  {check_s:7.3f} s  ({lines / check_s:,.0f} lines/s)")
    print(f"check / parse = {check_s / parse_s:.2f}")


if __name__ == "__main__":
    main()
