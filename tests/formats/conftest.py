"""The scanner's small database, shared with the vulndb tests."""

from tests.vulndb.conftest import kev_file, records_dir, small_db

__all__ = ["kev_file", "records_dir", "small_db"]
