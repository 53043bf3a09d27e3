"""Master data from CSV files (ERP exports); see :mod:`costsheet.csvdata.master`."""

from .master import FILES, load_master_data

__all__ = ["FILES", "load_master_data"]
