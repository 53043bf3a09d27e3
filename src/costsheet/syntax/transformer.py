"""Parse results → syntax nodes.

The transformer is handed to Lark's LALR parser, so nodes are built while
parsing (no intermediate tree).  Rules marked ``!`` in the
grammar keep their keyword tokens so that a node's span runs from its first
keyword to its last token; :meth:`AstBuilder._parts` drops keyword and
punctuation tokens again before a callback unpacks its arguments.

No checks live here: an exception raised inside a transformer reaches the
caller as a ``VisitError``.  Anything questionable is kept as written for the
checker to judge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, overload

import attrs
from lark import Token, Transformer

from ..diagnostics import Span
from . import nodes as n
from .fastlark import retyped

__all__ = ["AstBuilder", "unescape", "InvalidDate", "Oversized", "WHOLE_DIGITS"]

#: Token types that carry a value; every other token is a keyword or punctuation.
_VALUE_TOKENS = frozenset(
    {
        "CODE",
        "GROUP",
        "STRING",
        "NUMBER",
        "INT",
        "PERCENT",
        "TIME",
        "RATE",
        "DATE",
        "DECIMALS_RANGE",
        "F_NUMBER",
        "ROW",
        "ADD_OP",
        "MUL_OP",
        "F_MINUS",
        "KEYWORD",
    }
)
_ESCAPES = {"n": "\n", '"': '"', "\\": "\\", "t": "\t"}

#: What Lark hands a rule's callback: tokens, ``None`` for an optional part left out, and the
#: nodes the callbacks below built.  The grammar, not Python, says which comes where, so each
#: callback unpacks its own (and the tests of the parser hold it to the grammar).
Children = list[Any]


def unescape(quoted: str) -> str:
    """The text of a string literal: quotes removed, ``\\"``, ``\\\\``, ``\\n`` resolved."""
    body = quoted[1:-1]
    if "\\" not in body:
        return body
    out = []
    chars = iter(body)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


def _decimal(token: str) -> Decimal:
    return Decimal(token)


#: Whole numbers (entry numbers, counts of decimals) of more digits than this
#: (10^14 or more) are kept as written (:class:`Oversized`), never converted to int.
WHOLE_DIGITS = 14


class Oversized(str):
    """A whole number of 10^14 or more, kept as written: every number is below
    10^14 (docs/language.md, "Limits"), and the checker reports this one
    (``out-of-range``).  Never converted to int: Python refuses to read
    integers of more than 4,300 digits, and nothing needs one."""


def _whole(token: str, number: Decimal | None = None) -> int:
    """An INT token, or a whole NUMBER already read as ``number``."""
    number = Decimal(token) if number is None else number
    if number.adjusted() >= WHOLE_DIGITS:
        # the marker travels where a whole number belongs; the checker reports it before any stage counts with it
        return Oversized(token)  # type: ignore[return-value]
    return int(number)


def _date(token: str) -> dt.date:
    """A DATE token; an impossible date (2026-02-30) is kept as the nearest
    representable marker and reported by the checker (see ``InvalidDate``)."""
    try:
        return dt.date.fromisoformat(str(token))
    except ValueError:
        # the marker travels where a date belongs; the checker reports it before any stage reads a date
        return InvalidDate(str(token))  # type: ignore[return-value]


class InvalidDate(str):
    """A date that looks like a date but does not exist (``2026-02-30``); the checker reports it."""


def _setting_builder(key: str, word: bool = False) -> Callable[[AstBuilder, Children], n.Setting]:
    """The callback of a setting ``key``: its value a word of the language, else a field value."""

    def build(self: AstBuilder, children: Children) -> n.Setting:
        (token,) = self._parts(children)
        value = self._word(token) if word else self._value(token)
        return n.Setting(key, value, span=self._span(children))

    build.__name__ = f"setting_{key.replace('-', '_')}"
    return build


