"""Syntax nodes → canonical text: the layout ``costsheet fmt`` writes.

The canonical layout is a function of the tree alone (spans only place the
comments), so two rulesets that parse to equal trees print the same text:

- one statement per line, blocks indented by two spaces, ``}`` on its own line;
- the columns of a block aligned: chart lines, condition lines, headers,
  fields, BOM and routing lines, ledger lines, setup settings; runs of
  one-line declarations of one kind (``rounding``, ``vendor``, ``include``,
  ``price``/``discount``) are aligned as one table;
- a blank line between declarations, except inside such a run;
- a stable order inside blocks (:func:`canonical`): setup settings in the
  order of the table in docs/language.md, "Setup" (``amount-precision`` last), condition
  headers (``direct``, ``overhead``) then ``copy-price``, ``sales-type``, then
  the lines in the order written (their order is meaningful); item and center
  fields in a fixed order, then ``condition`` references, ``bom``,
  ``routing``; the keyword options of a line in a fixed order
  (:data:`_OPTION_ORDER`: price and discount lines ``from to min-qty``, then
  the unit cost or percentage; routing lines ``setup run``; ledger entries
  ``cost expected-cost location variant applies-to applies-from physical order``; capacity lines
  ``setup run order``;
  condition lines ``row``, the value,
  then the flags in the order written).
  Chart lines, BOM and routing lines, ledger lines and the declarations
  themselves keep the order written;
- codes bare unless they must be quoted (:func:`code_text`); strings with
  ``\\"``, ``\\\\``, ``\\n`` and ``\\t`` escapes; numbers as written (never
  with an exponent); formulas re-printed with the fewest parentheses that keep
  their tree (:func:`print_formula`) when they parse;
- comments kept: a comment that follows code on its line stays at the end of
  the line of the statement it was on (trailing comments of consecutive lines
  aligned); a comment on a line of its own is printed, at the statement's
  indentation, above the statement (or ``}``) that follows it.
  When one statement gets several trailing comments (it was wrapped over
  several lines), all but the last move to their own lines above it.

``parse(print_ruleset(tree)) == canonical(tree)`` for every tree the parser
can produce, and ``canonical`` is the identity on trees already in canonical
order with canonical formulas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ..vocabulary import PERCENTAGE_FIELDS, ConditionKind, CostGroup, words
from . import nodes as n

__all__ = ["print_ruleset", "print_formula", "canonical", "code_text", "quote", "number_text"]

INDENT = "  "

# ---------------------------------------------------------------- lexical pieces

_BARE_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_\-/]|\.(?!\.))*\Z")
_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t]')

# Keywords the parser may read at a code position (the contextual lexer reads
# a bare word as a keyword wherever the grammar allows that keyword, so a code
# spelt like one must be quoted there, and only there).
COST_GROUPS = frozenset(words(CostGroup))
CONDITION_KINDS = frozenset(words(ConditionKind))
_CONDITION_STATEMENTS = frozenset({"direct", "overhead", "copy-price", "sales-type", "line"})
_FLAGS = frozenset({"setup-only", "allocation", "round", "list-price", "bold"})
_LINE_OPTIONS = _FLAGS | {"row", "percent", "amount", "element", "formula"}
_AFTER_ROUND = _LINE_OPTIONS | _CONDITION_STATEMENTS
_AFTER_BOM_LINE = frozenset({"scrap", "unit"})
_AFTER_ROUTING_LINE = frozenset({"setup", "run"})
_LEDGER_WORDS = frozenset({"charge", "revaluation", "invoice", "capacity"})
_NONE: frozenset[str] = frozenset()


def quote(text: str) -> str:
    """A string literal for ``text``."""
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(lambda m: _ESCAPE[m.group()], text)
    return f'"{text}"'


def code_text(code: n.Code | str, keywords: frozenset[str] = _NONE) -> str:
    """A code bare when it lexes back as itself at its position, else quoted.

    ``keywords`` are the keywords the grammar accepts at that position."""
    text = code.text if isinstance(code, n.Code) else code
    if _BARE_CODE.match(text) and text not in keywords:
        return text
    return quote(text)


def number_text(value: Decimal) -> str:
    """A Decimal as written: fixed point, never ``1E+3``."""
    return format(value, "f")


def _percent(value: n.Percent) -> str:
    return number_text(value.value) + "%"


# ---------------------------------------------------------------- formulas

_LEVEL = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2, "§": 2}


def print_formula(formula: n.Formula) -> str:
    """A formula with the fewest parentheses that parse back to the same tree.

    ``+ -`` bind weaker than ``* / % §``; all are left-associative; unary minus
    binds tightest.  Recursive: callers keep formulas within
    ``parser.MAX_FORMULA_DEPTH`` (the parser refuses deeper ones)."""
    if isinstance(formula, n.Num):
        return number_text(formula.value)
    if isinstance(formula, n.Row):
        return formula.name
    if isinstance(formula, n.Unary):
        operand = print_formula(formula.operand)
        return "-" + (f"({operand})" if isinstance(formula.operand, n.Binary) else operand)
    level = _LEVEL[formula.op]
    left = print_formula(formula.left)
    if isinstance(formula.left, n.Binary) and _LEVEL[formula.left.op] < level:
        left = f"({left})"
    right = print_formula(formula.right)
    if isinstance(formula.right, n.Binary) and _LEVEL[formula.right.op] <= level:
        right = f"({right})"
    return f"{left} {formula.op} {right}"


def _canonical_formula_text(value: n.LineValue) -> str:
    """The formula re-printed from the tree the parser made; as written when it does not
    parse (the checker reports it).  A node built in code, not by the parser, is parsed here."""
    text = value.value
    assert isinstance(text, str), "a formula line holds the formula's text"
    tree = value.formula
    if tree is None and not value.formula_diagnostics:
        from .parser import parse_formula

        tree, _ = parse_formula(text)
    return text if tree is None else print_formula(tree)


# ---------------------------------------------------------------- canonical order

_SETTING_ORDER = {
    key: rank
    for rank, key in enumerate(
        (
            "cost-base",
            "copy-standard-cost",
            "explode-bom",
            "decimals amounts",
            "decimals quantities",
            "default material",
            "default production",
            "default capacity",
            "default subcontract",
            "assembly",
            "average-cost-period",
            "average-cost-calc",
            "amount-precision",
            "include-physical-value",
            "currency",
        )
    )
}
_FIELD_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            "replenishment",
            "unit",
            "unit-of-measure",
            "vendor",
            "subcontractor",
            "unit-cost",
            "last-direct-cost",
            "direct-unit-cost",
            "standard-cost",
            "indirect-cost",
            "overhead-rate",
            "lot-size",
            "scrap",
            "rounding",
            "cost-base",
            "costing-method",
        )
    )
}
#: keyword options of a line, in the order printed (each line type uses some of them)
_OPTION_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            "from",
            "to",
            "min-qty",
            "unit-cost",
            "percent",
            "per",  # price and discount lines
            "unit",
            "scrap",  # BOM lines
            "setup",
            "run",  # routing lines
            "value",  # by-product lines
            "share",  # co-product lines
            "cost",
            "expected-cost",
            "location",
            "variant",
            "applies-to",
            "applies-from",
            "physical",  # ledger entries
            "order",  # ledger entries and capacity lines
        )
    )
}
_PRICE_SLOTS = ("from", "to", "min-qty", "unit-cost", "per")
_DISCOUNT_SLOTS = ("from", "to", "min-qty", "percent", "per")
_BOM_SLOTS = ("unit", "scrap")
_ROUTING_SLOTS = ("setup", "run")
_CONDITION_ORDER = {"direct": 0, "overhead": 1}


#: The nodes with keyword options.
_Optioned = TypeVar(
    "_Optioned",
    bound=n.BomEntry
    | n.RoutingEntry
    | n.ByProductLine
    | n.CoProductLine
    | n.PriceDecl
    | n.DiscountDecl
    | n.EntryLine
    | n.CapacityLine,
)


def _sorted_options(node: _Optioned) -> _Optioned:
    """``node`` with its keyword options in canonical order (stable: repeats keep their order)."""
    options = tuple(sorted(node.options, key=lambda o: _OPTION_ORDER.get(o.name, len(_OPTION_ORDER))))
    return node if options == node.options else attrs.evolve(node, options=options)


def _line_option_rank(option: object) -> int:
    """A condition line's ``row``, then its value, then its flags (in the order written)."""
    return 0 if isinstance(option, n.Field) else 1 if isinstance(option, n.LineValue) else 2


