"""CSAF 2.0 tests on CVSS objects: 6.1.8 (schema), 6.1.9 (computed scores), 6.1.10 (properties vs vector)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from crakit.csaf import schema
from crakit.csaf.jsonview import JSON, arr, obj, text, vulnerabilities

V3_METRICS: dict[str, tuple[str, dict[str, str]]] = {
    "attackVector": ("AV", {"N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"}),
    "attackComplexity": ("AC", {"L": "LOW", "H": "HIGH"}),
    "privilegesRequired": ("PR", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
    "userInteraction": ("UI", {"N": "NONE", "R": "REQUIRED"}),
    "scope": ("S", {"U": "UNCHANGED", "C": "CHANGED"}),
    "confidentialityImpact": ("C", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
    "integrityImpact": ("I", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
    "availabilityImpact": ("A", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
    "exploitCodeMaturity": (
        "E",
        {"X": "NOT_DEFINED", "U": "UNPROVEN", "P": "PROOF_OF_CONCEPT", "F": "FUNCTIONAL", "H": "HIGH"},
    ),
    "remediationLevel": (
        "RL",
        {
            "X": "NOT_DEFINED",
            "O": "OFFICIAL_FIX",
            "T": "TEMPORARY_FIX",
            "W": "WORKAROUND",
            "U": "UNAVAILABLE",
        },
    ),
    "reportConfidence": ("RC", {"X": "NOT_DEFINED", "U": "UNKNOWN", "R": "REASONABLE", "C": "CONFIRMED"}),
    "confidentialityRequirement": ("CR", {"X": "NOT_DEFINED", "L": "LOW", "M": "MEDIUM", "H": "HIGH"}),
    "integrityRequirement": ("IR", {"X": "NOT_DEFINED", "L": "LOW", "M": "MEDIUM", "H": "HIGH"}),
    "availabilityRequirement": ("AR", {"X": "NOT_DEFINED", "L": "LOW", "M": "MEDIUM", "H": "HIGH"}),
    "modifiedAttackVector": (
        "MAV",
        {"X": "NOT_DEFINED", "N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"},
    ),
    "modifiedAttackComplexity": ("MAC", {"X": "NOT_DEFINED", "L": "LOW", "H": "HIGH"}),
    "modifiedPrivilegesRequired": ("MPR", {"X": "NOT_DEFINED", "N": "NONE", "L": "LOW", "H": "HIGH"}),
    "modifiedUserInteraction": ("MUI", {"X": "NOT_DEFINED", "N": "NONE", "R": "REQUIRED"}),
    "modifiedScope": ("MS", {"X": "NOT_DEFINED", "U": "UNCHANGED", "C": "CHANGED"}),
    "modifiedConfidentialityImpact": ("MC", {"X": "NOT_DEFINED", "N": "NONE", "L": "LOW", "H": "HIGH"}),
    "modifiedIntegrityImpact": ("MI", {"X": "NOT_DEFINED", "N": "NONE", "L": "LOW", "H": "HIGH"}),
    "modifiedAvailabilityImpact": ("MA", {"X": "NOT_DEFINED", "N": "NONE", "L": "LOW", "H": "HIGH"}),
}

_REQ2 = {"L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"}
V2_METRICS: dict[str, tuple[str, dict[str, str]]] = {
    "accessVector": ("AV", {"L": "LOCAL", "A": "ADJACENT_NETWORK", "N": "NETWORK"}),
    "accessComplexity": ("AC", {"H": "HIGH", "M": "MEDIUM", "L": "LOW"}),
    "authentication": ("Au", {"M": "MULTIPLE", "S": "SINGLE", "N": "NONE"}),
    "confidentialityImpact": ("C", {"N": "NONE", "P": "PARTIAL", "C": "COMPLETE"}),
    "integrityImpact": ("I", {"N": "NONE", "P": "PARTIAL", "C": "COMPLETE"}),
    "availabilityImpact": ("A", {"N": "NONE", "P": "PARTIAL", "C": "COMPLETE"}),
    "exploitability": (
        "E",
        {"U": "UNPROVEN", "POC": "PROOF_OF_CONCEPT", "F": "FUNCTIONAL", "H": "HIGH", "ND": "NOT_DEFINED"},
    ),
    "remediationLevel": (
        "RL",
        {
            "OF": "OFFICIAL_FIX",
            "TF": "TEMPORARY_FIX",
            "W": "WORKAROUND",
            "U": "UNAVAILABLE",
            "ND": "NOT_DEFINED",
        },
    ),
    "reportConfidence": (
        "RC",
        {"UC": "UNCONFIRMED", "UR": "UNCORROBORATED", "C": "CONFIRMED", "ND": "NOT_DEFINED"},
    ),
    "collateralDamagePotential": (
        "CDP",
        {"N": "NONE", "L": "LOW", "LM": "LOW_MEDIUM", "MH": "MEDIUM_HIGH", "H": "HIGH", "ND": "NOT_DEFINED"},
    ),
    "targetDistribution": ("TD", {"N": "NONE", "L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"}),
    "confidentialityRequirement": ("CR", _REQ2),
    "integrityRequirement": ("IR", _REQ2),
    "availabilityRequirement": ("AR", _REQ2),
}

Finding = tuple[str, str]  # (pointer, message)


def cvss_objects(doc: JSON) -> Iterator[tuple[str, str, dict[str, JSON]]]:
    """(pointer, "cvss_v2"|"cvss_v3", object) for every CVSS object in the document."""
    for v, vuln in vulnerabilities(doc):
        for s, score in enumerate(arr(vuln.get("scores"))):
            for key in ("cvss_v2", "cvss_v3"):
                value = obj(score).get(key)
                if isinstance(value, dict):
                    yield f"/vulnerabilities/{v}/scores/{s}/{key}", key, value


def _schema_version(key: str, cvss: dict[str, JSON]) -> str | None:
    if key == "cvss_v2":
        return "2.0"
    version = text(cvss.get("version"))
    return version if version in ("3.0", "3.1") else None


def parse_vector(vector: str, v3: bool) -> dict[str, str] | None:
    parts = vector.split("/")
    if v3:
        if not parts or not parts[0].startswith("CVSS:"):
            return None
        parts = parts[1:]
    out: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition(":")
        if not sep or key in out:
            return None
        out[key] = value
    return out


def test_6_1_8(doc: JSON) -> Iterator[Finding]:
    """Invalid CVSS: each CVSS object validates against the FIRST schema of its version."""
    for path, key, cvss in cvss_objects(doc):
        version = _schema_version(key, cvss)
        if version is None:
            yield path + "/version", f"unknown CVSS v3 version {cvss.get('version')!r}"
            continue
        for sub, message in schema.errors(schema.cvss_validator(version), cvss):
            yield path + sub, message


def _is_schema_valid(key: str, cvss: dict[str, JSON]) -> bool:
    version = _schema_version(key, cvss)
    return version is not None and bool(schema.cvss_validator(version).is_valid(cvss))


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of a number always parses
        return None


def _computed(key: str, vector: str) -> dict[str, Any] | None:
    import cvss as cvsslib

    try:
        if key == "cvss_v3":
            c3 = cvsslib.CVSS3(vector)
            base, temporal, env = c3.scores()
            sev = c3.severities()
            return {
                "baseScore": base,
                "temporalScore": temporal,
                "environmentalScore": env,
                "baseSeverity": sev[0].upper(),
                "temporalSeverity": sev[1].upper(),
                "environmentalSeverity": sev[2].upper(),
            }
        metrics = parse_vector(vector, False) or {}
        full = vector
        for name in ("E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR"):
            if name not in metrics:
                full += f"/{name}:ND"
        c2 = cvsslib.CVSS2(full)
        base2, temporal2, env2 = c2.scores()
        # With every temporal or environmental metric "ND" the library returns None; CVSS v2 section 3.2
        # weights ND neutrally, so those scores equal the score before them.
        temporal2 = base2 if temporal2 is None else temporal2
        env2 = temporal2 if env2 is None else env2
        return {"baseScore": base2, "temporalScore": temporal2, "environmentalScore": env2}
    except Exception:
        return None


def test_6_1_9(doc: JSON) -> Iterator[Finding]:
    """Invalid CVSS computation: scores and severities agree with those computed from the vector."""
    for path, key, cvss in cvss_objects(doc):
        vector = text(cvss.get("vectorString"))
        if vector is None or not _is_schema_valid(key, cvss):
            continue
        computed = _computed(key, vector)
        if computed is None:
            yield path + "/vectorString", f"cannot compute scores from vector {vector!r}"
            continue
        for prop, expected in computed.items():
            if prop not in cvss or expected is None:
                continue
            given = cvss[prop]
            if prop.endswith("Score"):
                if _decimal(given) != Decimal(str(expected)):
                    yield f"{path}/{prop}", f"{prop} is {given}, the vector gives {expected}"
            elif given != expected:
                yield f"{path}/{prop}", f"{prop} is {given!r}, the vector gives {expected!r}"


def test_6_1_10(doc: JSON) -> Iterator[Finding]:
    """Inconsistent CVSS: metric properties agree with the vector string."""
    for path, key, cvss in cvss_objects(doc):
        vector = text(cvss.get("vectorString"))
        if vector is None:
            continue
        v3 = key == "cvss_v3"
        metrics = parse_vector(vector, v3)
        if metrics is None:
            continue
        table = V3_METRICS if v3 else V2_METRICS
        for prop, (abbrev, values) in table.items():
            if prop not in cvss:
                continue
            # A metric the vector leaves out is not compared: an absent metric is not a contradiction.
            if abbrev not in metrics:
                continue
            in_vector = values.get(metrics[abbrev])
            if in_vector is not None and cvss[prop] != in_vector:
                yield (
                    f"{path}/{prop}",
                    f"{prop} is {cvss[prop]!r} but the vector has {abbrev}:{metrics[abbrev]}",
                )


def environmental_score(key: str, cvss: dict[str, JSON]) -> float | None:
    """The environmental score from the vector, with metrics the vector omits taken from the properties."""
    import cvss as cvsslib

    vector = text(cvss.get("vectorString"))
    if vector is None:
        return None
    v3 = key == "cvss_v3"
    metrics = parse_vector(vector, v3)
    if metrics is None:
        return None
    table = V3_METRICS if v3 else V2_METRICS
    for prop, (abbrev, values) in table.items():
        if abbrev in metrics or prop not in cvss:
            continue
        reverse = {name: code for code, name in values.items()}
        code = reverse.get(str(cvss[prop]))
        if code is not None:
            metrics[abbrev] = code
    try:
        if v3:
            head = vector.split("/", 1)[0]
            result = cvsslib.CVSS3(head + "".join(f"/{k}:{val}" for k, val in metrics.items())).scores()[2]
        else:
            for name in ("E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR"):
                metrics.setdefault(name, "ND")
            base, temporal, env = cvsslib.CVSS2("/".join(f"{k}:{val}" for k, val in metrics.items())).scores()
            result = env if env is not None else (temporal if temporal is not None else base)
    except Exception:
        return None
    return None if result is None else float(result)
