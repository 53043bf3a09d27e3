"""Master data and ledgers from CSV files (ERP exports).

See :mod:`costsheet.csvdata.master` (items, BOM lines, routing lines, prices)
and :mod:`costsheet.csvdata.ledgers` (item ledger entries, charges, revaluations).
"""

from .ledgers import parse_ledgers, read_ledgers
from .master import FILES, load_master_data

__all__ = ["FILES", "load_master_data", "parse_ledgers", "read_ledgers"]
