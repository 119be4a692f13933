"""REST API modules, one per resource (``/api/v1/...``)."""
