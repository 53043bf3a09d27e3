"""By-products and co-products (docs/costing.md, "By-products and co-products"): their lines,
what may be one, each co-product with one producer, shares of at most 100% in total, and no
cycle through the costing order they add (a by-product valued at its own cost is costed before
its producer, a co-product after it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from ..diagnostics import Diagnostic, Span
from ..model import ByProduct, CoProduct, Item
from ..numbers import HUNDRED, ZERO, readable
from ..phantoms import PHANTOM
from ..syntax import nodes as n
from . import values
from .context import Context
from .options import repeated

__all__ = ["RULES", "joint_products", "master_joint_products", "joint_cycles", "shares_over"]

#: what a by- or co-product line's ``quantity``, ``value`` and ``share`` take (a ruleset's and joint-products.csv's)
RULES = {
    "quantity": values.Rule("number", above=True, hint="write how many units come out per unit of the item, above 0"),
    "value": values.Rule("number", hint="write the credit per unit of the by-product, at least 0"),
    "share": values.Rule(
        "percent", maximum=HUNDRED, hint="write the co-product's share of the item's cost, 0% to 100%"
    ),
}
_QUANTITY, _VALUE, _SHARE = RULES["quantity"], RULES["value"], RULES["share"]

Line = n.ByProductLine | n.CoProductLine


def _kind(line: Line) -> str:
    return "by-product" if isinstance(line, n.ByProductLine) else "co-product"


def joint_products(ctx: Context) -> Iterator[Diagnostic]:
    items = ctx.model.items
    producers: dict[str, tuple[str, n.CoProductLine]] = {}  # co-product -> its first producer and line
    for decl in ctx.of(n.ItemDecl):
        code = decl.code.text
        lines = [s for s in decl.body if isinstance(s, (n.ByProductLine, n.CoProductLine))]
        total = ZERO
        for line in lines:
            who = f"the {_kind(line)} {line.item.text} of item {code}"
            yield from repeated(line.options, who, lambda o: "value N" if o.name == "value" else o.name)
            yield from _ranges(line, who)
            yield from _kinds(code, _kind(line), line.item.text, line.span, line.item.span, items)
            if isinstance(line, n.CoProductLine):
                if line.share is None:
                    yield Diagnostic.error(
                        "missing-field",
                        f"{who} has no share",
                        line.span,
                        "add `share P%`: the part of the item's cost the co-product takes",
                    )
                else:
                    total += line.share.value
                    if total > HUNDRED and total - line.share.value <= HUNDRED:
                        yield _over(code, total, lines, line)
                yield from _second_producer(code, line, producers)


def _ranges(line: Line, who: str) -> Iterator[Diagnostic]:
    checks: list[tuple[str, values.Rule, Decimal | None]] = [("quantity", _QUANTITY, line.quantity)]
    if isinstance(line, n.ByProductLine):
        checks.append(("value", _VALUE, line.value))
    elif line.share is not None:
        checks.append(("share", _SHARE, line.share.value))
    for name, rule, value in checks:
        if value is None:
            continue
        problem = values.value_problem(name, rule, value, who)
        if problem:
            option = next((o for o in line.options if o.name == name), None)
            yield problem.at((option.value_span if option is not None else None) or line.span)


def master_joint_products(ctx: Context) -> Iterator[Diagnostic]:
    """The by- and co-products of CSV items (joint-products.csv, read cell by cell by
    :mod:`costsheet.csvdata.joint`): what may be one, against the merged model, and each co-product
    with one producer, across the ruleset and the CSV files (each line located at its product cell)."""
    items = ctx.model.items
    producers: dict[str, str] = {}  # co-product -> the ruleset item that produces it
    for decl in ctx.of(n.ItemDecl):
        for statement in decl.body:
            if isinstance(statement, n.CoProductLine):
                producers.setdefault(statement.item.text, decl.code.text)
    claimed: dict[str, tuple[str, Span | None]] = {}  # co-product -> the first CSV item that produces it
    for code, item in ctx.master_data.items.items():
        lines: list[ByProduct | CoProduct] = [*item.byproducts, *item.coproducts]
        for line in lines:
            kind = "by-product" if isinstance(line, ByProduct) else "co-product"
            yield from _kinds(code, kind, line.item, line.span, line.span, items)
            if not isinstance(line, CoProduct):
                continue
            if line.item in producers:
                first = f"{producers[line.item]} (in the ruleset)"
            else:
                producer, at = claimed.setdefault(line.item, (code, line.span))
                if producer == code and at is line.span:
                    continue
                first = producer + (_at(at) if at is not None else "")
            yield Diagnostic.error(
                "coproduct-two-producers",
                f"{line.item} is a co-product of {first} and of {code}: a co-product has one producer",
                line.span,
                f"keep one `coproduct {line.item}` line (row), or make one of them a `byproduct`",
            )


def _at(span: Span) -> str:
    return f" (at {span.file}:{span.line}:{span.column})"


def _kinds(
    code: str, kind: str, product: str, span: Span | None, product_span: Span | None, items: Mapping[str, Item]
) -> Iterator[Diagnostic]:
    """A phantom takes no part; a purchased item produces nothing and is no co-product; no item is its own."""
    producer, target = items.get(code), items.get(product)
    if product == code:
        yield Diagnostic.error(
            "joint-product-cycle",
            f"item {code} names itself as its own {kind}",
            product_span,
            f"name another item as the {kind}: an item's {kind} is costed "
            + ("before it" if kind == "by-product" else "after it"),
        )
        return
    if producer is not None and producer.replenishment == PHANTOM:
        yield Diagnostic.error(
            "phantom-joint-product",
            f"item {code} is a phantom and has a {kind} ({product}): a phantom is never produced alone",
            span,
            f"move the `{kind}` line to the items that use {code}, or give {code} `replenishment prod-order`",
        )
    elif producer is not None and producer.replenishment == "purchase":
        yield Diagnostic.error(
            "purchased-joint-product",
            f"item {code} is purchased and has a {kind} ({product}): only a produced item has by- and co-products",
            span,
            f"give {code} `replenishment prod-order` (or assembly), or remove the `{kind}` line",
        )
    if target is None:
        return  # unknown-item, from the references
    if target.replenishment == PHANTOM:
        yield Diagnostic.error(
            "phantom-joint-product",
            f"{product}, the {kind} of item {code}, is a phantom: a phantom is never costed or stocked alone",
            product_span,
            f"name a stocked item as the {kind}, or give {product} another replenishment",
        )
    elif kind == "co-product" and target.replenishment == "purchase":
        yield Diagnostic.error(
            "purchased-joint-product",
            f"{product}, a co-product of item {code}, is a purchased item: a co-product is costed from its "
            "producer's cost",
            product_span,
            f"give {product} `replenishment prod-order`, or make it a `byproduct` (credited at its own cost)",
        )


def _over(code: str, total: Decimal, lines: list[Line], line: n.CoProductLine) -> Diagnostic:
    shares = [(c.item.text, c.share.value) for c in lines if isinstance(c, n.CoProductLine) and c.share]
    return shares_over(code, total, shares, line.span)


def shares_over(code: str, total: Decimal, shares: list[tuple[str, Decimal]], span: Span | None) -> Diagnostic:
    """``coproduct-shares``: the co-products of ``code`` take ``total`` percent, more than 100."""
    listed = ", ".join(f"{item} {readable(share)}%" for item, share in shares)
    return Diagnostic.error(
        "coproduct-shares",
        f"the co-products of item {code} take {readable(total)}% of its cost in total ({listed}), more than 100%",
        span,
        "lower the shares so that they add up to at most 100%: the item keeps the rest",
    )


def _second_producer(
    code: str, line: n.CoProductLine, producers: dict[str, tuple[str, n.CoProductLine]]
) -> Iterator[Diagnostic]:
    first = producers.setdefault(line.item.text, (code, line))
    if first[1] is line:
        return
    where = first[1].span
    at = f" (at {where.file}:{where.line}:{where.column})" if where is not None else ""
    yield Diagnostic.error(
        "coproduct-two-producers",
        f"{line.item.text} is a co-product of {first[0]}{at} and of {code}: a co-product has one producer",
        line.item.span,
        f"keep one `coproduct {line.item.text}` line, or make one of them a `byproduct`",
    )


def joint_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """Cycles of the costing order through a by- or co-product (cycles of BOM lines alone are bom-cycle's).

    Edges: an item's BOM components (every version), its by-products valued at their own cost, and
    for a co-product its producer.  Iterative depth-first search; each cycle once."""
    items = ctx.model.items
    edges: dict[str, list[tuple[str, Span | None, bool]]] = {
        code: [(line.component, line.span, False) for line in item.all_bom_lines] for code, item in items.items()
    }
    for code, item in items.items():
        for by in item.byproducts:
            if by.value is None and by.item != code:
                edges[code].append((by.item, by.span, True))
        for co in item.coproducts:
            if co.item in edges and co.item != code:
                edges[co.item].append((code, co.span, True))
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for root in sorted(items):
        if root in state:
            continue
        path: list[tuple[str, Span | None, bool]] = [(root, None, False)]
        state[root] = 1
        iterators = [iter(edges[root])]
        while iterators:
            edge = next(iterators[-1], None)
            if edge is None:
                iterators.pop()
                state[path.pop()[0]] = 2
                continue
            child = edge[0]
            if child not in items:
                continue
            if state.get(child) == 1:
                codes = [p[0] for p in path]
                start = codes.index(child)
                steps = [*path[start + 1 :], edge]
                joint = [s for s in steps if s[2]]
                if joint and frozenset(codes[start:]) not in reported:
                    reported.add(frozenset(codes[start:]))
                    names = " -> ".join((*codes[start:], child))
                    yield Diagnostic.error(
                        "joint-product-cycle",
                        f"the costing order forms a cycle through by- or co-products: {names}",
                        joint[0][1],
                        "a by-product valued at its own cost is costed before its producer and a co-product after "
                        "it; remove one line of the cycle, or give the by-product a `value N`",
                    )
            elif child not in state:
                state[child] = 1
                path.append(edge)
                iterators.append(iter(edges[child]))
