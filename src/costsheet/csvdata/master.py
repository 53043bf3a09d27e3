"""CSV master data: items, their conditions, BOM lines, routing lines, work and machine
centers, vendors, prices and discounts.

Real item masters arrive as ERP exports; a ruleset may then hold only setup,
chart and conditions, and the master data comes from CSV files next to it.
:func:`read_master_data` reads them into a partial :class:`~costsheet.model.Model`
(items, work and machine centers, vendors, prices, discounts, ledgers) that the
loader merges into the ruleset's model.  The files (read by
:class:`~costsheet.csvdata.table.Sheet`: UTF-8, comma separated, a header row;
column order is free, empty cells take the language's defaults):

``items.csv``           code, description, replenishment, unit, vendor, unit_cost,
                        last_direct_cost, standard_cost, indirect_cost, overhead_rate,
                        lot_size, scrap, rounding, cost_base, costing_method,
                        material_condition, production_condition, charge_condition
``item-conditions.csv`` item, kind (material, production, charge), condition
``item-units.csv``      item, unit, factor  (:mod:`costsheet.csvdata.realism`)
``bom.csv``             item, component, quantity, scrap, unit, version, from
``routing.csv``         item, operation, resource, setup, run, setup_unit, run_unit, version, from
                        (times: ``30min``, ``1.5h``, ``90s``, ``1d``, or a plain number
                        in the row's unit, minutes by default)
``bom-versions.csv``    item, version, from  (and ``routing-versions.csv``: the dates of the
                        version codes, :mod:`costsheet.csvdata.bomversions`)
``joint-products.csv``  item, kind (byproduct, coproduct), product, quantity, value, share
                        (:mod:`costsheet.csvdata.joint`)
``workcenters.csv``     code, description, direct_unit_cost, indirect_cost, overhead_rate,
                        time_unit, subcontractor, condition  (rates: ``42.00/h``, or a
                        plain number per the row's time_unit, hours by default)
``machinecenters.csv``  code, work_center, description, direct_unit_cost, indirect_cost,
                        overhead_rate, time_unit, condition
``vendors.csv``         code, name, currency
``exchange-rates.csv``  currency, from, rate, amount  (:mod:`costsheet.csvdata.realism`)
``prices.csv``          item, vendor, unit_cost, from, to, min_qty, per
``discounts.csv``       item, vendor, percent, from, to, min_qty, per
``standard-costs.csv``  item, from, standard_cost and the shares by kind
``sales-prices.csv``    item, price, from, unit_price, sales_type, sales_code
                        (both: :mod:`costsheet.csvdata.versions`)
``ledgers.csv``         item ledger entries, charges and revaluations
                        (:mod:`costsheet.csvdata.ledgers`)

A mapping file in the folder (``csv.rules``, :mod:`costsheet.csvdata.mapping`)
says how an ERP export differs: its file names, headers, words, separator,
number and date format and encoding.  Every value obeys the rules of the field
it fills in a ``.cost`` file (:mod:`costsheet.check.values`), with the same
diagnostic codes, at the file, line and column of its cell.  The codes the
cells name (vendors, conditions, components, resources, work centers …) are
returned as references that the checker resolves against the merged model,
like the ruleset's own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..check import Reference, declared_twice, values
from ..diagnostics import Diagnostic, Span
from ..gcpause import paused_gc
from ..inputs import Input
from ..model import (
    BomLine,
    BomVersion,
    ByProduct,
    CoProduct,
    DiscountLine,
    Item,
    Model,
    PriceLine,
    RoutingLine,
    RoutingVersion,
    Vendor,
    frozen_map,
)
from ..numbers import ZERO
from ..syntax import nodes as n
from .bomversions import BOM_VERSIONS, ROUTING_VERSIONS, VERSION_COLUMNS, VERSION_FILES, Versions, read_versions
from .centers import CENTER_FILES, read_centers
from .joint import JOINT_FILES, JOINT_PRODUCTS, read_joint_products
from .ledgers import COLUMNS as LEDGER_COLUMNS
from .mapping import MAPPING_FILE, FolderMapping, read_mapping
from .realism import EXCHANGE_RATES, ITEM_UNITS, REALISM_FILES, read_exchange_rates, read_item_units
from .table import Row, Sheet
from .versions import (
    SALES_PRICE_COLUMNS,
    SALES_PRICES,
    STANDARD_COST_COLUMNS,
    STANDARD_COSTS,
    read_price_records,
    read_standard_costs,
)

__all__ = ["FILES", "LEDGERS", "COLUMNS", "MasterData", "read_master_data", "load_master_data"]

#: the ledger file of a master-data folder (read by :mod:`costsheet.csvdata.ledgers`)
LEDGERS = "ledgers.csv"

#: file name -> (required columns, optional columns)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "items.csv": (
        ("code",),
        (
            "description",
            "replenishment",
            "unit",
            "vendor",
            "unit_cost",
            "last_direct_cost",
            "standard_cost",
            "indirect_cost",
            "overhead_rate",
            "lot_size",
            "scrap",
            "rounding",
            "cost_base",
            "costing_method",
            "material_condition",
            "production_condition",
            "charge_condition",
        ),
    ),
    "item-conditions.csv": (("item", "kind", "condition"), ()),
    ITEM_UNITS: REALISM_FILES[ITEM_UNITS],
    "bom.csv": (("item", "component", "quantity"), ("scrap", "unit", *VERSION_COLUMNS)),
    "routing.csv": (
        ("item", "operation", "resource"),
        ("setup", "run", "setup_unit", "run_unit", *VERSION_COLUMNS),
    ),
    **VERSION_FILES,
    **JOINT_FILES,
    **CENTER_FILES,
    "vendors.csv": (("code",), ("name", "currency")),
    EXCHANGE_RATES: REALISM_FILES[EXCHANGE_RATES],
    "prices.csv": (("item", "vendor", "unit_cost"), ("from", "to", "min_qty", "per")),
    "discounts.csv": (("item", "vendor", "percent"), ("from", "to", "min_qty", "per")),
    STANDARD_COSTS: STANDARD_COST_COLUMNS,
    SALES_PRICES: SALES_PRICE_COLUMNS,
}
#: every file's columns, ledgers.csv's too: what a mapping file may map
_COLUMNS: Mapping[str, tuple[str, ...]] = frozen_map(
    {**{name: (*required, *optional) for name, (required, optional) in FILES.items()}, LEDGERS: LEDGER_COLUMNS}
)
COLUMNS = _COLUMNS

#: items.csv columns -> the item field of a .cost file they fill
_ITEM_FIELDS = {field.replace("-", "_"): field for field in values.ITEM}
_CONDITIONS = ("material", "production", "charge")
#: item fields whose code names something: what it names
_NAMES = {"vendor": "vendor", "rounding": "rounding method"}


@attrs.frozen
class MasterData:
    """What CSV files hold: a partial model (its records located at CSV cells), the codes its
    cells name (to resolve against the merged model), the files read (the mapping files too)
    and their texts."""

    model: Model = Model()
    references: tuple[Reference, ...] = ()
    inputs: tuple[Input, ...] = ()
    sources: Mapping[str, str] = frozen_map()


class _Folders:
    """The mapping file of each folder files are read from, each read once."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        self.found: dict[str, FolderMapping] = {}

    def of(self, folder: Path) -> FolderMapping:
        key = os.path.realpath(folder)
        if key not in self.found:
            self.found[key] = read_mapping(folder, _COLUMNS, self.diagnostics)
        return self.found[key]

    def read(self) -> list[FolderMapping]:
        return [mapping for mapping in self.found.values() if mapping.path is not None]


