"""Vendored CSAF 2.0 and CVSS JSON schemas (data only; see SOURCE.md)."""
