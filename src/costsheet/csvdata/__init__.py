"""Master data and ledgers from CSV files (ERP exports).

See :mod:`costsheet.csvdata.master` (items, BOM lines, routing lines, prices)
and :mod:`costsheet.csvdata.ledgers` (item ledger entries, charges, revaluations),
both read through :mod:`costsheet.csvdata.table` and held to the rules of the
same values in a ``.cost`` file (:mod:`costsheet.check.values`).
"""

from .ledgers import parse_ledgers, read_ledgers
from .master import FILES, MasterData, load_master_data, read_master_data

__all__ = ["FILES", "MasterData", "load_master_data", "parse_ledgers", "read_ledgers", "read_master_data"]