def _folder(path: Path, mapping: FolderMapping, diagnostics: list[Diagnostic]) -> list[tuple[Path, str]]:
    """The files of a master-data folder with the kind each is read as; any other ``*.csv`` in it is
    ``csv-unknown-file``, and a mapping file's line for a file the folder lacks ``mapping-unused``."""
    names = mapping.names()
    try:
        others = sorted(path.iterdir())
    except OSError as error:
        diagnostics.append(
            Diagnostic.error(
                "csv-unreadable",
                f"cannot read the folder {path}: {error.strerror or error}",
                Span.point(str(path), 1, 1),
                "check the folder's permissions",
            )
        )
        return []
    found = [(path / name, kind) for name, kind in names.items() if (path / name).is_file()]
    diagnostics.extend(
        _unknown_file(other, mapping) for other in others if other.suffix.lower() == ".csv" and other.name not in names
    )
    present = {kind for _, kind in found}
    for kind, section in mapping.sections.items():
        if kind not in present and section.span is not None:
            diagnostics.append(
                Diagnostic.warning(
                    "mapping-unused",
                    f"{MAPPING_FILE} has lines for {kind}, but {path} has no file {section.name}, so they are not used",
                    section.span,
                    f"export {section.name} into {path} too, or remove the lines for {kind}",
                )
            )
    return sorted(found, key=lambda found_file: _ORDER[found_file[1]])