def _body_rank(stmt: object) -> tuple[int, int]:
    if isinstance(stmt, n.Field):
        return (0, _FIELD_ORDER.get(stmt.name, len(_FIELD_ORDER)))
    if isinstance(stmt, n.UnitOfMeasure):
        return (0, _FIELD_ORDER["unit-of-measure"])
    if isinstance(stmt, n.ConditionRef):
        return (1, 0)
    if isinstance(stmt, n.ByProductLine):
        return (1, 1)
    if isinstance(stmt, n.CoProductLine):
        return (1, 2)
    if isinstance(stmt, n.BomBlock):
        return (2, 0)
    return (3, 0)


def _condition_rank(stmt: object) -> int:
    if isinstance(stmt, n.Header):
        return _CONDITION_ORDER.get(stmt.role, 1)
    if isinstance(stmt, n.CopyPrice):
        return 2
    if isinstance(stmt, n.SalesTypeStmt):
        return 3
    return 4


def canonical(ruleset: n.SourceFile, formulas: bool = True) -> n.SourceFile:
    """The tree the printed text parses back to: blocks in canonical order and,
    with ``formulas``, formula texts re-printed by :func:`print_formula`.
    Sorting is stable, so repeated statements (an error the checker reports)
    keep their relative order."""
    return attrs.evolve(ruleset, declarations=tuple(_canonical_decl(d, formulas) for d in ruleset.declarations))


