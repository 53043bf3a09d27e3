"""Setup settings (docs/language.md, "Setup"): each given once, each with a value it allows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..model import ConditionKind
from ..numbers import readable
from ..syntax import nodes as n
from .context import Context, describe_value
from .groups import group_mismatch
from .values import shortened
from .vocabulary import SETTING_WORDS, suggest
from .written import MOST_PLACES

__all__ = ["duplicate_settings", "setting_values", "assembly_groups"]


def _settings(ctx: Context) -> Iterator[n.Setting]:
    for block in ctx.of(n.SetupBlock):
        yield from block.settings


def duplicate_settings(ctx: Context) -> Iterator[Diagnostic]:
    """A setting given twice is an error, also across setup blocks (docs/language.md, "Setup")."""
    first: dict[str, n.Setting] = {}
    for setting in _settings(ctx):
        earlier = first.setdefault(setting.key, setting)
        if earlier is not setting:
            where = f"{earlier.span.file}:{earlier.span.line}" if earlier.span else "earlier"
            yield Diagnostic.error(
                "duplicate-setting",
                f"the setting {setting.key} is given twice (first at {where})",
                setting.span,
                "keep one of the two: settings may be spread over several setup blocks, but each is given once",
            )


def setting_values(ctx: Context) -> Iterator[Diagnostic]:
    for setting in _settings(ctx):
        value = setting.value
        if setting.key in SETTING_WORDS:
            words = SETTING_WORDS[setting.key]
            if not isinstance(value, n.Word):
                yield Diagnostic.error(
                    "wrong-value-kind",
                    f"{setting.key} expects a word, found {describe_value(value)}",
                    setting.span,
                    suggest("", words),
                )
            elif value.text not in words:
                yield Diagnostic.error(
                    "unknown-value",
                    f"{value.text} is not a value of {setting.key}",
                    value.span,
                    suggest(value.text, words),
                )
        elif setting.key.startswith("decimals "):
            if not isinstance(value, n.DecimalsRange):
                yield Diagnostic.error(
                    "wrong-value-kind",
                    f"{setting.key} expects a whole number of decimals or MIN:MAX, found {describe_value(value)}",
                    setting.span,
                    "write e.g. `2` or `2:5`",
                )
            elif not all(isinstance(count, int) and count <= MOST_PLACES for count in (value.low, value.high)):
                written = value.low if value.single else f"{value.low}:{value.high}"
                yield Diagnostic.error(
                    "out-of-range",
                    f"{setting.key} {shortened(str(written))} shows more decimals than costsheet "
                    f"calculates with (at most {MOST_PLACES})",
                    setting.span,
                    f"write counts from 0 to {MOST_PLACES}, e.g. `2` or `2:5`",
                )
            elif value.low > value.high:
                yield Diagnostic.error(
                    "decimals-range",
                    f"{setting.key} shows at least {value.low} and at most {value.high} decimals",
                    setting.span,
                    f"write the smaller number first: {value.high}:{value.low}",
                )
        elif setting.key == "amount-precision":
            if not isinstance(value, Decimal):
                yield Diagnostic.error(
                    "wrong-value-kind",
                    f"amount-precision expects a number, found {describe_value(value)}",
                    setting.span,
                    "write the smallest amount, e.g. 0.01",
                )
            elif value <= 0:
                yield Diagnostic.error(
                    "out-of-range",
                    f"amount-precision must be greater than 0, not {readable(value)}",
                    setting.span,
                    "write the smallest amount ledger costs are rounded to, e.g. 0.01",
                )


def assembly_groups(ctx: Context) -> Iterator[Diagnostic]:
    """Setup's ``assembly`` elements take the roles of a production condition's headers (docs/language.md, "Setup")."""
    for setting in _settings(ctx):
        if setting.key == "assembly" and isinstance(setting.value, n.AssemblyElements):
            for role, code in (("direct", setting.value.direct), ("overhead", setting.value.overhead)):
                yield from group_mismatch(ctx, code, ConditionKind.PRODUCTION, role, f"setup `assembly {role}`")
