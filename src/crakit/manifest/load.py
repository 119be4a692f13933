"""Read a product manifest (YAML or JSON) safely and validate it once.

Hostile-input rules: a size cap before parsing, strict UTF-8, no YAML aliases (the
"billion laughs" shape), YAML 1.2-style booleans (so the country code ``NO`` stays a
string) and dates kept as text so the schema sees exactly what the user wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from crakit.manifest.countries import ALIASES, EU_MEMBER_STATES
from crakit.manifest.model import (
    Certificate,
    Conformity,
    Cvd,
    Declaration,
    Documents,
    Manifest,
    Manufacturer,
    Market,
    NotifiedBody,
    Product,
    SecurityContact,
    Signatory,
    Standards,
    Support,
    YearMonth,
)
from crakit.manifest.schema import SCHEMA
from crakit.manifest.validate import ManifestError, check

MAX_MANIFEST_BYTES = 1 << 20  # 1 MiB: a real manifest is a few KB


class _ManifestLoader(yaml.SafeLoader):
    """SafeLoader without aliases, implicit timestamps or YAML 1.1 yes/no/on/off booleans."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ManifestError(
                f"line {event.start_mark.line + 1}: YAML aliases (*{event.anchor}) are not allowed in a manifest"
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        # A repeated key would silently override the first (e.g. steward: true ... steward: false).
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                line = key_node.start_mark.line + 1
                raise ManifestError(f"line {line}: duplicate key '{key}'")
            if isinstance(key, str):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_ManifestLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ManifestLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _decode(data: bytes, source: str) -> Any:
    if len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{source}: {len(data):,} bytes is too large for a manifest (limit 1 MiB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{source}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        # The standard library's decoder, not orjson: only it reports duplicate keys (object_pairs_hook),
        # and a manifest is at most 1 MiB.
        import json

        try:
            return json.loads(text, object_pairs_hook=lambda pairs: _unique(pairs, source))
        except json.JSONDecodeError as exc:
            raise ManifestError(
                f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except RecursionError:
            raise ManifestError(f"{source}: JSON nested too deeply") from None
        except ValueError as exc:  # e.g. an integer with thousands of digits
            raise ManifestError(f"{source}: invalid JSON: {exc}") from None
    try:
        return yaml.load(text, Loader=_ManifestLoader)
    except ManifestError as exc:
        raise ManifestError(f"{source}: {exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ManifestError(f"{source}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise ManifestError(f"{source}: YAML nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise ManifestError(f"{source}: invalid YAML value: {exc}") from None


def _unique(pairs: list[tuple[str, Any]], source: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ManifestError(f"{source}: duplicate key '{key}'")
        result[key] = value
    return result


def _normalise(raw: Any, source: str) -> Any:
    """Apply friendly normalisations before schema checking (upper-case countries, EL->GR)."""
    if not isinstance(raw, dict):
        raise ManifestError(
            f"{source}: a manifest is a mapping starting with 'crakit: 1', got {type(raw).__name__}"
        )
    support = raw.get("support")
    if isinstance(support, dict):
        end = support.get("end")
        if (isinstance(end, int) and not isinstance(end, bool)) or (
            isinstance(end, str) and re.fullmatch(r"\d{4}", end)
        ):
            raise ManifestError(
                f"{source}: support.end: {end!r} gives only a year; Art 13(19) requires month and year, e.g. '{end}-12'"
            )
        if isinstance(end, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end):
            raise ManifestError(
                f"{source}: support.end: give year and month only (YYYY-MM), e.g. '{end[:7]}'"
            )
    manufacturer = raw.get("manufacturer")
    if isinstance(manufacturer, dict):
        for key in ("country", "main_establishment", "authorised_representative"):
            if isinstance(manufacturer.get(key), str):
                manufacturer[key] = _country(manufacturer[key])
    market = raw.get("market")
    if isinstance(market, dict):
        if isinstance(market.get("member_states"), list):
            market["member_states"] = [
                _country(c) if isinstance(c, str) else c for c in market["member_states"]
            ]
        for key in ("importer_member_state", "distributor_member_state", "most_users_member_state"):
            if isinstance(market.get(key), str):
                market[key] = _country(market[key])
    return raw


def _country(code: str) -> str:
    upper = code.upper()
    return ALIASES.get(upper, upper)


def _check_consistency(raw: dict[str, Any], source: str) -> None:
    """Cross-field rules the schema cannot express."""
    market = raw.get("market") or {}
    product = raw.get("product") or {}
    if market.get("steward") and not market.get("open_source"):
        raise ManifestError(
            f"{source}: market.steward is true but market.open_source is not: an open-source software steward "
            "supports free and open-source software (Art 3(14)); set open_source: true, or steward: false"
        )
    if market.get("saas_only") and product.get("remote_data_processing"):
        raise ManifestError(
            f"{source}: market.saas_only and product.remote_data_processing are both true: a remote data "
            "processing solution is part of a product (Art 3(1), 3(2)), while saas_only is for a service that "
            "is not the remote data processing of any product; keep the one that describes it"
        )
    core = product.get("functions") or []
    if core and core[0] in (product.get("integrated_functions") or []):
        raise ManifestError(
            f"{source}: product.integrated_functions repeats the core functionality {core[0]}: list it under "
            "product.functions only"
        )


def _main_establishment(manufacturer: dict[str, Any]) -> str | None:
    """Art 14(7): the declared Member State (null: none in the Union), else an EU/EEA registered office."""
    if "main_establishment" in manufacturer:
        value: str | None = manufacturer["main_establishment"]
        return value
    # Only an EU registered office stands for a main establishment "in the Union" (Art 14(7)); crakit has
    # no record of the CRA in the EEA Agreement, and the SRP lists EU coordinator CSIRTs only.
    country = manufacturer.get("country")
    return country if country in EU_MEMBER_STATES else None


def _date(value: str | None, field: str, source: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ManifestError(f"{source}: {field}: {value!r} is not a real calendar date") from None


def parse_manifest(data: bytes | str, source: str = "manifest") -> Manifest:
    """Parse and validate manifest text; raise :class:`ManifestError` with one clear line."""
    raw = _decode(data.encode() if isinstance(data, str) else data, source)
    raw = _normalise(raw, source)
    try:
        check(raw, SCHEMA)
    except ManifestError as exc:
        raise ManifestError(f"{source}: {exc.message}") from None
    _check_consistency(raw, source)
    p, mf = raw["product"], raw.get("manufacturer") or {}
    mk, sp, st = raw.get("market") or {}, raw.get("support") or {}, raw.get("standards") or {}
    return Manifest(
        product=Product(
            name=p["name"],
            version=p["version"],
            description=p.get("description", ""),
            kind=p.get("kind", "software"),
            functions=tuple(dict.fromkeys(p.get("functions") or ())),
            integrated_functions=tuple(dict.fromkeys(p.get("integrated_functions") or ())),
            remote_data_processing=p.get("remote_data_processing", False),
            type=p.get("type"),
            identification=p.get("identification"),
        ),
        manufacturer=Manufacturer(
            name=mf.get("name"),
            country=mf.get("country"),
            size=mf.get("size"),
            main_establishment=_main_establishment(mf),
            main_establishment_declared="main_establishment" in mf,
            authorised_representative=mf.get("authorised_representative"),
            legal_person=mf.get("legal_person"),
            trade_name=mf.get("trade_name"),
            address=mf.get("address"),
            email=mf.get("email"),
            website=mf.get("website"),
        ),
        market=Market(
            operator=mk.get("operator", "manufacturer"),
            commercial=mk.get("commercial", True),
            open_source=mk.get("open_source", False),
            steward=mk.get("steward", False),
            own_brand=mk.get("own_brand", False),
            placed_on_market=_date(mk.get("placed_on_market"), "market.placed_on_market", source),
            member_states=tuple(dict.fromkeys(mk.get("member_states") or ())),
            sectoral=tuple(mk.get("sectoral") or ()),
            l1e_designed_to_pedal=mk.get("l1e_designed_to_pedal", False),
            exclusive_purpose=mk.get("exclusive_purpose"),
            spare_part=mk.get("spare_part", False),
            saas_only=mk.get("saas_only", False),
            public_technical_documentation=mk.get("public_technical_documentation", False),
            substantially_modified_on=_date(
                mk.get("substantially_modified_on"), "market.substantially_modified_on", source
            ),
            importer_member_state=mk.get("importer_member_state"),
            distributor_member_state=mk.get("distributor_member_state"),
            most_users_member_state=mk.get("most_users_member_state"),
        ),
        support=Support(
            expected_use_years=sp.get("expected_use_years"),
            end=YearMonth.parse(sp["end"]) if sp.get("end") else None,
            type=sp.get("type"),
            automatic_updates=sp.get("automatic_updates"),
            update_mechanism=sp.get("update_mechanism"),
        ),
        standards=Standards(
            harmonised_applied_in_full=st.get("harmonised_applied_in_full", False),
            harmonised=tuple(dict.fromkeys(st.get("harmonised") or ())),
            common_specifications=tuple(dict.fromkeys(st.get("common_specifications") or ())),
            eucc_level=st.get("eucc_level"),
            certification_scheme=st.get("certification_scheme"),
        ),
        security_contact=_security_contact(raw.get("security_contact") or {}),
        cvd=Cvd(**(raw.get("cvd") or {})),
        conformity=_conformity(raw.get("conformity") or {}, source),
        declaration=_declaration(raw.get("declaration") or {}, source),
        documents=Documents(**(raw.get("documents") or {})),
        source=source,
    )


def _security_contact(raw: dict[str, Any]) -> SecurityContact:
    return SecurityContact(
        contact=tuple(dict.fromkeys(raw.get("contact") or ())),
        policy=raw.get("policy"),
        encryption=raw.get("encryption"),
        acknowledgments=raw.get("acknowledgments"),
        hiring=raw.get("hiring"),
        canonical=tuple(dict.fromkeys(raw.get("canonical") or ())),
        languages=tuple(dict.fromkeys(raw.get("languages") or ())),
        csaf=raw.get("csaf"),
    )


def _conformity(raw: dict[str, Any], source: str) -> Conformity:
    cert = raw.get("certificate") or {}
    return Conformity(
        module=raw.get("module"),
        notified_body=NotifiedBody(**(raw.get("notified_body") or {})),
        certificate=Certificate(
            id=cert.get("id"),
            issued=_date(cert.get("issued"), "conformity.certificate.issued", source),
            issuer=cert.get("issuer"),
        ),
    )


def _declaration(raw: dict[str, Any], source: str) -> Declaration:
    return Declaration(
        url=raw.get("url"),
        place=raw.get("place"),
        date=_date(raw.get("date"), "declaration.date", source),
        signatory=Signatory(**(raw.get("signatory") or {})),
        on_behalf_of=raw.get("on_behalf_of"),
        other_legislation=tuple(dict.fromkeys(raw.get("other_legislation") or ())),
        additional_information=raw.get("additional_information"),
    )


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate the manifest at ``path`` (docs/manifest.md)."""
    path = Path(path)
    if path.exists() and not path.is_dir() and not path.is_file():
        raise ManifestError(f"{path}: not a regular file (pipes and devices are not read)")
    try:
        size = path.stat().st_size
        if size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{path}: {size:,} bytes is too large for a manifest (limit 1 MiB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: no such file", hint="create one with: crakit init product.yaml"
        ) from None
    except IsADirectoryError:
        raise ManifestError(f"{path}: is a directory, not a manifest file") from None
    except PermissionError:
        raise ManifestError(f"{path}: permission denied") from None
    return parse_manifest(data, str(path))