def _unknown_file(path: Path, mapping: FolderMapping) -> Diagnostic:
    known = list(mapping.names())
    close = difflib.get_close_matches(path.name.lower(), known, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]}? " if close else ""
    return Diagnostic.error(
        "csv-unknown-file",
        f"{path.name} is not a master data file, so it is not read",
        Span.point(str(path), 1, 1),
        f"{guess}master data files are named {', '.join(known)} (or name an export's own file "
        f'in {MAPPING_FILE} beside it: items.csv: file="{path.name}")',
    )


_ORDER = {kind: i for i, kind in enumerate(_COLUMNS)}


def read_master_data(
    source: str | Path | Iterable[str | Path] | None = None, ledger_csv: Iterable[str | Path] = ()
) -> tuple[MasterData, tuple[Diagnostic, ...]]:
    """Read CSV master data from folders (the files of :data:`FILES` and ``ledgers.csv`` in
    them) or files, and ledger CSV files of any name (``ledger_csv``).

    Each file is read as the mapping file of its folder says (``csv.rules``, when there is
    one).  Returns the :class:`MasterData` and every diagnostic.  A ``*.csv`` file of
    another name in a folder, or a named file of another name, is an error
    (``csv-unknown-file``); a missing file is fine.  Several files of one name
    (from several folders) are read in turn; an item, center, vendor or ledger given
    twice (in one file or in two) is ``duplicate-code``.
    """
    with paused_gc():  # a third of the time of a large folder; reading builds no reference cycles
        return _read(source, ledger_csv)