def _canonical_decl(decl: n.Declaration, formulas: bool) -> n.Declaration:
    if isinstance(decl, n.SetupBlock):
        settings = sorted(decl.settings, key=lambda s: _SETTING_ORDER.get(s.key, len(_SETTING_ORDER)))
        return attrs.evolve(decl, settings=tuple(settings))
    if isinstance(decl, n.ConditionDecl):
        statements = sorted(decl.body, key=_condition_rank)
        return attrs.evolve(
            decl, body=tuple(_canonical_line(s, formulas) if isinstance(s, n.Line) else s for s in statements)
        )
    if isinstance(decl, n.ItemDecl):
        return attrs.evolve(decl, body=tuple(_canonical_block(s) for s in sorted(decl.body, key=_body_rank)))
    if isinstance(decl, (n.WorkCenterDecl, n.MachineCenterDecl)):  # fields and conditions: no blocks
        return attrs.evolve(decl, body=tuple(sorted(decl.body, key=_body_rank)))
    if isinstance(decl, n.LedgerDecl):
        lines = tuple(
            _sorted_options(line) if isinstance(line, (n.EntryLine, n.CapacityLine)) else line for line in decl.lines
        )
        return attrs.evolve(decl, lines=lines)
    if isinstance(decl, (n.PriceDecl, n.DiscountDecl)):
        return _sorted_options(decl)
    return decl


def _canonical_block(stmt: n.ItemStatement) -> n.ItemStatement:
    if isinstance(stmt, n.BomBlock):
        return attrs.evolve(stmt, entries=tuple(_sorted_options(e) for e in stmt.entries))
    if isinstance(stmt, n.RoutingBlock):
        return attrs.evolve(stmt, entries=tuple(_sorted_options(e) for e in stmt.entries))
    if isinstance(stmt, (n.ByProductLine, n.CoProductLine)):
        return _sorted_options(stmt)
    return stmt


def _canonical_line(line: n.Line, formulas: bool) -> n.Line:
    ordered = sorted(line.options, key=_line_option_rank)
    options = tuple(_canonical_value(o) if formulas and isinstance(o, n.LineValue) else o for o in ordered)
    return line if options == line.options else attrs.evolve(line, options=options)


def _canonical_value(value: n.LineValue) -> n.LineValue:
    if value.kind != "formula" or not isinstance(value.value, str):
        return value
    text = _canonical_formula_text(value)
    return value if text == value.value else attrs.evolve(value, value=text)


# ---------------------------------------------------------------- output lines


@attrs.define
class _Out:
    """One printed line and the source position it stands for (to place comments)."""

    depth: int
    text: str
    start: tuple[int, int] | None = None  # source (line, column) of what this line prints
    last_line: int | None = None  # last source line it covers
    closing: bool = False  # a "}" line: comments above it are indented one level deeper
    blank_before: bool = False
    above: list[tuple[str, int]] = attrs.Factory(list)  # comments above it, with their source lines
    trailing: list[tuple[str, int]] = attrs.Factory(list)


def _start(node: object) -> tuple[int, int] | None:
    span = getattr(node, "span", None)
    return None if span is None else (span.line, span.column)


def _leaf(depth: int, text: str, node: object) -> _Out:
    span = getattr(node, "span", None)
    return _Out(depth, text, _start(node), None if span is None else span.end_line)


def _open(depth: int, text: str, node: object) -> _Out:
    span = getattr(node, "span", None)
    return _Out(depth, text + " {", _start(node), None if span is None else span.line)


def _close(depth: int, node: object) -> _Out:
    span = getattr(node, "span", None)
    if span is None:
        return _Out(depth, "}", closing=True)
    return _Out(depth, "}", (span.end_line, max(span.end_column - 1, 1)), span.end_line, closing=True)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells with every column padded to its widest cell; empty columns vanish."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    widths = [max((len(row[c]) for row in rows if c < len(row)), default=0) for c in range(columns)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[c]) for c, cell in enumerate(row) if widths[c]]
        lines.append(" ".join(cells).rstrip())
    return lines


