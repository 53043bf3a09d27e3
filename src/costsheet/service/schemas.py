"""The request and answer bodies, as pydantic models (they generate the OpenAPI document).

Amounts and quantities are decimal strings, never JSON numbers, as in the
command line's ``--format json`` (docs/costing.md, docs/valuation.md);
unknown fields are refused so that a misspelt option (``lotsize``) is an
error, not silently ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CalculateAnswer",
    "CalculateRequest",
    "DiagnosticModel",
    "ErrorAnswer",
    "FormulaAnswer",
    "FormulaRequest",
    "HealthAnswer",
    "RulesetAnswer",
    "RulesetRequest",
    "ValueAnswer",
    "ValueRequest",
]

#: an ISO date, checked for being a real day when the request is served
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: a decimal quantity as the language writes it: digits, an optional fraction, no exponent
DECIMAL_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,15})?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiagnosticModel(BaseModel):
    """One diagnostic, as ``costsheet check --format json`` writes it (docs/errors.md).

    Positions are inside the submitted text.
    """

    severity: Literal["error", "warning"]
    file: str | None = Field(description="The submitted file name (`<formula>` for a formula).")
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None = Field(description="Exclusive.")
    code: str = Field(description="Stable kebab-case code, see docs/errors.md.")
    message: str
    hint: str | None = Field(default=None, description="How to fix it.")


class ErrorAnswer(BaseModel):
    """Why a request was refused."""

    code: str = Field(description="Stable kebab-case code, e.g. `request-too-large`, `formula-too-deep`.")
    detail: str = Field(description="What was wrong, in words.")
    diagnostics: list[DiagnosticModel] = Field(default_factory=list)


class HealthAnswer(BaseModel):
    status: Literal["ok"]
    version: str


class FormulaRequest(_Strict):
    """A formula of a charge condition line, e.g. ``15 % C`` or ``2 § (C + D)``."""

    formula: str = Field(description="The formula text (not quoted).", examples=["2 § (C + D)"])
    rows: list[str] | None = Field(
        default=None,
        description="The rows the formula may name; when given, naming any other row is an error.",
        examples=[["A", "B", "C", "D"]],
    )


class FormulaAnswer(BaseModel):
    valid: bool = Field(description="True when there is no error (warnings may remain).")
    rows_used: list[str] = Field(description="The rows the formula names, in order of first use.")
    diagnostics: list[DiagnosticModel]


class _RulesetSource(_Strict):
    text: str | None = Field(default=None, description="The ruleset, as one text (file name `ruleset.cost`).")
    files: dict[str, str] | None = Field(
        default=None,
        description="Several files, {name: text}; `include` lines resolve among these names only.",
        examples=[{"main.cost": 'include "parts.cost"\n', "parts.cost": 'vendor V-1 "Supplier"\n'}],
    )
    main: str | None = Field(
        default=None, description="The file to load when `files` holds several (default: the first one)."
    )


class RulesetRequest(_RulesetSource):
    """A ruleset to check: `text`, or `files` (+ `main`)."""


class RulesetAnswer(BaseModel):
    valid: bool = Field(description="True when there is no error (warnings may remain).")
    errors: int
    warnings: int
    diagnostics: list[DiagnosticModel]


class CalculateRequest(_RulesetSource):
    """Cost one item of a submitted ruleset."""

    item: str = Field(min_length=1, examples=["ICO-0001"])
    lot_size: str | None = Field(
        default=None,
        pattern=DECIMAL_PATTERN,
        description="Decimal text; the item's lot size when omitted.",
        examples=["10"],
    )
    date: str | None = Field(
        default=None,
        pattern=DATE_PATTERN,
        description="ISO date (YYYY-MM-DD); today when omitted.",
        json_schema_extra={"format": "date"},
        examples=["2026-11-22"],
    )


class CalculateAnswer(BaseModel):
    result: dict[str, Any] = Field(
        description="The calculation, exactly as `costsheet calc --format json` writes it; its `bom` is the "
        'costing BOM as a graph, `{"root": ITEM, "nodes": {ITEM: {..., "lines": [{"component": ITEM, '
        '"quantity": "2"}]}}}`, each item once (docs/costing.md).'
    )
    diagnostics: list[DiagnosticModel] = Field(description="Warnings about the ruleset or the calculation.")
    history_id: int | None = Field(description="The id in the calculation history, when it was recorded.")


class ValueRequest(_RulesetSource):
    """Value the ledgers of a submitted ruleset."""

    item: str | None = Field(default=None, min_length=1, description="Only this item's ledger.")
    as_of: str | None = Field(
        default=None,
        pattern=DATE_PATTERN,
        description="ISO date (YYYY-MM-DD); every entry when omitted.",
        json_schema_extra={"format": "date"},
        examples=["2026-06-30"],
    )


class ValueAnswer(BaseModel):
    result: dict[str, Any] = Field(
        description="The valuation, exactly as `costsheet value --format json` writes it (docs/valuation.md)."
    )
    diagnostics: list[DiagnosticModel]
