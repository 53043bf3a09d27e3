"""CSV master data reading speed: costsheet's reader against the bare :mod:`csv` module.

Generates a master-data folder (items.csv, bom.csv, routing.csv, prices.csv
and ledgers.csv; about ``--rows`` rows in all) and the same data as an ERP
exports it (semicolons, ``1.234,50``, ``31.01.2026``, headers and words of its
own) with a mapping file (csv.rules), then times, interleaved in the same run
and best of ``--repeat``:

- ``csv.reader`` alone over the same files (the baseline: splitting cells,
  nothing else);
- ``costsheet.csvdata.read_master_data`` (cells located, every value checked
  by the rules of a ruleset, the partial model built);
- ``read_master_data`` of the exported folder, through its mapping file.

and prints rows per second of CPU time and the ratios.  Run:

    PYTHONPATH=src python benchmarks/bench_csv.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import tempfile
import time
from pathlib import Path


def generate(folder: Path, rows: int) -> int:
    """Write the files; return the number of data rows written."""
    items = max(1, rows // 10)
    files = {
        "items.csv": ["code,description,replenishment,unit_cost,indirect_cost,lot_size,vendor,costing_method"],
        "bom.csv": ["item,component,quantity,scrap"],
        "routing.csv": ["item,operation,resource,setup,run"],
        "prices.csv": ["item,vendor,unit_cost,from,to,min_qty"],
        "ledgers.csv": ["item,date,type,quantity,cost,location,variant,applies_to"],
    }
    for n in range(items):
        files["items.csv"].append(f'P-{n:06d},"Part {n}, steel",purchase,12.50,5%,1,V-1,fifo')
        files["items.csv"].append(f"A-{n:06d},Assembly {n},prod-order,,10%,10,,average")
        files["bom.csv"].append(f"A-{n:06d},P-{n:06d},2.5,2%")
        files["routing.csv"].append(f"A-{n:06d},10,WC,30min,1.5")
        files["prices.csv"].append(f"P-{n:06d},V-1,11.90,2026-01-01,2026-12-31,0")
        files["ledgers.csv"].append(f"P-{n:06d},2026-01-02,purchase,10,125.00,BLUE,,")
        files["ledgers.csv"].append(f"P-{n:06d},2026-02-03,sale,-4,,BLUE,,")
        files["ledgers.csv"].append(f"P-{n:06d},2026-02-05,charge,,3.00,,,1")
        files["ledgers.csv"].append(f"P-{n:06d},2026-03-01,revaluation,,13.00,,,1")
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(len(lines) - 1 for lines in files.values())


#: the exported folder's mapping file: every column under another header, every number and date as a German
#: Business Central client writes them
RULES = """\
separator ;
decimal-comma yes
thousands-separator .
date-format dd.mm.yyyy
items.csv: code=No., description=Description, replenishment="Replenishment System", unit_cost="Unit Cost",
  indirect_cost="Indirect Cost %", lot_size="Lot Size", vendor="Vendor No.", costing_method="Costing Method"
items.csv replenishment: Purchase=purchase, "Prod. Order"=prod-order
items.csv costing_method: FIFO=fifo, Average=average
bom.csv: item="Production BOM No.", component=No., quantity="Quantity per", scrap="Scrap %"
routing.csv: item="Routing No.", operation="Operation No.", resource=No., setup="Setup Time", run="Run Time"
prices.csv: item="Item No.", vendor="Vendor No.", unit_cost="Direct Unit Cost", from="Starting Date",
  to="Ending Date", min_qty="Minimum Quantity"
ledgers.csv: item="Item No.", date="Posting Date", type="Entry Type", quantity=Quantity, cost="Cost Amount",
  location="Location Code", variant="Variant Code", applies_to="Applies-to Entry"
ledgers.csv type: Purchase=purchase, Sale=sale
"""
_WORDS = {"purchase": "Purchase", "prod-order": "Prod. Order", "fifo": "FIFO", "average": "Average", "sale": "Sale"}


def exported(folder: Path, into: Path) -> None:
    """The files of ``folder`` as the export that RULES maps: headers, words, numbers and dates of its own."""
    import re

    headers = {}
    for line in RULES.replace("\n  ", " ").splitlines():
        name, colon, pairs = line.partition(": ")
        if colon and " " not in name and name.endswith(".csv"):
            headers[name] = {key: value.strip('"') for key, value in re.findall(r'(\w+)=("[^"]*"|[^,]*)', pairs)}
    into.mkdir(exist_ok=True)
    (into / "csv.rules").write_text(RULES, encoding="utf-8")
    for path in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        names = headers[path.name]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([names[column] for column in rows[0]])
        for row in rows[1:]:
            writer.writerow([_exported_cell(cell) for cell in row])
        (into / path.name).write_text(out.getvalue(), encoding="utf-8")


def _exported_cell(cell: str) -> str:
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        year, month, day = cell.split("-")
        return f"{day}.{month}.{year}"
    if re.fullmatch(r"-?\d+(\.\d+)?%?", cell):
        whole, _, fraction = cell.rstrip("%").partition(".")
        sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        grouped = f"{int(whole):,}".replace(",", ".")
        return sign + grouped + ("," + fraction if fraction else "") + ("%" if cell.endswith("%") else "")
    return _WORDS.get(cell, cell)


def baseline(folder: Path) -> int:
    count = 0
    for path in sorted(folder.glob("*.csv")):
        count += sum(1 for _ in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return count


def costsheet_reader(folder: Path) -> int:
    from costsheet.csvdata import read_master_data

    data, diagnostics = read_master_data(folder)
    assert not diagnostics, diagnostics[:3]
    return len(data.model.items)


def best(function, folder: Path) -> float:
    """The CPU time of one run (``time.process_time``: on a shared machine, the time other processes
    take the cores from this one does not count)."""
    gc.collect()
    start = time.process_time()
    function(folder)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder, export = Path(directory) / "canonical", Path(directory) / "export"
        folder.mkdir()
        rows = generate(folder, args.rows)
        exported(folder, export)
        times: dict[str, list[float]] = {"csv.reader": [], "read_master_data": [], "through csv.rules": []}
        for _ in range(args.repeat):  # interleaved: all see the same machine state
            times["csv.reader"].append(best(baseline, folder))
            times["read_master_data"].append(best(costsheet_reader, folder))
            times["through csv.rules"].append(best(costsheet_reader, export))
        fastest = {name: min(values) for name, values in times.items()}
        for name, seconds in fastest.items():
            print(f"{name:18s} {seconds * 1000:9.1f} ms  {rows / seconds:12,.0f} rows/s")
        print(
            f"{rows:,} rows; read_master_data takes {fastest['read_master_data'] / fastest['csv.reader']:.1f}x "
            "as long as csv.reader alone; through the mapping file "
            f"{fastest['through csv.rules'] / fastest['read_master_data']:.2f}x as long as the canonical files"
        )


if __name__ == "__main__":
    main()
