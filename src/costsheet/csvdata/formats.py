"""How a CSV file writes its text: encoding, separator, numbers and dates.

The canonical way is the way a ``.cost`` file writes values: UTF-8, comma
separated, ``1234.50`` (a point, no thousands separator), ``2026-01-31``.
An ERP export writes them as its user's locale does (``1.234,50``,
``31.01.2026``, semicolons, Windows-1252); the mapping file (``csv.rules``,
:mod:`costsheet.csvdata.mapping`) says how, as a :class:`Format`.  A
:class:`Format` turns such a number or date back into the canonical text;
the value then obeys the rules every value obeys (:mod:`costsheet.check.values`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import attrs

__all__ = [
    "Format",
    "CANONICAL",
    "SPACES",
    "TIME_UNITS",
    "DateFormat",
    "date_format",
    "number_pattern",
    "number_reader",
]

#: a thousands separator written ``space`` is any of these (exports write a no-break space too)
SPACES = " \u00a0\u202f"
#: the units of a time, as in a .cost file (``30min``, ``1.5h``)
TIME_UNITS = ("s", "min", "h", "d")


@attrs.frozen
class Format:
    """How one file is written.  ``thousands`` is "" (none) or the separator (``" "`` stands for
    any of :data:`SPACES`); ``date`` is a :class:`DateFormat` pattern such as ``dd.mm.yyyy``."""

    encoding: str = "utf-8"
    separator: str = ","
    decimal_comma: bool = False
    thousands: str = ""
    date: str = "yyyy-mm-dd"

    @property
    def decimal(self) -> str:
        return "," if self.decimal_comma else "."

    @property
    def canonical_numbers(self) -> bool:
        return not self.decimal_comma and not self.thousands

    def number(self, text: str) -> str | None:
        """``text`` as a .cost file writes the number (``1.234,50`` -> ``1234.50``), or None when
        it is not a number written this way."""
        return number_reader(self.decimal_comma, self.thousands)(text)

    def example(self) -> str:
        """1234.50 written this way, for hints."""
        return f"1{self.thousands}234{self.decimal}50"


#: the canonical format: what a file without a mapping is read as
CANONICAL = Format()


@functools.lru_cache(maxsize=16)
def number_reader(decimal_comma: bool, thousands: str) -> Callable[[str], str | None]:
    """What :meth:`Format.number` does, built once per format (a CSV file reads many numbers)."""
    fullmatch = number_pattern(decimal_comma, thousands).fullmatch
    ungrouped = str.maketrans("", "", SPACES if thousands == " " else thousands)

    def read(text: str) -> str | None:
        match = fullmatch(text)
        if match is None:
            return None
        sign, whole, fraction = match.groups()
        if thousands:
            whole = whole.translate(ungrouped)
        return f"{sign}{whole}.{fraction}" if fraction is not None else f"{sign}{whole}"

    return read


@functools.lru_cache(maxsize=16)
def number_pattern(decimal_comma: bool, thousands: str) -> re.Pattern[str]:
    """A number with an optional sign, digits (grouped by three with ``thousands``, or not grouped
    at all) and an optional fraction after the decimal separator."""
    decimal = re.escape("," if decimal_comma else ".")
    if thousands:
        group = f"[{re.escape(SPACES)}]" if thousands == " " else re.escape(thousands)
        whole = rf"\d{{1,3}}(?:{group}\d{{3}})+|\d+"
    else:
        whole = r"\d+"
    return re.compile(rf"([+\-]?)({whole})(?:{decimal}(\d+))?")


@attrs.frozen
class DateFormat:
    """A date pattern compiled: ``dd.mm.yyyy`` reads ``31.01.2026``."""

    pattern: str
    regex: re.Pattern[str]

    def read(self, text: str) -> tuple[int, int, int] | None:
        """(year, month, day) as written, or None when ``text`` is not written this way
        (whether the calendar has that day is the caller's question)."""
        match = self.regex.fullmatch(text)
        if match is None:
            return None
        return int(match["year"]), int(match["month"]), int(match["day"])


_DATE_TOKENS = {
    "yyyy": ("year", r"\d{4}"),
    "mm": ("month", r"\d{2}"),
    "m": ("month", r"\d{1,2}"),
    "dd": ("day", r"\d{2}"),
    "d": ("day", r"\d{1,2}"),
}
_DATE_PARTS = re.compile(r"y+|m+|d+|[^ymd]")


@functools.lru_cache(maxsize=16)
def date_format(pattern: str) -> DateFormat | str:
    """The compiled pattern, or what is wrong with it (a text for the diagnostic).

    Patterns are made of ``yyyy`` (the year), ``mm`` / ``m`` (the month, two digits / one or
    two), ``dd`` / ``d`` (the day, likewise) and separators (``.``, ``-``, ``/``, a blank ...),
    each of year, month and day exactly once: ``dd.mm.yyyy``, ``m/d/yyyy``, ``yyyymmdd``."""
    regex, seen = [], []
    for part in _DATE_PARTS.findall(pattern.lower()):
        if part[0] in "ymd":
            token = _DATE_TOKENS.get(part)
            if token is None:
                if part[0] == "y":
                    return f"{part} is not a year: write yyyy (years have four digits; yy is not read)"
                return f"{part} is not a {'month' if part[0] == 'm' else 'day'}: write {part[0] * 2} or {part[0]}"
            if token[0] in seen:
                return f"the {token[0]} appears twice"
            seen.append(token[0])
            regex.append(f"(?P<{token[0]}>{token[1]})")
        elif part.isalnum() or part in "\"'":
            return f"{part!r} is neither yyyy, mm, m, dd, d nor a separator such as . - /"
        else:
            regex.append(re.escape(part))
    missing = [name for name in ("year", "month", "day") if name not in seen]
    if missing:
        return f"the {' and the '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"
    return DateFormat(pattern, re.compile("".join(regex)))
