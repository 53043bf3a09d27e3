"""CSV master data with by-products and co-products: joint-products.csv reads into the model the
same lines in a ruleset build, costs identically, is checked cell by cell with the ruleset's codes
and reads through the mapping file (docs/master-data.md, "By-products and co-products")."""

from __future__ import annotations

import datetime as dt

import costsheet
from costsheet.numbers import D
from costsheet.ruleset import analyze

from .test_csv_realism import FILES, RULESET, SETUP, WORKCENTER, _both, _codes

JOINT_RULESET = RULESET.replace(
    "  routing from 2026-01-01 { 10 WC1 setup 30min run 12min }\n}",
    "  routing from 2026-01-01 { 10 WC1 setup 30min run 12min }\n"
    "  byproduct SCRAP-AL 0.25\n  byproduct CHIPS 2 value 0.05\n  coproduct BIKE-KIT 1 share 10%\n}",
) + (
    'item SCRAP-AL "Aluminium scrap" { unit-cost 1.20 }\n'
    'item CHIPS "Chips" { unit-cost 9.00 }\n'
    'item BIKE-KIT "Spare-parts kit" { replenishment prod-order }\n'
)
JOINT_FILES = {
    **FILES,
    "items.csv": FILES["items.csv"]
    + "SCRAP-AL,Aluminium scrap,,,,1.20,\nCHIPS,Chips,,,,9.00,\nBIKE-KIT,Spare-parts kit,prod-order,,,,\n",
    "joint-products.csv": "item,kind,product,quantity,value,share\n"
    "BIKE,byproduct,SCRAP-AL,0.25,,\nBIKE,byproduct,CHIPS,2,0.05,\nBIKE,coproduct,BIKE-KIT,1,,10%\n",
}


def test_joint_products_from_csv_are_the_ruleset_lines_and_cost_the_same(tmp_path):
    """By hand on 2026-06-01: the gross 85.5932 of the section-14 bike, less 0.25 x 1.20 = 0.30 (at
    SCRAP-AL's cost) and 2 x 0.05 = 0.10 (at the value, not CHIPS's 9.00): 85.1932; BIKE-KIT takes
    10%, 8.51932, and BIKE keeps 76.67388."""
    assert JOINT_RULESET != RULESET
    from_csv, from_dsl = _both(tmp_path, JOINT_FILES, JOINT_RULESET)
    assert from_csv.model.items == from_dsl.model.items
    bike = from_csv.model.items["BIKE"]
    assert [(b.item, b.quantity, b.value) for b in bike.byproducts] == [
        ("SCRAP-AL", D("0.25"), None),
        ("CHIPS", D("2"), D("0.05")),
    ]
    assert [(c.item, c.quantity, c.share) for c in bike.coproducts] == [("BIKE-KIT", D("1"), D("10"))]
    for item in ("BIKE", "BIKE-KIT"):
        for date in (dt.date(2026, 6, 1), dt.date(2026, 7, 15)):
            assert from_csv.calculate(item, date=date).to_json() == from_dsl.calculate(item, date=date).to_json()
    assert from_csv.calculate("BIKE", date=dt.date(2026, 6, 1)).unit_cost == D("76.67388")
    assert from_csv.calculate("BIKE-KIT", date=dt.date(2026, 6, 1)).unit_cost == D("8.51932")


def _rows(*rows: str) -> dict[str, str]:
    return {**JOINT_FILES, "joint-products.csv": "item,kind,product,quantity,value,share\n" + "".join(rows)}


def test_each_cell_is_checked_with_the_rulesets_codes_at_the_cell(tmp_path):
    codes = _codes(
        tmp_path,
        _rows(
            "BIKE,byprodukt,SCRAP-AL,0.25,,\n",  # 2: kind
            "BIKE,byproduct,SCRAP-AL,0,,\n",  # 3: quantity above 0
            "BIKE,byproduct,SCRAP-AL,1,-1,\n",  # 4: value at least 0
            "BIKE,coproduct,BIKE-KIT,1,,\n",  # 5: no share
            "BIKE,coproduct,BIKE-KIT,1,,120%\n",  # 6: share at most 100%
            "BIKE,byproduct,SCRAP-AL,1,,5\n",  # 7: a by-product's share
            "BIKE,coproduct,BIKE-KIT,1,2.00,5\n",  # 8: a co-product's value
            "NOPE,byproduct,SCRAP-AL,1,,\n",  # 9: an item not in items.csv
            "BIKE,byproduct,GHOST,1,,\n",  # 10: a product that is no item
            "BIKE,,SCRAP-AL,1,,\n",  # 11: kind empty
            "BIKE,byproduct,SCRAP-AL,1x,,\n",  # 12: not a number
        ),
    )
    assert {
        ("unknown-value", "joint-products.csv", 2, 6),
        ("out-of-range", "joint-products.csv", 3, 25),
        ("out-of-range", "joint-products.csv", 4, 27),
        ("missing-field", "joint-products.csv", 5, 28),
        ("out-of-range", "joint-products.csv", 6, 28),
        ("coproduct-shares", "joint-products.csv", 6, 28),  # 120% alone, as in a ruleset
        ("misplaced-field", "joint-products.csv", 7, 28),
        ("misplaced-field", "joint-products.csv", 8, 27),
        ("coproduct-two-producers", "joint-products.csv", 8, 16),  # BIKE-KIT twice, as in a ruleset
        ("unknown-item", "joint-products.csv", 9, 1),
        ("unknown-item", "joint-products.csv", 10, 16),
        ("csv-missing-value", "joint-products.csv", 11, 6),
        ("csv-bad-number", "joint-products.csv", 12, 25),
    } <= codes


