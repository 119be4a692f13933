"""Jinja2 templates of the rendered advisory (data only)."""
