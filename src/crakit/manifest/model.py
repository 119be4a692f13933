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
    type: str | None = None  # type or model designation (Art 13(15), Annex V point 1)
    identification: str | None = None  # batch/serial range or other identifier (Annex V point 4)

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
    # Contact details of Art 13(16) / Annex II point 1.
    trade_name: str | None = None
    address: str | None = None
    email: str | None = None
    website: str | None = None


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
    type: str | None = None  # the type of technical security support offered (Annex II point 7)
    automatic_updates: bool | None = None  # Annex I Part I(2)(c); None: not said
    update_mechanism: str | None = None  # Annex I Part II(7), Annex VII point 2(b)


@dataclass(frozen=True, slots=True)
class Standards:
    harmonised_applied_in_full: bool = False
    harmonised: tuple[str, ...] = ()  # references of the harmonised standards applied
    common_specifications: tuple[str, ...] = ()
    eucc_level: str | None = None
    certification_scheme: str | None = None


@dataclass(frozen=True, slots=True)
class SecurityContact:
    """Where vulnerabilities are reported (Art 13(17), Annex I Part II(5)-(6), Annex II point 2; RFC 9116)."""

    contact: tuple[str, ...] = ()  # mailto:, https:// or tel: URIs, most preferred first
    policy: str | None = None  # the CVD policy's address
    encryption: str | None = None
    acknowledgments: str | None = None
    hiring: str | None = None
    canonical: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    csaf: str | None = None  # provider-metadata.json


@dataclass(frozen=True, slots=True)
class Cvd:
    """Commitments of the coordinated vulnerability disclosure policy (Annex I Part II(5)); None: not decided."""

    acknowledge_days: int | None = None
    assessment_days: int | None = None
    disclosure_days: int | None = None
    safe_harbour: bool | None = None


Module = Literal["module-a", "module-b+c", "module-h", "eucc"]


@dataclass(frozen=True, slots=True)
class NotifiedBody:
    name: str | None = None
    number: str | None = None  # four digits (NANDO)


@dataclass(frozen=True, slots=True)
class Certificate:
    id: str | None = None
    issued: dt.date | None = None
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class Conformity:
    """How conformity was assessed (Art 32, Annex V point 7)."""

    module: Module | None = None
    notified_body: NotifiedBody = NotifiedBody()
    certificate: Certificate = Certificate()


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str | None = None
    function: str | None = None


@dataclass(frozen=True, slots=True)
class Declaration:
    """Facts of the EU declaration of conformity (Art 28, Annexes V and VI)."""

    url: str | None = None  # the full declaration's internet address (Annex VI, Annex II point 6)
    place: str | None = None
    date: dt.date | None = None
    signatory: Signatory = Signatory()
    on_behalf_of: str | None = None
    other_legislation: tuple[str, ...] = ()  # Art 28(3)
    additional_information: str | None = None


@dataclass(frozen=True, slots=True)
class Documents:
    instructions_url: str | None = None  # Annex II point 8
    sbom_url: str | None = None  # Annex II point 9


@dataclass(frozen=True, slots=True)
class Manifest:
    product: Product
    manufacturer: Manufacturer
    market: Market
    support: Support
    standards: Standards
    format_version: int = 1
    security_contact: SecurityContact = SecurityContact()
    cvd: Cvd = Cvd()
    conformity: Conformity = Conformity()
    declaration: Declaration = Declaration()
    documents: Documents = Documents()
    source: str | None = None
