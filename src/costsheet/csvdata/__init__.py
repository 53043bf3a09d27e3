"""Master data and ledgers from CSV files (ERP exports).

See :mod:`costsheet.csvdata.master` (items, their conditions, BOM lines,
routing lines, vendors, prices), :mod:`costsheet.csvdata.realism` (units of
measure, exchange rates), :mod:`costsheet.csvdata.bomversions` (BOM and
routing versions), :mod:`costsheet.csvdata.joint` (by-products and
co-products), :mod:`costsheet.csvdata.centers` (work and
machine centers) and :mod:`costsheet.csvdata.ledgers` (item ledger entries,
charges, revaluations), all read through :mod:`costsheet.csvdata.table` and
held to the rules of the same values in a ``.cost`` file
(:mod:`costsheet.check.values`), and :mod:`costsheet.csvdata.mapping`, the
mapping file (``csv.rules``) that reads an ERP export as it was exported
(docs/master-data.md).
"""

from .ledgers import parse_ledgers, read_ledgers
from .mapping import MAPPING_FILE, parse_mapping
from .master import FILES, MasterData, load_master_data, read_master_data
from .versions import file_in_folder, price_records_text, standard_costs_text

__all__ = [
    "FILES",
    "MAPPING_FILE",
    "MasterData",
    "load_master_data",
    "parse_ledgers",
    "parse_mapping",
    "read_ledgers",
    "read_master_data",
    "file_in_folder",
    "standard_costs_text",
    "price_records_text",
]