def _read(source, ledger_csv) -> tuple[MasterData, tuple[Diagnostic, ...]]:
    from .ledgers import read_ledger_rows

    diagnostics: list[Diagnostic] = []
    folders = _Folders(diagnostics)
    sheets: dict[str, list[Sheet]] = {name: [] for name in _COLUMNS}  # several of a name: read in turn
    seen: set[str] = set()

    def add(file: Path, kind: str, mapping: FolderMapping) -> None:
        real = os.path.realpath(file)
        if real not in seen:  # a file named twice (a folder and a file in it) is read once
            seen.add(real)
            sheet = Sheet.open(file, "ledgers" if kind == LEDGERS else "master-data", diagnostics, mapping.file(kind))
            if sheet is not None:
                sheets[kind].append(sheet)

    if isinstance(source, (str, Path)):
        source = [source]
    for entry in source or ():
        path = Path(entry)
        if path.is_dir():
            mapping = folders.of(path)
            for file, kind in _folder(path, mapping, diagnostics):
                add(file, kind, mapping)
            continue
        mapping = folders.of(path.parent)
        if path.name == MAPPING_FILE:
            continue  # read as its folder's mapping
        named = mapping.names().get(path.name)
        if named is None:
            diagnostics.append(_unknown_file(path, mapping))
        else:
            add(path, named, mapping)
    for path in ledger_csv:
        add(Path(path), LEDGERS, folders.of(Path(path).parent))

    references: list[Reference] = []
    items = _items(sheets["items.csv"], references)
    _item_conditions(sheets["item-conditions.csv"], items, references)
    _item_units(sheets[ITEM_UNITS], items)
    _bom(sheets["bom.csv"], items, _versions(sheets[BOM_VERSIONS], "bom", items), references)
    _routing(sheets["routing.csv"], items, _versions(sheets[ROUTING_VERSIONS], "routing", items), references)
    _joint_products(sheets[JOINT_PRODUCTS], items, references)
    work_centers, machine_centers = read_centers(sheets["workcenters.csv"], sheets["machinecenters.csv"], references)
    vendors = _vendors(sheets["vendors.csv"], references)
    exchange_rates = tuple(read_exchange_rates(sheets[EXCHANGE_RATES]))
    prices = tuple(_price_lines(sheets["prices.csv"], PriceLine, "unit_cost", references))
    discounts = tuple(_price_lines(sheets["discounts.csv"], DiscountLine, "percent", references))
    standard_costs = tuple(read_standard_costs(sheets[STANDARD_COSTS], references))
    price_records = tuple(read_price_records(sheets[SALES_PRICES], references))
    ledgers: dict = {}
    for sheet in sheets[LEDGERS]:
        found, ledger_references = read_ledger_rows(sheet)
        references.extend(ledger_references)
        for ledger in found:
            if ledger.item in ledgers:
                first = ledgers[ledger.item].span
                diagnostics.append(
                    declared_twice("ledger", n.Code(ledger.item, span=ledger.span), n.Code(ledger.item, span=first))
                )
            else:
                ledgers[ledger.item] = ledger
    model = Model(
        items=frozen_map({code: item.frozen() for code, item in items.items()}),
        work_centers=frozen_map(work_centers),
        machine_centers=frozen_map(machine_centers),
        vendors=frozen_map(vendors),
        prices=prices,
        discounts=discounts,
        ledgers=frozen_map(ledgers),
        standard_costs=standard_costs,
        price_records=price_records,
        exchange_rates=exchange_rates,
    )
    read = [sheet for name in sheets for sheet in sheets[name]]
    mappings = [(mapping, mapping.input) for mapping in folders.read()]
    inputs = (*(input for _, input in mappings if input is not None), *(sheet.input for sheet in read))
    texts = {
        **{input.path: mapping.text for mapping, input in mappings if input is not None},
        **{sheet.file: sheet.text for sheet in read},
    }
    return MasterData(model, tuple(references), inputs, frozen_map(texts)), tuple(diagnostics)


def load_master_data(source: str | Path | Iterable[str | Path]) -> tuple[Model, tuple[Diagnostic, ...]]:
    """The partial :class:`Model` of :func:`read_master_data` and its diagnostics (references are
    resolved only when the model is merged into a ruleset, ``costsheet.load(..., master_data=...)``)."""
    data, diagnostics = read_master_data(source)
    return data.model, diagnostics


# ---------------------------------------------------------------- items


def _rows(sheets: list[Sheet], name: str) -> Iterator[tuple[Sheet, Row]]:
    """The rows of every file of one name, in the order the files were given."""
    for sheet in sheets:
        for row in sheet.rows(*FILES[name]):
            yield sheet, row