def _tabled(depth: int, nodes: Sequence[object], rows: Sequence[Sequence[str]]) -> list[_Out]:
    return [_leaf(depth, text, node) for node, text in zip(nodes, _table(rows), strict=True)]


# ---------------------------------------------------------------- declarations


def print_ruleset(ruleset: n.SourceFile, comments: bool = True, canonical_formulas: bool = True) -> str:
    """The canonical text of a ruleset (see the module docstring), ending with a newline.

    ``comments`` re-emits ``ruleset.comments`` (kept by ``parser.parse``);
    ``canonical_formulas`` re-prints formula texts that parse."""
    tree = canonical(ruleset, formulas=canonical_formulas)
    out = _declarations(tree.declarations)
    tail = _attach_comments(out, ruleset.comments) if comments and ruleset.comments else []
    return _render(out, tail)


_ONE_LINE_GROUPS = {
    n.Include: "include",
    n.RoundingDecl: "rounding",
    n.VendorDecl: "vendor",
    n.PriceDecl: "price",
    n.DiscountDecl: "price",
    n.StandardCostDecl: "standard-cost",
    n.ExchangeRateDecl: "exchange-rate",
    n.PriceRecordDecl: "price-record",
}


def _one_line_group(decl: n.Declaration) -> str | None:
    """The run of one-line declarations ``decl`` is printed in (a table), or None for a block
    (a standard cost with shares is a block)."""
    if isinstance(decl, n.StandardCostDecl) and decl.shares is not None:
        return None
    return _ONE_LINE_GROUPS.get(type(decl))


def _declarations(declarations: Sequence[n.Declaration]) -> list[_Out]:
    out: list[_Out] = []
    index = 0
    while index < len(declarations):
        decl = declarations[index]
        group = _one_line_group(decl)
        if group is None:
            lines = _BLOCK_PRINTERS[type(decl)](decl)
            index += 1
        else:
            run = [decl]
            index += 1
            while index < len(declarations) and _one_line_group(declarations[index]) == group:
                run.append(declarations[index])
                index += 1
            lines = _tabled(0, run, [_ONE_LINE_ROW[type(d)](d) for d in run])
        if out:
            lines[0].blank_before = True
        out.extend(lines)
    return out


def _include_row(decl: n.Include) -> list[str]:
    return ["include", quote(decl.path)]


def _rounding_row(decl: n.RoundingDecl) -> list[str]:
    minimum = "" if decl.min_amount is None else f"min-amount {number_text(decl.min_amount)}"
    return ["rounding", code_text(decl.code), code_text(decl.direction), number_text(decl.precision), minimum]


def _vendor_row(decl: n.VendorDecl) -> list[str]:
    body = " ".join(f"{f.name} {code_text(f.value)}" for f in decl.body)  # type: ignore[arg-type]
    return [
        "vendor",
        code_text(decl.code),
        "" if decl.name is None else quote(decl.name),
        f"{{ {body} }}" if body else "",
    ]


def _exchange_rate_row(decl: n.ExchangeRateDecl) -> list[str]:
    return ["exchange-rate", code_text(decl.currency), "from", str(decl.starting), number_text(decl.rate)]


def _option_cells(options: Sequence[n.Field], slots: Sequence[str]) -> list[str]:
    """One cell per option name in ``slots`` (a repeated option shares its cell), for aligned
    columns, and a last cell with any other option (none is ever left out)."""
    cells = [" ".join(_option(o) for o in options if o.name == slot) for slot in slots]
    return [*cells, " ".join(_option(o) for o in options if o.name not in slots)]


def _price_row(decl: n.PriceDecl) -> list[str]:
    return ["price", code_text(decl.item), "vendor", code_text(decl.vendor), *_option_cells(decl.options, _PRICE_SLOTS)]


def _discount_row(decl: n.DiscountDecl) -> list[str]:
    return [
        "discount",
        code_text(decl.item),
        "vendor",
        code_text(decl.vendor),
        *_option_cells(decl.options, _DISCOUNT_SLOTS),
    ]


def _standard_cost_row(decl: n.StandardCostDecl) -> list[str]:
    return ["standard-cost", code_text(decl.item), "from", str(decl.starting), number_text(decl.amount)]


def _price_record_row(decl: n.PriceRecordDecl) -> list[str]:
    sales = decl.sales_type
    target = (
        ""
        if sales is None
        else sales.kind
        if sales.code is None
        else f"{code_text(sales.kind)} {code_text(sales.code.text)}"
    )
    return [decl.kind, code_text(decl.item), target, "from", str(decl.starting), number_text(decl.amount)]


