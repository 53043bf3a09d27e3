"""Work centers and machine centers from CSV: ``workcenters.csv`` and ``machinecenters.csv``.

Each row is what a ``workcenter`` or ``machinecenter`` declaration says in a
ruleset (docs/language.md, "Items, work centers and machine centers"), held
to the same rules (:data:`costsheet.check.values.WORK_CENTER`,
:data:`~costsheet.check.values.CENTER`): rates of 0 or more, written
``42.00/h`` or as a plain number per the row's ``time_unit`` (hours by
default, as a plain number in a ruleset is), an indirect cost percentage, a
capacity condition, a subcontractor that is a vendor, a machine center's work
center.  A machine center without a ``time_unit`` takes its work center's
(when workcenters.csv has it), as Business Central's machine centers work in
their work center's unit.  Work and machine centers share one set of codes,
as in a ruleset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..check import Reference, declared_twice, values
from ..model import MachineCenter, WorkCenter
from ..syntax import nodes as n
from .table import Row, Sheet

__all__ = ["CENTER_FILES", "read_centers"]

_COMMON = ("description", "direct_unit_cost", "indirect_cost", "overhead_rate", "time_unit")
#: file name -> (required columns, optional columns)
CENTER_FILES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "workcenters.csv": (("code",), (*_COMMON, "subcontractor", "condition")),
    "machinecenters.csv": (("code", "work_center"), (*_COMMON, "condition")),
}


def _rows(sheets: list[Sheet], name: str) -> Iterator[tuple[Sheet, Row]]:
    for sheet in sheets:
        for row in sheet.rows(*CENTER_FILES[name]):
            yield sheet, row


def read_centers(
    work_sheets: list[Sheet], machine_sheets: list[Sheet], references: list[Reference]
) -> tuple[dict[str, WorkCenter], dict[str, MachineCenter]]:
    """The work centers and machine centers of the files (work centers first), and the codes they name."""
    first: dict[str, n.Code] = {}  # one set of codes for both, as in a ruleset

    def new(sheet: Sheet, row: Row) -> n.Code | None:
        code = sheet.code(row, "code", required=True)
        if code is None:
            return None
        if code.text in first:
            sheet.diagnostics.append(declared_twice("work or machine center", code, first[code.text]))
            return None
        first[code.text] = code
        return code

    work: dict[str, WorkCenter] = {}
    units: dict[str, str] = {}  # each work center's time unit: its machine centers' too
    for sheet, row in _rows(work_sheets, "workcenters.csv"):
        code = new(sheet, row)
        if code is None:
            continue
        who = f"work center {code.text}"
        unit = units[code.text] = sheet.time_unit(row, "time_unit") or "h"
        fields = _fields(sheet, row, who, values.WORK_CENTER, unit, references)
        subcontractor = sheet.code(row, "subcontractor")
        if subcontractor is not None:
            references.append(Reference("vendor", subcontractor, f"{who}'s subcontractor"))
            fields["subcontractor"] = subcontractor.text
        work[code.text] = WorkCenter(code.text, row.text("description"), span=code.span, **fields)
    machine: dict[str, MachineCenter] = {}
    for sheet, row in _rows(machine_sheets, "machinecenters.csv"):
        code = new(sheet, row)
        work_center = sheet.code(row, "work_center", required=True)
        if code is None:
            continue
        who = f"machine center {code.text}"
        unit = sheet.time_unit(row, "time_unit") or units.get(work_center.text if work_center else "", "h")
        fields = _fields(sheet, row, who, values.CENTER, unit, references)
        if work_center is None:
            continue
        references.append(Reference("work center", work_center, who))
        machine[code.text] = MachineCenter(
            code.text, work_center.text, row.text("description"), span=code.span, **fields
        )
    return work, machine


def _fields(
    sheet: Sheet, row: Row, who: str, rules: Mapping[str, values.Rule], unit: str, references: list[Reference]
) -> dict[str, Any]:
    """The rates (a plain number per ``unit``), the indirect cost and the capacity condition of a center's row:
    keyword arguments of :class:`~costsheet.model.WorkCenter` and :class:`~costsheet.model.MachineCenter`."""
    fields: dict[str, Any] = {}
    for column in ("direct_unit_cost", "overhead_rate"):
        field = column.replace("_", "-")
        rate = sheet.rate(row, column, rules[field], field, who, unit)
        if rate is not None:
            fields[column] = rate
    indirect = sheet.number(row, "indirect_cost", rules["indirect-cost"], "indirect-cost", who)
    if indirect is not None:
        fields["indirect_cost"] = indirect
    condition = sheet.code(row, "condition")
    if condition is not None:
        references.append(Reference("condition", condition, f"{who}'s condition", "capacity"))
        fields["condition"] = condition.text
    return fields
