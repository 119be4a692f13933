"""The product manifest as frozen value types (format version 1, docs/manifest.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["software", "hardware", "component"]
Operator = Literal["manufacturer", "importer", "distributor"]
Size = Literal["micro", "small", "medium", "large"]


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A calendar month, the precision Art 13(19) requires for the end of support."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        year, month = text.split("-")
        return cls(int(year), int(month))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def last_day(self) -> dt.date:
        """The last day of the month: a support period ending "2035-03" runs through 31 March 2035."""
        if self.month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)

    @classmethod
    def of(cls, day: dt.date) -> YearMonth:
        return cls(day.year, day.month)


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    version: str
    description: str = ""
    kind: Kind = "software"
    functions: tuple[str, ...] = ()  # at most one: the core functionality (Art 7(1))
    integrated_functions: tuple[str, ...] = ()  # Annex functions of integrated components
    remote_data_processing: bool = False  # Art 3(1)-(2)

    @property
    def core_function(self) -> str | None:
        return self.functions[0] if self.functions else None


@dataclass(frozen=True, slots=True)
class Manufacturer:
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 of the registered office (any country)
    size: Size | None = None
    # Member State of the main establishment in the Union (Art 14(7)); None: none in the Union. Resolved
    # at load time: when the manifest leaves it out, the country if that is an EU/EEA state.
    main_establishment: str | None = None
    main_establishment_declared: bool = False  # written in the manifest (else derived from country)
    authorised_representative: str | None = None  # Member State, Art 14(7)(a)
    legal_person: bool | None = None  # None: not said


@dataclass(frozen=True, slots=True)
class Market:
    operator: Operator = "manufacturer"
    commercial: bool = True
    open_source: bool = False
    steward: bool = False
    own_brand: bool = False
    placed_on_market: dt.date | None = None
    member_states: tuple[str, ...] = ()
    sectoral: tuple[str, ...] = ()
    l1e_designed_to_pedal: bool = False
    exclusive_purpose: str | None = None
    spare_part: bool = False
    saas_only: bool = False
    public_technical_documentation: bool = False
    substantially_modified_on: dt.date | None = None
    importer_member_state: str | None = None  # Art 14(7)(b)
    distributor_member_state: str | None = None  # Art 14(7)(c)
    most_users_member_state: str | None = None  # Art 14(7)(d)


@dataclass(frozen=True, slots=True)
class Support:
    expected_use_years: float | None = None
    end: YearMonth | None = None


@dataclass(frozen=True, slots=True)
class Standards:
    harmonised_applied_in_full: bool = False
    harmonised: tuple[str, ...] = ()  # references of the harmonised standards applied
    common_specifications: tuple[str, ...] = ()
    eucc_level: str | None = None
    certification_scheme: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    product: Product
    manufacturer: Manufacturer
    market: Market
    support: Support
    standards: Standards
    format_version: int = 1
    source: str | None = None