#: The row of each one-line declaration, by its type (each printer takes that type).
_ONE_LINE_ROW: Mapping[type, Callable[[Any], list[str]]] = {
    n.Include: _include_row,
    n.RoundingDecl: _rounding_row,
    n.VendorDecl: _vendor_row,
    n.PriceDecl: _price_row,
    n.DiscountDecl: _discount_row,
    n.StandardCostDecl: _standard_cost_row,
    n.ExchangeRateDecl: _exchange_rate_row,
    n.PriceRecordDecl: _price_record_row,
}


def _setting_value(setting: n.Setting) -> str:
    value = setting.value
    if isinstance(value, (n.Code, n.Word)):
        return code_text(value.text)
    if isinstance(value, n.DecimalsRange):
        return str(value.low) if value.single else f"{value.low}:{value.high}"
    if isinstance(value, n.AssemblyElements):
        return f"direct {code_text(value.direct)} overhead {code_text(value.overhead)}"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, str):  # master-data: a path
        return quote(value)
    raise TypeError(f"unexpected setting value {value!r}")


def _setup(decl: n.SetupBlock) -> list[_Out]:
    rows = [[s.key, _setting_value(s)] for s in decl.settings]
    return [_open(0, "setup", decl), *_tabled(1, decl.settings, rows), _close(0, decl)]


def _chart(decl: n.ChartBlock) -> list[_Out]:
    rows = []
    for entry in decl.entries:
        tail = [] if entry.cost_group is None else [entry.cost_group.text]
        if entry.totaling is not None:
            tail.append(_filter(entry.totaling, first_after_keyword=entry.cost_group is None))
        rows.append([code_text(entry.code), entry.kind, quote(entry.description), " ".join(tail)])
    return [_open(0, "chart", decl), *_tabled(1, decl.entries, rows), _close(0, decl)]


def _filter(parts: Sequence[n.FilterPart], first_after_keyword: bool) -> str:
    texts = []
    for index, part in enumerate(parts):
        keywords = COST_GROUPS if index == 0 and first_after_keyword else _NONE
        low = code_text(part.low, keywords)
        if part.high is None:
            texts.append(low)
        else:
            if low.endswith("."):  # "A." before ".." would lex as "A" "..."
                low = quote(part.low.text)
            texts.append(f"{low}..{code_text(part.high)}")
    return " | ".join(texts)


def _condition(decl: n.ConditionDecl) -> list[_Out]:
    head = f"condition {decl.kind} {code_text(decl.code)}"
    if decl.description is not None:
        head += " " + quote(decl.description)
    out = [_open(0, head, decl)]
    groups: list[tuple[str, list[n.Header | n.CopyPrice | n.SalesTypeStmt | n.Line]]] = []
    for stmt in decl.body:
        kind = "header" if isinstance(stmt, n.Header) else "line" if isinstance(stmt, n.Line) else "price"
        if not groups or groups[-1][0] != kind:
            groups.append((kind, []))
        groups[-1][1].append(stmt)
    for _, stmts in groups:
        out.extend(_tabled(1, stmts, [_CONDITION_ROW[type(s)](s) for s in stmts]))
    out.append(_close(0, decl))
    return out


def _header_row(stmt: n.Header) -> list[str]:
    return [stmt.role, code_text(stmt.element)]


def _copy_price_row(stmt: n.CopyPrice) -> list[str]:
    return ["copy-price", "+".join(code_text(word) for word in stmt.value.split("+"))]


def _sales_type_row(stmt: n.SalesTypeStmt) -> list[str]:
    text = code_text(stmt.kind)
    if stmt.code is not None:
        text += " " + code_text(stmt.code, _CONDITION_STATEMENTS)
    return ["sales-type", text]


def _line_row(line: n.Line) -> list[str]:
    """Columns: ``line``, element, description, rows, values, flags (a repeat shares its column)."""
    return [
        "line",
        "" if line.element is None else code_text(line.element),
        quote(line.description),
        " ".join(f"row {_row_code(o)}" for o in line.options if isinstance(o, n.Field)),
        " ".join(_line_value(o) for o in line.options if isinstance(o, n.LineValue)),
        " ".join(_flag(flag) for flag in line.flags),
    ]


def _row_code(row: n.Field) -> str:
    assert isinstance(row.value, n.Code), "a line's row option names a row"
    return code_text(row.value)


def _line_value(value: n.LineValue) -> str:
    written = value.value
    if value.kind == "element":
        assert isinstance(written, n.Code), "an element value names an element"
        return f"element {code_text(written)}"
    if value.kind == "formula":
        assert isinstance(written, str), "a formula value is the formula's text"
        return f"formula {quote(written)}"
    assert isinstance(written, Decimal), "a percent or amount value is a number"
    return f"{value.kind} {number_text(written)}"


