"""Official SPDX JSON schemas, vendored unchanged (see README.md for sources and licences)."""
