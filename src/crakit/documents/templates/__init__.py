"""Jinja2 templates and the print stylesheet of the conformity documents."""
