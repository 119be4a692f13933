"""The tests of CSAF 2.0 section 6, one function per test id, grouped by section."""
