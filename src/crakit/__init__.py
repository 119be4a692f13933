"""crakit: make the EU Cyber Resilience Act (Regulation (EU) 2024/2847) workable.

The package is organised by capability (``regulation``, ``manifest``, ``sbom``,
``vulndb``, ``vex``, ``reporting``, ``csaf``, ``store``); each exposes a small
public face in its ``__init__``. The CLI in :mod:`crakit.cli` only parses
arguments and prints.
"""

__version__ = "0.1.0"
