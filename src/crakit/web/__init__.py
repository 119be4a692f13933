"""The web foundation shared by crakit's servers (reporting platform, portfolio workbench):
app factory, settings, authentication, errors → HTTP, templates, static files and i18n.

Imports the domain packages' faces; imported by no domain package, and it imports neither
``crakit.cli`` nor ``crakit.jobs``.
"""

from crakit.web.app import create_app
from crakit.web.feature import Feature, NavItem
from crakit.web.settings import WebSettings

__all__ = ["Feature", "NavItem", "WebSettings", "create_app"]
