"""Importers: OSV records (directories, ``all.zip`` archives) and the CISA KEV catalogue."""

from crakit.vulndb.importers.kev import KevCatalogue, import_kev, read_kev
from crakit.vulndb.importers.osv import ImportStats, count_osv_records, import_osv, iter_osv_sources

__all__ = [
    "ImportStats",
    "KevCatalogue",
    "count_osv_records",
    "import_kev",
    "import_osv",
    "iter_osv_sources",
    "read_kev",
]