def _option_builder(name: str, convert: Callable[[Token], object]) -> Callable[[AstBuilder, Children], n.Field]:
    """The callback of the keyword option ``name``: one Field, its value ``convert``-ed."""

    def build(self: AstBuilder, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field(name, convert(token), span=self._span(children), value_span=self._token_span(token))

    build.__name__ = f"option_{name.replace('-', '_')}"
    return build


class AstBuilder(Transformer[Token, n.SourceFile]):
    """Build :mod:`costsheet.syntax.nodes` from Lark callbacks.

    ``file`` names the source in every span.
    """

    def __init__(self, file: str = "<text>") -> None:
        super().__init__(visit_tokens=False)
        self.file = file

    # ------------------------------------------------------------ helpers

    def _file(self) -> str:
        """The file the spans name (a method, so that a subclass may read it from elsewhere)."""
        return self.file

    def _span(self, children: Sequence[Any]) -> Span | None:
        """From the first positioned child to the last one (a hot path: one call per node)."""
        first: Any  # a Token or a node's Span: both have line, column, end_line and end_column
        last: Any
        for first in children:
            if first is not None and (type(first) is Token or (first := getattr(first, "span", None)) is not None):
                break
        else:
            return None
        for last in reversed(children):
            if last is not None and (type(last) is Token or (last := getattr(last, "span", None)) is not None):
                break
        # (narrowed to a Token, whose positions lark types int | None; the parser's always have them)
        return Span(self._file(), first.line, first.column, last.end_line, last.end_column)  # type: ignore[arg-type]

    def _token_span(self, token: Token) -> Span:
        # the parser's tokens always carry their position (lark types it int | None)
        return Span(self._file(), token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]

    @staticmethod
    def _parts(children: Children) -> Children:
        """Children without keyword and punctuation tokens (``None`` placeholders stay; every
        token is a :class:`lark.Token` itself, never of a subclass)."""
        return [c for c in children if type(c) is not Token or c.type in _VALUE_TOKENS]

    @overload
    def _code(self, token: Token) -> n.Code: ...
    @overload
    def _code(self, token: None) -> None: ...
    def _code(self, token: Token | None) -> n.Code | None:
        if token is None:
            return None
        text = unescape(token) if token.type == "STRING" else str(token)
        span = Span(self._file(), token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]
        return n.Code(text, span=span)  # (the span written out: a code per token makes this a hot path)

    @overload
    def _word(self, token: Token) -> n.Word: ...
    @overload
    def _word(self, token: None) -> None: ...
    def _word(self, token: Token | None) -> n.Word | None:
        """A word of the language (see :class:`~costsheet.syntax.nodes.Word`), bare or quoted."""
        if token is None:
            return None
        text = unescape(token) if token.type == "STRING" else str(token)
        return n.Word(text, span=self._token_span(token))

    @staticmethod
    def _text(token: Token | None) -> str | None:
        return None if token is None else unescape(token)

    def _value(self, token: Token) -> n.Code | Decimal | n.Percent | n.RateValue | None:
        """A field or setting value: Code, Decimal, Percent or RateValue."""
        kind = token.type
        if kind == "NUMBER":
            return _decimal(token)
        if kind == "PERCENT":
            return n.Percent(_decimal(token[:-1]))
        if kind == "RATE":
            amount, _, unit = token.partition("/")
            return n.RateValue(_decimal(amount), unit)
        return self._code(token)

    # ------------------------------------------------------------ ruleset

    def ruleset(self, children: Children) -> n.SourceFile:
        return n.SourceFile(tuple(c for c in children if not isinstance(c, Token)), file=self.file)

    def include(self, children: Children) -> n.Include:
        (path,) = self._parts(children)
        return n.Include(unescape(path), span=self._span(children))

    # ------------------------------------------------------------ setup

    def setup(self, children: Children) -> n.SetupBlock:
        return n.SetupBlock(tuple(self._parts(children)), span=self._span(children))

    # settings whose value is a word of the language, not a code
    setting_cost_base = _setting_builder("cost-base", word=True)
    setting_copy_standard_cost = _setting_builder("copy-standard-cost", word=True)
    setting_explode_bom = _setting_builder("explode-bom", word=True)
    setting_average_cost_period = _setting_builder("average-cost-period", word=True)
    setting_average_cost_calc = _setting_builder("average-cost-calc", word=True)
    setting_amount_precision = _setting_builder("amount-precision")
    setting_include_physical_value = _setting_builder("include-physical-value", word=True)
    setting_currency = _setting_builder("currency")

    def setting_master_data(self, children: Children) -> n.Setting:
        (token,) = self._parts(children)
        return n.Setting("master-data", unescape(token), span=self._span(children))

    def setting_decimals(self, children: Children) -> n.Setting:
        subject, value = self._parts(children)
        decimals: n.DecimalsRange | Decimal
        if value.type == "DECIMALS_RANGE":
            low, _, high = value.partition(":")
            decimals = n.DecimalsRange(_whole(low), _whole(high))
        else:
            number = _decimal(value)
            if number == number.to_integral_value() and number >= 0:
                count = _whole(value, number)
                decimals = n.DecimalsRange(count, count, single=True)
            else:
                decimals = number
        return n.Setting(f"decimals {subject}", decimals, span=self._span(children))

    def setting_default(self, children: Children) -> n.Setting:
        kind, code = self._parts(children)
        return n.Setting(f"default {kind}", self._code(code), span=self._span(children))

    def setting_assembly(self, children: Children) -> n.Setting:
        direct, overhead = self._parts(children)
        value = n.AssemblyElements(self._code(direct), self._code(overhead))
        return n.Setting("assembly", value, span=self._span(children))

    # keyword rules (``!rule``) hand their word up as a KEYWORD token, which
    # keeps its position for the parent's span and survives ``_parts``
    def _keyword(self, children: Children) -> Token:
        (token,) = children
        return retyped(token, "KEYWORD")

    decimals_subject = default_kind = chart_kind = cost_group = condition_kind = header_role = _keyword
    code_field = word_field = number_field = percent_field = rate_field = _keyword
    rounding_keyword = price_keyword = discount_keyword = standard_cost_keyword = exchange_rate_keyword = _keyword
    list_price_keyword = unit_price_keyword = sales_price_keyword = _keyword

    def decimals(self, children: Children) -> Token:
        token: Token = children[0]
        return token

    # ------------------------------------------------------------ chart

    def chart(self, children: Children) -> n.ChartBlock:
        return n.ChartBlock(tuple(self._parts(children)), span=self._span(children))

    def chart_entry(self, children: Children) -> n.ChartEntry:
        code, kind, description, group = self._parts(children)
        return n.ChartEntry(
            self._code(code),
            str(kind),
            unescape(description),
            self._word(group),
            None,
            span=self._span(children),
        )

    def chart_total(self, children: Children) -> n.ChartEntry:
        code, description, group, parts = self._parts(children)
        span = self._span(children)  # the filter is a tuple, without a span of its own
        assert span is not None, "the keyword total is positioned"
        end = parts[-1].span
        span = Span(span.file, span.line, span.column, end.end_line, end.end_column)
        return n.ChartEntry(
            self._code(code),
            "total",
            unescape(description),
            self._word(group),
            parts,
            span=span,
        )

    def filter(self, children: Children) -> tuple[n.FilterPart, ...]:
        return tuple(self._parts(children))

    def filter_part(self, children: Children) -> n.FilterPart:
        low, high = self._parts(children)
        return n.FilterPart(self._code(low), self._code(high), span=self._span(children))

    # ------------------------------------------------------------ rounding

    def rounding(self, children: Children) -> n.RoundingDecl:
        _, code, direction, precision, minimum = self._parts(children)
        return n.RoundingDecl(
            self._code(code),
            self._code(direction).text,
            _decimal(precision),
            None if minimum is None else _decimal(minimum),
            span=self._span(children),
        )

    # ------------------------------------------------------------ conditions

    def condition(self, children: Children) -> n.ConditionDecl:
        kind, code, description, *body = self._parts(children)
        return n.ConditionDecl(
            str(kind), self._code(code), self._text(description), tuple(body), span=self._span(children)
        )

    def header(self, children: Children) -> n.Header:
        role, code = self._parts(children)
        return n.Header(str(role), self._code(code), span=self._span(children))

    def copy_price(self, children: Children) -> n.CopyPrice:
        words = [self._code(t).text for t in children if t.type in ("CODE", "STRING")]
        return n.CopyPrice("+".join(words), span=self._span(children))

    def sales_type(self, children: Children) -> n.SalesTypeStmt:
        kind, code = self._parts(children)
        return n.SalesTypeStmt(self._code(kind).text, self._code(code), span=self._span(children))

    def line(self, children: Children) -> n.Line:
        element, description, *options = self._parts(children)
        return n.Line(self._code(element), unescape(description), tuple(options), span=self._span(children))

    def row(self, children: Children) -> n.Field:
        (code,) = self._parts(children)
        return n.Field("row", self._code(code), span=self._span(children))

    def value_percent(self, children: Children) -> n.LineValue:
        (token,) = self._parts(children)
        number = _decimal(token[:-1] if token.type == "PERCENT" else token)
        return n.LineValue("percent", number, span=self._span(children))

    def value_amount(self, children: Children) -> n.LineValue:
        (token,) = self._parts(children)
        return n.LineValue("amount", _decimal(token), span=self._span(children))

    def value_element(self, children: Children) -> n.LineValue:
        (token,) = self._parts(children)
        return n.LineValue("element", self._code(token), span=self._span(children))

    def value_formula(self, children: Children) -> n.LineValue:
        (token,) = self._parts(children)
        return n.LineValue("formula", unescape(token), span=self._token_span(token))

    def flag_setup_only(self, children: Children) -> n.Flag:
        return n.Flag("setup-only", span=self._span(children))

    def flag_allocation(self, children: Children) -> n.Flag:
        (token,) = self._parts(children)
        return n.Flag("allocation", n.Percent(_decimal(token[:-1])), span=self._span(children))

    def flag_round(self, children: Children) -> n.Flag:
        (method,) = self._parts(children)
        return n.Flag("round", self._code(method), span=self._span(children))

    def flag_list_price(self, children: Children) -> n.Flag:
        return n.Flag("list-price", span=self._span(children))

    def flag_bold(self, children: Children) -> n.Flag:
        return n.Flag("bold", span=self._span(children))

    # ------------------------------------------------------------ master data

    def item(self, children: Children) -> n.ItemDecl:
        code, description, *body = self._parts(children)
        return n.ItemDecl(self._code(code), self._text(description), tuple(body), span=self._span(children))

    def field(self, children: Children) -> n.Field:
        name, token = self._parts(children)
        return n.Field(str(name), self._value(token), span=self._span(children), value_span=self._token_span(token))

    def field_word(self, children: Children) -> n.Field:
        name, token = self._parts(children)
        return n.Field(str(name), self._word(token), span=self._span(children), value_span=self._token_span(token))

    def condition_ref(self, children: Children) -> n.ConditionRef:
        kind, code = self._parts(children)
        return n.ConditionRef(None if kind is None else str(kind), self._code(code), span=self._span(children))

    def unit_of_measure(self, children: Children) -> n.UnitOfMeasure:
        code, factor = self._parts(children)
        return n.UnitOfMeasure(self._code(code), _decimal(factor), span=self._span(children))

    def option_unit(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("unit", self._code(token), span=self._span(children))

    def option_per(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("per", self._code(token), span=self._span(children))

    def bom(self, children: Children) -> n.BomBlock:
        version, *entries = self._parts(children)
        return n.BomBlock(tuple(entries), version, span=self._span(children))

    def byproduct(self, children: Children) -> n.ByProductLine:
        item, quantity, *options = self._parts(children)
        return n.ByProductLine(self._code(item), _decimal(quantity), tuple(options), span=self._span(children))

    def coproduct(self, children: Children) -> n.CoProductLine:
        item, quantity, *options = self._parts(children)
        return n.CoProductLine(self._code(item), _decimal(quantity), tuple(options), span=self._span(children))

    def bom_entry(self, children: Children) -> n.BomEntry:
        component, quantity, *options = self._parts(children)
        return n.BomEntry(self._code(component), _decimal(quantity), tuple(options), span=self._span(children))

    def routing(self, children: Children) -> n.RoutingBlock:
        version, *entries = self._parts(children)
        return n.RoutingBlock(tuple(entries), version, span=self._span(children))

    def routing_entry(self, children: Children) -> n.RoutingEntry:
        operation, resource, *options = self._parts(children)
        return n.RoutingEntry(self._code(operation), self._code(resource), tuple(options), span=self._span(children))

    def workcenter(self, children: Children) -> n.WorkCenterDecl:
        code, description, *body = self._parts(children)
        return n.WorkCenterDecl(self._code(code), self._text(description), tuple(body), span=self._span(children))

    def machinecenter(self, children: Children) -> n.MachineCenterDecl:
        code, description, work_center, *body = self._parts(children)
        return n.MachineCenterDecl(
            self._code(code),
            self._text(description),
            self._code(work_center),
            tuple(body),
            span=self._span(children),
        )

    def vendor(self, children: Children) -> n.VendorDecl:
        code, name, *body = self._parts(children)  # the block's fields, and a placeholder per brace without one
        fields = tuple(field for field in body if field is not None)
        return n.VendorDecl(self._code(code), self._text(name), span=self._span(children), body=fields)

    def vendor_currency(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("currency", self._code(token), span=self._span(children))

    def exchange_rate(self, children: Children) -> n.ExchangeRateDecl:
        _, currency, starting, rate = self._parts(children)
        return n.ExchangeRateDecl(self._code(currency), _date(starting), _decimal(rate), span=self._span(children))

    def price(self, children: Children) -> n.PriceDecl:
        _, item, vendor, *options = self._parts(children)
        return n.PriceDecl(self._code(item), self._code(vendor), tuple(options), span=self._span(children))

    def discount(self, children: Children) -> n.DiscountDecl:
        _, item, vendor, *options = self._parts(children)
        return n.DiscountDecl(self._code(item), self._code(vendor), tuple(options), span=self._span(children))

    # keyword options of a line: one Field each, named by its keyword
    option_from = _option_builder("from", _date)
    option_to = _option_builder("to", _date)
    option_min_qty = _option_builder("min-qty", _decimal)
    option_unit_cost = _option_builder("unit-cost", _decimal)
    option_percent = _option_builder("percent", lambda token: n.Percent(_decimal(token[:-1])))
    option_scrap = _option_builder("scrap", lambda token: n.Percent(_decimal(token[:-1])))
    option_share = _option_builder("share", lambda token: n.Percent(_decimal(token[:-1])))
    option_value = _option_builder("value", _decimal)
    option_setup = _option_builder("setup", lambda token: _duration(token))
    option_run = _option_builder("run", lambda token: _duration(token))

    def option_order(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("order", self._code(token), span=self._span(children))

    capacity_order = option_order
    capacity_setup = option_setup
    capacity_run = option_run

    # ------------------------------------------------------------ dated standard costs

    def standard_cost(self, children: Children) -> n.StandardCostDecl:
        _, item, starting, amount, shares = self._parts(children)
        return n.StandardCostDecl(
            self._code(item),
            _date(starting),
            _decimal(amount),
            shares,
            span=self._span(children),
            amount_span=self._token_span(amount),
        )

    def list_price_record(self, children: Children) -> n.PriceRecordDecl:
        keyword, item, *rest = self._parts(children)
        sales_type = rest[0] if len(rest) == 3 else None
        starting, amount = rest[-2:]
        return n.PriceRecordDecl(
            str(keyword),
            self._code(item),
            _date(starting),
            _decimal(amount),
            sales_type,
            span=self._span(children),
            amount_span=self._token_span(amount),
        )

    unit_price_record = sales_price_record = list_price_record

    def price_sales_type(self, children: Children) -> n.SalesTypeStmt:
        kind, code = self._parts(children)
        return n.SalesTypeStmt(self._code(kind).text, self._code(code), span=self._span(children))

    def shares(self, children: Children) -> n.SharesBlock:
        return n.SharesBlock(tuple(self._parts(children)), span=self._span(children))

    def share(self, children: Children) -> n.Share:
        kind, amount = self._parts(children)
        return n.Share(
            self._word(kind), _decimal(amount), span=self._span(children), amount_span=self._token_span(amount)
        )

    # ------------------------------------------------------------ scenarios and simulations

    def scenario(self, children: Children) -> n.ScenarioDecl:
        code, description, *changes = self._parts(children)
        return n.ScenarioDecl(self._code(code), self._text(description), tuple(changes), span=self._span(children))

    def change(self, children: Children) -> n.Change:
        target, token = children
        value = unescape(token) if token.type == "STRING" else self._value(token)
        return n.Change(target, value, span=self._span(children))

    def simulation(self, children: Children) -> n.SimulationDecl:
        code, description, *body = self._parts(children)
        return n.SimulationDecl(self._code(code), self._text(description), tuple(body), span=self._span(children))

    def simulation_setting(self, children: Children) -> n.Field:
        name, value = children
        return n.Field(str(name), _decimal(value), span=self._span(children))

    def variation(self, children: Children) -> n.Variation:
        target, distribution = children
        return n.Variation(target, distribution, span=self._span(children))

    def distribution(self, children: Children) -> n.Distribution:
        kind, *parameters = children
        values = tuple(self._value(token) for token in parameters)
        return n.Distribution(str(kind), values, span=self._span(children))

    def target_field(self, children: Children) -> n.Target:
        kind, code, field = children
        return n.Target(str(kind), self._code(code), self._word(field), span=self._span(children))

    def target_lines(self, children: Children) -> n.Target:
        item, vendor = self._parts(children)
        return n.Target(str(children[0]), self._code(item), vendor=self._code(vendor), span=self._span(children))

    def target_condition_line(self, children: Children) -> n.Target:
        code, line, kind = self._parts(children)
        return n.Target("condition", self._code(code), self._word(kind), line=_whole(line), span=self._span(children))

    def target_currency(self, children: Children) -> n.Target:
        (code,) = self._parts(children)
        return n.Target("exchange-rate", self._code(code), span=self._span(children))

    # ------------------------------------------------------------ ledgers

    def ledger(self, children: Children) -> n.LedgerDecl:
        item, *lines = self._parts(children)
        return n.LedgerDecl(self._code(item), tuple(lines), span=self._span(children))

    def entry_line(self, children: Children) -> n.EntryLine:
        date, kind, quantity, *options = self._parts(children)
        return n.EntryLine(
            _date(date), self._code(kind).text, _decimal(quantity), tuple(options), span=self._span(children)
        )

    def option_cost(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("cost", _decimal(token), span=self._span(children))

    def option_location(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("location", self._code(token), span=self._span(children))

    def option_variant(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("variant", self._code(token), span=self._span(children))

    def option_applies_to(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("applies-to", _whole(token), span=self._span(children))

    def option_expected_cost(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("expected-cost", _decimal(token), span=self._span(children))

    def option_applies_from(self, children: Children) -> n.Field:
        (token,) = self._parts(children)
        return n.Field("applies-from", _whole(token), span=self._span(children))

    def option_physical(self, children: Children) -> n.Field:
        return n.Field("physical", True, span=self._span(children))

    def charge_line(self, children: Children) -> n.LedgerCharge:
        date, entry, amount = self._parts(children)
        return n.LedgerCharge(_date(date), _whole(entry), _decimal(amount), span=self._span(children))

    def revaluation_line(self, children: Children) -> n.LedgerRevaluation:
        date, entry, unit_cost = self._parts(children)
        return n.LedgerRevaluation(
            _date(date), None if entry is None else _whole(entry), _decimal(unit_cost), span=self._span(children)
        )

    def invoice_line(self, children: Children) -> n.LedgerInvoice:
        date, entry, cost = self._parts(children)
        return n.LedgerInvoice(_date(date), _whole(entry), _decimal(cost), span=self._span(children))

    def capacity_line(self, children: Children) -> n.CapacityLine:
        date, resource, time, *options = self._parts(children)
        return n.CapacityLine(
            _date(date), self._code(resource), _duration(time), tuple(options), span=self._span(children)
        )

    def accounting_periods(self, children: Children) -> n.AccountingPeriods:
        dates = tuple(_date(t) for t in self._parts(children))
        return n.AccountingPeriods(dates, span=self._span(children))

    # ------------------------------------------------------------ formulas

    def formula(self, children: Children) -> n.Formula:
        expression: n.Formula
        (expression,) = self._parts(children)
        return expression

    def number(self, children: Children) -> n.Num:
        (token,) = children
        return n.Num(_decimal(token), span=self._token_span(token))

    def row_ref(self, children: Children) -> n.Row:
        (token,) = children
        return n.Row(str(token), span=self._token_span(token))

    def negate(self, children: Children) -> n.Unary:
        _minus, operand = children
        return n.Unary("-", operand, span=self._span(children))

    def binary(self, children: Children) -> n.Binary:
        left, op, right = children
        symbol = "-" if op.type == "F_MINUS" else str(op)
        return n.Binary(symbol, left, right, span=self._span(children))

    def parenthesised(self, children: Children) -> n.Formula:
        """The inner expression, its span widened to cover the parentheses (no node of its own)."""
        inner: n.Formula
        _open, inner, _close = children
        return attrs.evolve(inner, span=self._span(children))


def _duration(token: Token | None) -> n.Duration | None:
    if token is None:
        return None
    text = str(token)
    for unit in ("min", "s", "h", "d"):
        if text.endswith(unit):
            return n.Duration(_decimal(text[: -len(unit)]), unit)
    raise AssertionError(f"TIME token without a unit: {text!r}")  # the grammar forbids it