def _flag(flag: n.Flag) -> str:
    argument = flag.argument
    if flag.name == "allocation":
        assert isinstance(argument, n.Percent), "allocation takes a percentage"
        return f"allocation {_percent(argument)}"
    if flag.name == "round" and argument is not None:
        assert isinstance(argument, n.Code), "round names a rounding method"
        return f"round {code_text(argument, _AFTER_ROUND)}"
    return flag.name


#: The row of each condition statement, by its type (each printer takes that type).
_CONDITION_ROW: Mapping[type, Callable[[Any], list[str]]] = {
    n.Header: _header_row,
    n.CopyPrice: _copy_price_row,
    n.SalesTypeStmt: _sales_type_row,
    n.Line: _line_row,
}


def _field_value(value: object) -> str:
    if isinstance(value, (n.Code, n.Word)):
        return code_text(value.text)
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, n.Percent):
        return _percent(value)
    if isinstance(value, n.RateValue):
        return f"{number_text(value.value)}/{value.unit}"
    raise TypeError(f"unexpected field value {value!r}")


def _body(body: Sequence[n.ItemStatement], depth: int) -> list[_Out]:
    """Fields, condition references, by- and co-products as one table, then ``bom`` and ``routing`` blocks."""
    simple = [s for s in body if not isinstance(s, (n.BomBlock, n.RoutingBlock))]
    kinds = [s.kind for s in simple if isinstance(s, n.ConditionRef) and s.kind is not None]
    kind_width = max((len(k) for k in kinds), default=0)
    rows = []
    for stmt in simple:
        if isinstance(stmt, n.Field):
            rows.append([stmt.name, _field_value(stmt.value)])
        elif isinstance(stmt, n.UnitOfMeasure):
            rows.append(["unit-of-measure", f"{code_text(stmt.code)} {number_text(stmt.factor)}"])
        elif isinstance(stmt, (n.ByProductLine, n.CoProductLine)):
            keyword = "byproduct" if isinstance(stmt, n.ByProductLine) else "coproduct"
            options = "".join(" " + _option(o) for o in stmt.options)
            rows.append([keyword, f"{code_text(stmt.item)} {number_text(stmt.quantity)}{options}"])
        elif stmt.kind is None:
            rows.append(["condition", code_text(stmt.code, CONDITION_KINDS)])
        else:
            rows.append(["condition", f"{stmt.kind.ljust(kind_width)} {code_text(stmt.code)}"])
    out = _tabled(depth, simple, rows)
    for block in body:
        if isinstance(block, n.BomBlock):
            rows = [
                [
                    code_text(e.component, _AFTER_BOM_LINE),
                    number_text(e.quantity),
                    *_option_cells(e.options, _BOM_SLOTS),
                ]
                for e in block.entries
            ]
            out += [
                _open(depth, _versioned("bom", block), block),
                *_tabled(depth + 1, block.entries, rows),
                _close(depth, block),
            ]
        elif isinstance(block, n.RoutingBlock):
            rows = [
                [
                    code_text(e.operation, _AFTER_ROUTING_LINE),
                    code_text(e.resource),
                    *_option_cells(e.options, _ROUTING_SLOTS),
                ]
                for e in block.entries
            ]
            out += [
                _open(depth, _versioned("routing", block), block),
                *_tabled(depth + 1, block.entries, rows),
                _close(depth, block),
            ]
    return out


def _versioned(keyword: str, block: n.BomBlock | n.RoutingBlock) -> str:
    """``bom`` or ``bom from DATE`` (a dated version)."""
    starting = block.starting
    return keyword if starting is None else f"{keyword} from {starting.isoformat()}"


def _duration(value: n.Duration) -> str:
    return f"{number_text(value.value)}{value.unit}"


def _described(keyword: str, code: n.Code, description: str | None) -> str:
    head = f"{keyword} {code_text(code)}"
    return head if description is None else f"{head} {quote(description)}"


def _item(decl: n.ItemDecl) -> list[_Out]:
    return [_open(0, _described("item", decl.code, decl.description), decl), *_body(decl.body, 1), _close(0, decl)]


def _workcenter(decl: n.WorkCenterDecl) -> list[_Out]:
    return [
        _open(0, _described("workcenter", decl.code, decl.description), decl),
        *_body(decl.body, 1),
        _close(0, decl),
    ]


def _machinecenter(decl: n.MachineCenterDecl) -> list[_Out]:
    head = f"{_described('machinecenter', decl.code, decl.description)} in {code_text(decl.work_center)}"
    return [_open(0, head, decl), *_body(decl.body, 1), _close(0, decl)]


