"""The two report tracks and the stages of Article 14."""

from __future__ import annotations

from enum import StrEnum

from crakit.reporting.errors import ReportingError


class Kind(StrEnum):
    """What is being reported: an actively exploited vulnerability (Art 14(1)) or a
    severe incident having an impact on the security of the product (Art 14(3))."""

    VULNERABILITY = "vulnerability"
    INCIDENT = "incident"

    @classmethod
    def parse(cls, text: str) -> Kind:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ReportingError(f"unknown kind {text!r}", hint="use vulnerability or incident") from None


class Stage(StrEnum):
    """Reporting stages: 24 h early warning, 72 h notification, final report (Art 14(2)/(4)),
    and the intermediate report a CSIRT may request (Art 14(6))."""

    EARLY_WARNING = "early-warning"
    NOTIFICATION = "notification"
    FINAL = "final"
    INTERMEDIATE = "intermediate"

    @classmethod
    def parse(cls, text: str) -> Stage:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ReportingError(f"unknown stage {text!r}", hint=f"use one of {names}") from None