class _Item:
    """An item being read: its fields, its units, its BOM and routing lines by version date (None:
    undated) and its conditions with their cells (frozen into a :class:`~costsheet.model.Item` when
    every file is read)."""

    __slots__ = ("bom", "byproducts", "conditions", "coproducts", "fields", "routing", "units")

    def __init__(self, fields: dict[str, Any]):
        self.fields = fields
        self.units: dict[str, Decimal] = {}
        self.byproducts: list[ByProduct] = []
        self.coproducts: list[CoProduct] = []
        self.bom: dict[dt.date | None, list[BomLine]] = {}
        self.routing: dict[dt.date | None, list[RoutingLine]] = {}
        self.conditions: dict[str, n.Code] = {}  # kind -> the cell that names it

    def frozen(self) -> Item:
        conditions: dict[str, Any] = {f"{kind}_condition": code.text for kind, code in self.conditions.items()}
        bom, bom_versions = _in_effect(self.bom, BomVersion)
        routing, routing_versions = _in_effect(self.routing, RoutingVersion)
        return Item(
            **self.fields,
            **conditions,
            units_of_measure=frozen_map(self.units),
            bom=bom,
            routing=routing,
            bom_versions=bom_versions,
            routing_versions=routing_versions,
            byproducts=tuple(self.byproducts),
            coproducts=tuple(self.coproducts),
        )


def _in_effect(by_date: dict[dt.date | None, list], version: type) -> tuple[tuple, tuple]:
    """The undated lines and, when any version is dated, every version in date order (the undated
    one first), as the model holds a ruleset's ``bom`` / ``bom from DATE`` blocks."""
    undated = tuple(by_date.get(None, ()))
    if all(starting is None for starting in by_date):
        return undated, ()
    dates = sorted(by_date, key=lambda starting: (starting is not None, starting or dt.date.min))
    return undated, tuple(version(starting, tuple(by_date[starting])) for starting in dates)