def _quantity(value: Decimal) -> str:
    """Ledger quantities with their sign, as docs/language.md, "Ledgers" writes them (``+1``, ``-1``)."""
    text = number_text(value)
    return text if text.startswith("-") or value == 0 else "+" + text


def _ledger_row(
    line: n.EntryLine | n.LedgerCharge | n.LedgerRevaluation | n.LedgerInvoice | n.CapacityLine,
) -> list[str]:
    if isinstance(line, n.EntryLine):
        options = " ".join(_option(o) for o in line.options)
        return [str(line.date), code_text(line.type, _LEDGER_WORDS), _quantity(line.quantity), options]
    if isinstance(line, n.CapacityLine):
        written = [_duration(line.time)] if line.time is not None else []
        written.extend(_option(o) for o in line.options)
        return [str(line.date), "capacity", code_text(line.resource), " ".join(written)]
    if isinstance(line, n.LedgerCharge):
        return [str(line.date), "charge", str(line.entry), f"amount {number_text(line.amount)}"]
    if isinstance(line, n.LedgerInvoice):
        return [str(line.date), "invoice", str(line.entry), f"cost {number_text(line.cost)}"]
    entry = "" if line.entry is None else str(line.entry)
    return [str(line.date), "revaluation", entry, f"unit-cost {number_text(line.unit_cost)}"]


def _option(option: n.Field) -> str:
    """A keyword option as written: ``from 2026-01-01``, ``scrap 5%``, ``setup 30min`` …"""
    value = option.value
    if option.name == "percent":  # a discount line's percentage stands alone
        assert isinstance(value, n.Percent), "percent takes a percentage"
        return _percent(value)
    if option.name == "physical":  # a ledger entry's flag: a keyword without a value
        return "physical"
    if isinstance(value, n.Code):
        text = code_text(value)
    elif isinstance(value, Decimal):
        text = number_text(value)
    elif isinstance(value, n.Percent):
        text = _percent(value)
    elif isinstance(value, n.Duration):
        text = _duration(value)
    else:  # a date, an entry number
        text = str(value)
    return f"{option.name} {text}"


def _ledger(decl: n.LedgerDecl) -> list[_Out]:
    rows = [_ledger_row(line) for line in decl.lines]
    return [_open(0, f"ledger {code_text(decl.item)}", decl), *_tabled(1, decl.lines, rows), _close(0, decl)]


def _standard_cost_block(decl: n.StandardCostDecl) -> list[_Out]:
    """A standard cost with shares: the declaration's line opens the ``shares`` block."""
    shares = decl.shares
    assert shares is not None, "a standard cost is a block when it has shares"
    head = " ".join(_standard_cost_row(decl)) + " shares"
    rows = [[code_text(share.kind.text), number_text(share.amount)] for share in shares.shares]
    out = [_open(0, head, decl), *_tabled(1, shares.shares, rows), _close(0, shares)]
    out[0].last_line = None if shares.span is None else shares.span.line  # the line with the "{"
    return out


def _accounting_periods(decl: n.AccountingPeriods) -> list[_Out]:
    dates = " ".join(str(d) for d in decl.dates)
    return [_leaf(0, f"accounting-periods {{ {dates} }}" if dates else "accounting-periods { }", decl)]


def _target(target: n.Target) -> str:
    if target.kind == "condition":
        assert target.field is not None, "a condition line target names its value kind"
        return f"condition {code_text(target.code)} line {target.line} {code_text(target.field.text)}"
    if target.kind == "exchange-rate":
        return f"exchange-rate {code_text(target.code)}"
    if target.field is None:
        assert target.vendor is not None, "a price or discount target names its vendor"
        return f"{target.kind} {code_text(target.code)} vendor {code_text(target.vendor)}"
    return f"{target.kind} {code_text(target.code)} {code_text(target.field.text)}"


def _change_value(target: n.Target, value: object) -> str:
    """A percentage on a field that does not hold one is a change: it is printed with its sign."""
    if isinstance(value, str):
        return quote(value)
    relative = target.kind not in ("discount",) and (target.field is None or target.field.text not in PERCENTAGE_FIELDS)
    if isinstance(value, n.Percent) and relative and not value.value.is_signed():
        return "+" + _percent(value)
    return _field_value(value)


def _scenario(decl: n.ScenarioDecl) -> list[_Out]:
    rows = [[_target(c.target), _change_value(c.target, c.value)] for c in decl.changes]
    head = _described("scenario", decl.code, decl.description)
    return [_open(0, head, decl), *_tabled(1, decl.changes, rows), _close(0, decl)]


