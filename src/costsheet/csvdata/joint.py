"""By-products and co-products in CSV master data: ``joint-products.csv`` (docs/master-data.md,
"By-products and co-products").

``joint-products.csv``  item, kind, product, quantity, and value or share: one ``byproduct PRODUCT
                        QUANTITY [value N]`` (kind ``byproduct``) or ``coproduct PRODUCT QUANTITY
                        share P%`` (kind ``coproduct``) of an item of items.csv per row, in the
                        order of the rows

Each cell obeys the rules of the same value in a ruleset (``costsheet.check.JOINT_PRODUCT_RULES``),
with the same codes at the cell: a quantity above 0, a value of at least 0, a share from 0% to
100% and the shares of an item at most 100% in total (``coproduct-shares``, at the share that
crosses it); a co-product without a share is ``missing-field``, a by-product with a share or a
co-product with a value ``misplaced-field``.  What the product may be (not the item itself, no
phantom, a co-product not purchased, one producer) needs the merged model: the checker's
:func:`costsheet.check.jointproducts.master_joint_products` sees to it, at the product cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from ..check import JOINT_PRODUCT_RULES as RULES
from ..check import shares_over, values
from ..model import ByProduct, CoProduct
from ..numbers import HUNDRED, ZERO
from ..syntax import nodes as n
from .table import Row, Sheet

__all__ = ["JOINT_PRODUCTS", "JOINT_FILES", "KINDS", "read_joint_products"]

JOINT_PRODUCTS = "joint-products.csv"
#: file name -> (required columns, optional columns)
JOINT_FILES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    JOINT_PRODUCTS: (("item", "kind", "product", "quantity"), ("value", "share")),
}
#: the words of the kind column: the keywords of the lines
KINDS = ("byproduct", "coproduct")
_NAMES = {"byproduct": "by-product", "coproduct": "co-product"}
#: the item a row belongs to: (its code, the item being read or None when items.csv lacks it)
Owner = Callable[[Sheet, Row], tuple[str, object]]


def read_joint_products(sheets: list[Sheet], owner: Owner) -> Iterator[tuple[str, n.Code, ByProduct | CoProduct]]:
    """``(item, product cell, line)`` of each row of ``joint-products.csv`` whose item ``owner(sheet,
    row)`` finds, every cell checked; a row with a cell that cannot be read gives no line."""
    totals: dict[str, list[tuple[str, Decimal]]] = {}  # item -> its co-products' shares so far
    for sheet in sheets:
        for row in sheet.rows(*JOINT_FILES[JOINT_PRODUCTS]):
            code, found = owner(sheet, row)
            kind = _kind(sheet, row)
            product = sheet.code(row, "product", required=True)
            name = _NAMES.get(kind or "", "joint product")
            who = f"the {name} {product.text if product else '(empty)'} of item {code}"
            quantity = sheet.number(row, "quantity", RULES["quantity"], "quantity", who, required=True)
            if kind is None or product is None or quantity is None:
                continue
            line: ByProduct | CoProduct | None
            if kind == "byproduct":
                _misplaced(sheet, row, "share", who, "a by-product's credit is its quantity x its value")
                value = sheet.number(row, "value", RULES["value"], "value", who)
                unreadable = value is None and row.text("value")
                line = None if unreadable else ByProduct(product.text, quantity, value, span=product.span)
            else:
                _misplaced(sheet, row, "value", who, "a co-product takes a share of the item's cost")
                line = _coproduct(sheet, row, code, product, quantity, who, totals)
            if found and line is not None:
                yield code, product, line


def _kind(sheet: Sheet, row: Row) -> str | None:
    kind = row.text("kind")
    if not kind:
        sheet.error(
            "csv-missing-value",
            "kind is empty",
            row.cell_span("kind"),
            "write which line of the item it is: byproduct or coproduct",
        )
        return None
    problem = values.unknown_word(kind, KINDS, "a kind of joint product")
    if problem is not None:
        sheet.diagnostics.append(problem.at(row.cell_span("kind")))
        return None
    return kind


def _misplaced(sheet: Sheet, row: Row, column: str, who: str, why: str) -> None:
    if row.text(column):
        other = "coproduct" if column == "share" else "byproduct"
        sheet.error(
            "misplaced-field",
            f"{who} has a {column}, which only a {_NAMES[other]} takes: {why}",
            row.cell_span(column),
            f"leave {column} empty, or write {other} in kind",
        )


def _coproduct(
    sheet: Sheet,
    row: Row,
    code: str,
    product: n.Code,
    quantity: Decimal,
    who: str,
    totals: dict[str, list[tuple[str, Decimal]]],
) -> CoProduct | None:
    if not row.text("share"):
        sheet.error(
            "missing-field",
            f"{who} has no share",
            row.cell_span("share"),
            "write the part of the item's cost the co-product takes in share: 10 or 10%",
        )
        return None
    share = sheet.number(row, "share", RULES["share"], "share", who)
    if share is None:
        return None
    shares = totals.setdefault(code, [])
    before = sum((s for _, s in shares), ZERO)
    shares.append((product.text, share))
    if before <= HUNDRED < before + share:
        sheet.diagnostics.append(shares_over(code, before + share, shares, row.cell_span("share")))
    return CoProduct(product.text, quantity, share, span=product.span)  # located where the checker points