def _items(sheets: list[Sheet], references: list[Reference]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    first: dict[str, n.Code] = {}
    for sheet, row in _rows(sheets, "items.csv"):
        code = sheet.code(row, "code", required=True)
        if code is None:
            continue
        if code.text in first:
            sheet.diagnostics.append(declared_twice("item", code, first[code.text]))
            continue
        first[code.text] = code
        who = f"item {code.text}"
        # keyword arguments of the model's Item, each of its field's type
        fields: dict[str, Any] = {"code": code.text, "description": row.text("description"), "span": code.span}
        for column, field in _ITEM_FIELDS.items():
            if not row.text(column):
                continue  # the language's default
            rule = values.ITEM[field]
            value: str | Decimal | None
            if rule.kind == "word":
                value = sheet.word(row, column, rule, field, who)
            elif rule.kind == "code":
                code_cell = sheet.code(row, column)  # a code: the cell has text
                if code_cell is not None and field in _NAMES:
                    references.append(Reference(_NAMES[field], code_cell, f"{who}'s {field}"))
                value = code_cell.text if code_cell is not None else None
            else:
                value = sheet.number(row, column, rule, field, who)
            if value is not None:
                fields[column] = value
        if fields.get("lot_size") is not None and fields["lot_size"] <= 0:
            del fields["lot_size"]  # reported; the model keeps the default
        item = items[code.text] = _Item(fields)
        for kind in _CONDITIONS:
            condition = sheet.code(row, f"{kind}_condition")
            if condition is not None:
                _assign(sheet, item, code.text, kind, condition, references)
    return items


def _assign(sheet: Sheet, item: _Item, code: str, kind: str, condition: n.Code, references: list[Reference]) -> None:
    """``condition`` becomes the item's ``kind`` condition, unless it has one already (as in a ruleset:
    ``duplicate-field``)."""
    who = f"item {code}"
    if kind in item.conditions:
        first = item.conditions[kind].span  # a cell's: always there
        place = f"{first.file}:{first.line}:{first.column}" if first is not None else "an earlier cell"
        sheet.error(
            "duplicate-field",
            f"{who} names a {kind} condition twice",
            condition.span,
            f"keep one {kind} condition for {who} (the first is at {place})",
        )
        return
    item.conditions[kind] = condition
    references.append(Reference("condition", condition, f"{who}'s {kind} condition", kind))


def _item_conditions(sheets: list[Sheet], items: dict[str, _Item], references: list[Reference]) -> None:
    """``item-conditions.csv``: one row per condition of an item, as ``condition KIND CODE`` in a ruleset."""
    for sheet, row in _rows(sheets, "item-conditions.csv"):
        owner, item = _owner(sheet, items, row, "item conditions")
        kind = row.text("kind")
        condition = sheet.code(row, "condition", required=True)
        if not kind:
            sheet.error(
                "csv-missing-value",
                "kind is empty",
                row.cell_span("kind"),
                "write which condition of the item it is: material, production or charge",
            )
            continue
        if kind == "capacity":
            sheet.error(
                "misplaced-statement",
                "items do not take a capacity condition; work and machine centers do",
                row.cell_span("kind"),
                "give the capacity condition to the work or machine center of the routing "
                "(the condition column of workcenters.csv or machinecenters.csv)",
            )
            continue
        problem = values.unknown_word(kind, _CONDITIONS, "a kind of item condition")
        if problem is not None:
            sheet.diagnostics.append(problem.at(row.cell_span("kind")))
            continue
        if item is not None and condition is not None:
            _assign(sheet, item, owner, kind, condition, references)


# ---------------------------------------------------------------- BOM and routing lines


def _owner(
    sheet: Sheet, items: dict[str, _Item], row: Row, what: str = "BOM and routing lines"
) -> tuple[str, _Item | None]:
    """The item a row of another file belongs to (its code, and the item when items.csv has it)."""
    code = sheet.code(row, "item", required=True)
    if code is None:
        return "(empty)", None
    item = items.get(code.text)
    if item is None:
        close = difflib.get_close_matches(code.text, list(items), n=1, cutoff=0.7)
        sheet.diagnostics.append(
            Diagnostic.error(
                "unknown-item",
                f"item {code.text} is not in items.csv",
                code.span,
                (f"did you mean {close[0]}? otherwise add" if close else "add") + " the item to items.csv "
                f"({what} of ruleset items belong in the ruleset)",
            )
        )
    return code.text, item


def _item_units(sheets: list[Sheet], items: dict[str, _Item]) -> None:
    """``item-units.csv``: the items' ``unit-of-measure UNIT FACTOR``."""
    for code, unit, factor in read_item_units(sheets, lambda sheet, row: _owner(sheet, items, row, "units")):
        items[code].units[unit.text] = factor


def _versions(sheets: list[Sheet], keyword: str, items: dict[str, _Item]) -> Versions:
    """The versions file of ``keyword`` (bom, routing); each of its versions is one of its item's,
    lines or none."""
    versions = read_versions(sheets, keyword, lambda sheet, row: _owner(sheet, items, row, "versions"))
    for (code, _), starting in versions.dates.items():
        item = items[code]
        (item.bom if keyword == "bom" else item.routing).setdefault(starting, [])
    return versions


def _joint_products(sheets: list[Sheet], items: dict[str, _Item], references: list[Reference]) -> None:
    """``joint-products.csv``: the items' ``byproduct`` and ``coproduct`` lines."""
    found = read_joint_products(sheets, lambda sheet, row: _owner(sheet, items, row, "by- and co-products"))
    for code, product, line in found:
        kind = "by-product" if isinstance(line, ByProduct) else "co-product"
        references.append(Reference("item", product, f"a {kind} of item {code}"))
        item = items[code]
        if isinstance(line, ByProduct):
            item.byproducts.append(line)
        else:
            item.coproducts.append(line)


def _bom(sheets: list[Sheet], items: dict[str, _Item], versions: Versions, references: list[Reference]) -> None:
    for sheet, row in _rows(sheets, "bom.csv"):
        owner, item = _owner(sheet, items, row)
        component = sheet.code(row, "component", required=True)
        who = f"the BOM line of {component.text if component else '(empty)'} in item {owner}"
        quantity = sheet.number(row, "quantity", values.BOM_LINE["quantity"], "quantity", who, required=True)
        scrap = sheet.number(row, "scrap", values.BOM_LINE["scrap"], "scrap", who)
        unit = sheet.code(row, "unit")
        ok, starting = versions.of_line(sheet, row, owner) if item is not None else (False, None)
        if item is None or component is None or quantity is None or not ok:
            continue
        references.append(Reference("item", component, f"the BOM of item {owner}"))
        if unit is not None:
            references.append(Reference("unit", unit, who, component.text))
        line = BomLine(
            component.text,
            quantity,
            scrap if scrap is not None else ZERO,
            span=component.span,
            unit=None if unit is None else unit.text,
        )
        item.bom.setdefault(starting, []).append(line)


def _routing(sheets: list[Sheet], items: dict[str, _Item], versions: Versions, references: list[Reference]) -> None:
    for sheet, row in _rows(sheets, "routing.csv"):
        owner, item = _owner(sheet, items, row)
        operation = sheet.code(row, "operation", required=True)
        resource = sheet.code(row, "resource", required=True)
        setup = sheet.seconds(row, "setup", sheet.time_unit(row, "setup_unit") or "min")
        run = sheet.seconds(row, "run", sheet.time_unit(row, "run_unit") or "min")
        ok, starting = versions.of_line(sheet, row, owner) if item is not None else (False, None)
        if item is None or operation is None or resource is None or not ok:
            continue
        references.append(Reference("work or machine center", resource, f"operation {operation.text} of item {owner}"))
        line = RoutingLine(operation.text, resource.text, setup or ZERO, run or ZERO, span=resource.span)
        item.routing.setdefault(starting, []).append(line)


# ---------------------------------------------------------------- vendors, prices, discounts


def _vendors(sheets: list[Sheet], references: list[Reference]) -> dict[str, Vendor]:
    vendors: dict[str, Vendor] = {}
    first: dict[str, n.Code] = {}
    for sheet, row in _rows(sheets, "vendors.csv"):
        code = sheet.code(row, "code", required=True)
        if code is None:
            continue
        if code.text in first:
            sheet.diagnostics.append(declared_twice("vendor", code, first[code.text]))
            continue
        first[code.text] = code
        currency = sheet.code(row, "currency")
        if currency is not None:
            references.append(Reference("currency", currency, f"vendor {code.text}"))
        vendors[code.text] = Vendor(
            code.text, row.text("name"), span=code.span, currency=None if currency is None else currency.text
        )
    return vendors


def _price_lines(sheets: list[Sheet], cls, value_column: str, references: list[Reference]):
    is_price = value_column == "unit_cost"
    rules = values.PRICE_LINE if is_price else values.DISCOUNT_LINE
    field = "unit-cost" if is_price else "percent"
    kind = "price" if is_price else "discount"
    for sheet, row in _rows(sheets, "prices.csv" if is_price else "discounts.csv"):
        item = sheet.code(row, "item", required=True)
        vendor = sheet.code(row, "vendor", required=True)
        who = f"the {kind} line of {item.text if item else '(empty)'}"
        value = sheet.number(row, value_column, rules[field], field, who, required=True)
        starting, ending = sheet.date(row, "from"), sheet.date(row, "to")
        min_qty = sheet.number(row, "min_qty", rules["min-qty"], "min-qty", who)
        per = sheet.code(row, "per")
        problem = values.date_range(who.removeprefix("the "), starting, ending)
        if problem:
            sheet.diagnostics.append(problem.at(row.cell_span("to")))
        if item is None or vendor is None or value is None:
            continue
        references.append(Reference("item", item, f"a {kind} line"))
        references.append(Reference("vendor", vendor, f"a {kind} line"))
        if per is not None:
            references.append(Reference("unit", per, f"{who} for vendor {vendor.text}", item.text))
        yield cls(
            item.text,
            vendor.text,
            value,
            starting,
            ending,
            min_qty if min_qty is not None else ZERO,
            span=row.span,
            per=None if per is None else per.text,
        )