def _simulation(decl: n.SimulationDecl) -> list[_Out]:
    rows = []
    for stmt in decl.body:
        if isinstance(stmt, n.Field):
            assert isinstance(stmt.value, Decimal), "a simulation setting is a number"
            rows.append([stmt.name, number_text(stmt.value)])
        else:
            parameters = (_change_value(stmt.target, v) for v in stmt.distribution.parameters)
            rows.append([_target(stmt.target), " ".join((stmt.distribution.kind, *parameters))])
    head = _described("simulation", decl.code, decl.description)
    return [_open(0, head, decl), *_tabled(1, decl.body, rows), _close(0, decl)]


#: The printer of each block declaration, by its type (each printer takes that type).
_BLOCK_PRINTERS: Mapping[type, Callable[[Any], list[_Out]]] = {
    n.SetupBlock: _setup,
    n.ChartBlock: _chart,
    n.ConditionDecl: _condition,
    n.ItemDecl: _item,
    n.WorkCenterDecl: _workcenter,
    n.MachineCenterDecl: _machinecenter,
    n.LedgerDecl: _ledger,
    n.AccountingPeriods: _accounting_periods,
    n.StandardCostDecl: _standard_cost_block,
    n.ScenarioDecl: _scenario,
    n.SimulationDecl: _simulation,
}


# ---------------------------------------------------------------- comments


def _attach_comments(out: list[_Out], comments: Iterable[n.Comment]) -> list[tuple[str, int]]:
    """Give each comment to the printed line it belongs to; returns those left for the end."""
    placed = [o for o in out if o.start is not None]
    by_start = sorted(placed, key=_at)
    tail: list[tuple[str, int]] = []
    for comment in sorted(comments, key=lambda c: (c.span.line, c.span.column) if c.span else (0, 0)):
        text = comment.text.rstrip()
        if comment.span is None:
            tail.append((text, 0))
            continue
        where = (comment.span.line, comment.span.column)
        owner = _trailing_owner(placed, where)
        if owner is not None:
            owner.trailing.append((text, where[0]))
            continue
        following = next((o for o in by_start if _at(o) > where), None)
        if following is None:
            tail.append((text, where[0]))
        else:
            following.above.append((text, where[0]))
    for o in out:  # a statement wrapped over several commented lines: one trailing comment
        if len(o.trailing) > 1:
            o.above.extend(o.trailing[:-1])
            del o.trailing[:-1]
    return tail


def _trailing_owner(placed: list[_Out], where: tuple[int, int]) -> _Out | None:
    """The printed line whose source has code before the comment on the comment's line."""
    line = where[0]
    best: _Out | None = None
    best_key: tuple[int, int] | None = None
    for o in placed:
        start = _at(o)
        if start[0] > line or (o.last_line or start[0]) < line:
            continue
        key = start if start[0] == line else (line, 0)
        if key < where and (best_key is None or key >= best_key):
            best, best_key = o, key
    return best


def _at(placed: _Out) -> tuple[int, int]:
    """The source position of a printed line that has one."""
    assert placed.start is not None, "only placed lines take comments"
    return placed.start


def _comment_lines(comments: list[tuple[str, int]], indent: str, next_line: int | None) -> list[str]:
    """Comment lines, keeping one blank line where the source had a gap
    (between comments, and between the last comment and what follows it)."""
    lines: list[str] = []
    for index, (text, line) in enumerate(comments):
        if index and line > comments[index - 1][1] + 1:
            lines.append("")
        lines.append(indent + text)
    if comments and next_line is not None and next_line > comments[-1][1] + 1:
        lines.append("")
    return lines


def _render(out: list[_Out], tail: list[tuple[str, int]]) -> str:
    texts = [INDENT * o.depth + o.text for o in out]
    # align the trailing comments of a block: consecutive lines at one depth
    index = 0
    while index < len(out):
        end = index
        while end + 1 < len(out) and out[end + 1].depth == out[index].depth and not out[end + 1].blank_before:
            end += 1
        commented = [i for i in range(index, end + 1) if out[i].trailing]
        if commented:
            column = max(len(texts[i]) for i in commented) + 2
            for i in commented:
                texts[i] = texts[i].ljust(column) + out[i].trailing[0][0]
        index = end + 1
    lines: list[str] = []
    for o, text in zip(out, texts, strict=True):
        if o.blank_before:
            lines.append("")
        indent = INDENT * (o.depth + 1 if o.closing else o.depth)
        lines.extend(_comment_lines(o.above, indent, o.start[0] if o.start else None))
        lines.append(text)
    if tail:
        if lines:
            lines.append("")
        lines.extend(_comment_lines(tail, "", None))
    return "\n".join(lines) + "\n" if lines else ""