def test_shares_over_100_percent_are_reported_at_the_share_that_crosses_it(tmp_path):
    files = _rows("BIKE,coproduct,BIKE-KIT,1,,60\n", "BIKE,coproduct,CHIPS-KIT,1,,50%\n")
    files["items.csv"] += "CHIPS-KIT,Chips kit,prod-order,,,,\n"
    assert ("coproduct-shares", "joint-products.csv", 3, 29) in _codes(tmp_path, files)


def test_what_the_product_may_be_is_checked_against_the_ruleset_too(tmp_path):
    """Itself, a phantom, a purchased co-product, and a co-product a ruleset item produces as well."""
    files = _rows(
        "BIKE,byproduct,BIKE,1,,\n",  # 2: itself
        "BIKE,byproduct,WHEELSET,1,,\n",  # 3: a phantom
        "BIKE,coproduct,RIM,1,,5\n",  # 4: purchased
        "BIKE,coproduct,KIT2,1,,5\n",  # 5: KIT2 is a co-product of the ruleset's OTHER
        "RIM,byproduct,SCRAP-AL,1,,\n",  # 6: a purchased producer
    )
    ruleset = 'item OTHER "Other" { replenishment prod-order coproduct KIT2 1 share 5% }\n'
    ruleset += 'item KIT2 "Kit 2" { replenishment prod-order }\n'
    codes = _codes(tmp_path, files, ruleset)
    assert {
        ("joint-product-cycle", "joint-products.csv", 2, 16),
        ("phantom-joint-product", "joint-products.csv", 3, 16),
        ("purchased-joint-product", "joint-products.csv", 4, 16),
        ("coproduct-two-producers", "joint-products.csv", 5, 16),
        ("purchased-joint-product", "joint-products.csv", 6, 15),
    } <= codes


def test_two_csv_producers_of_one_co_product_name_the_first_row(tmp_path):
    files = _rows("BIKE,coproduct,BIKE-KIT,1,,10\n")
    files["items.csv"] += "TRIKE,Trike,prod-order,,,,\n"
    files["joint-products.csv"] += "TRIKE,coproduct,BIKE-KIT,1,,10\n"
    _, diagnostics, _ = analyze(SETUP + WORKCENTER, file="setup.cost", master_data=str(_write(tmp_path, files)))
    (two,) = [d for d in diagnostics if d.code == "coproduct-two-producers"]
    assert (two.span.line, two.span.column) == (3, 17)
    assert "co-product of BIKE (at " in two.message and "joint-products.csv:2:16) and of TRIKE" in two.message


def test_an_export_reads_through_the_mapping_file_with_its_words(tmp_path):
    """An export of Finance and Operations' formula co-products and by-products, its headers and its
    words mapped, reads as joint-products.csv."""
    files = {name: text for name, text in JOINT_FILES.items() if name != "joint-products.csv"}
    files["csv.rules"] = (
        'joint-products.csv: file="Formula co-products.csv", item="Formula item", product="Item number",\n'
        '  kind="Product type", quantity=Quantity, value="By-product cost", share="Cost allocation"\n'
        "joint-products.csv kind: Co-product=coproduct, By-product=byproduct\n"
    )
    files["Formula co-products.csv"] = (
        "Formula item,Item number,Product type,Quantity,By-product cost,Cost allocation\n"
        "BIKE,SCRAP-AL,By-product,0.25,,\nBIKE,CHIPS,by-product,2,0.05,\nBIKE,BIKE-KIT,Co-product,1,,10\n"
    )
    mapped, canonical = tmp_path / "mapped", tmp_path / "canonical"
    from_map = costsheet.load(SETUP + WORKCENTER, file="setup.cost", master_data=str(_write(mapped, files)))
    from_csv = costsheet.load(SETUP + WORKCENTER, file="setup.cost", master_data=str(_write(canonical, JOINT_FILES)))
    assert from_map.diagnostics == () and from_map.model.items == from_csv.model.items


def _write(folder, files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
