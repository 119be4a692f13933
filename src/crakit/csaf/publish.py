"""Lay out a CSAF 2.0 provider directory (section 7.1) to serve from ``/.well-known/csaf/``.

CRA Annex I Part II(4) asks manufacturers to disclose fixed vulnerabilities publicly; a CSAF
provider directory is how CSIRTs, BSI and CISA tooling (aggregators, downloaders) find them.
Written here: one folder per TLP label and year (requirement 11), ``index.txt`` (12),
``changes.csv`` (13), a ROLIE feed per TLP label (15, optional), ``.sha256``/``.sha512`` files (18),
optional OpenPGP signatures through a signer (19) and ``provider-metadata.json`` (7).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from crakit.csaf import schema
from crakit.csaf.errors import CsafInputError, CsafInvalid
from crakit.csaf.serialize import dumps, filename
from crakit.csaf.validator import MAX_DOCUMENT_BYTES, load_document, read_document, validate
from crakit.csaf.versions import parse_datetime
from crakit.errors import InputError
from crakit.readlimit import read_limited

Role = Literal["csaf_publisher", "csaf_provider", "csaf_trusted_provider"]
Signer = Callable[[Path], Path]  # signs a file, returns the path of its detached ASCII-armoured signature

PROVIDER_METADATA = "provider-metadata.json"


@dataclass(frozen=True, slots=True)
class PublishOptions:
    base_url: str  # the public URL of DIR, e.g. https://example.com/.well-known/csaf
    role: Role = "csaf_provider"
    rolie: bool = True
    list_on_aggregators: bool = True
    mirror_on_aggregators: bool = True
    openpgp_keys: tuple[tuple[str, str], ...] = ()  # (fingerprint, url)
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One published document as seen in the directory."""

    tlp: str
    relpath: str  # "<year>/<file>.json" inside the TLP folder
    id: str
    title: str
    published: str
    updated: str
    summary: str | None


@dataclass(frozen=True, slots=True)
class PublishResult:
    written: tuple[Path, ...]
    entries: tuple[Entry, ...]
    warnings: tuple[str, ...] = field(default=())


def _digest_file(path: Path, algorithm: str) -> Path:
    digest = hashlib.new(algorithm, path.read_bytes()).hexdigest()
    out = path.with_name(path.name + "." + algorithm)
    out.write_text(f"{digest}  {path.name}\n", encoding="ascii")
    return out


def gpg_signer(key: str, gpg: str = "gpg") -> Signer:
    """A signer that calls GnuPG (``gpg --detach-sign --armor``) with the given key id."""
    binary = shutil.which(gpg)
    if binary is None:
        raise CsafInputError("gpg is not installed; cannot sign (CSAF 2.0 requirement 19)")

    def sign(path: Path) -> Path:
        out = path.with_name(path.name + ".asc")
        proc = subprocess.run(
            [
                binary,
                "--batch",
                "--yes",
                "--armor",
                "--local-user",
                key,
                "--output",
                str(out),
                "--detach-sign",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if proc.returncode != 0:
            raise CsafInputError(f"gpg could not sign {path.name}: {proc.stderr.strip().splitlines()[-1:]}")
        return out

    return sign


def _entry(tlp: str, relpath: str, doc: dict[str, Any]) -> Entry:
    meta = doc["document"]
    tracking = meta["tracking"]
    summary = next(
        (
            n.get("text")
            for n in meta.get("notes", [])
            if isinstance(n, dict) and n.get("category") == "summary"
        ),
        None,
    )
    return Entry(
        tlp=tlp,
        relpath=relpath,
        id=tracking["id"],
        title=meta["title"],
        published=tracking["initial_release_date"],
        updated=tracking["current_release_date"],
        summary=summary if isinstance(summary, str) else None,
    )


def _placement(doc: Any, source: str) -> tuple[str, str]:
    """(TLP folder, "<year>/<file>") for a valid document."""
    meta = doc["document"]
    label = meta.get("distribution", {}).get("tlp", {}).get("label")
    if not isinstance(label, str):
        raise CsafInputError(
            f"{source}: no TLP label, so no distribution folder can be chosen (CSAF 2.0 7.1.4/7.1.5)"
        )
    initial = parse_datetime(meta["tracking"]["initial_release_date"])
    if initial is None:
        raise CsafInputError(f"{source}: unreadable initial_release_date")
    return label.lower(), f"{initial.astimezone(dt.UTC).year}/{filename(meta['tracking']['id'])}"


def _existing(root: Path) -> dict[tuple[str, str], Entry]:
    """Documents already in the directory, so that a new publish keeps them in the indexes."""
    found: dict[tuple[str, str], Entry] = {}
    for path in root.glob("*/[0-9][0-9][0-9][0-9]/*.json"):
        try:
            doc = read_document(path)
            found[(path.parts[-3], f"{path.parts[-2]}/{path.name}")] = _entry(
                path.parts[-3], f"{path.parts[-2]}/{path.name}", doc
            )
        except (InputError, KeyError, TypeError, AttributeError):
            continue  # not ours to judge; it is simply not indexed
    return found


def _base_url_warnings(root: Path, base: str) -> Iterator[str]:
    """The URL must be where ``root`` will be served: provider-metadata.json lists every feed and
    document by it, so a wrong base makes every link in it wrong."""
    from urllib.parse import urlsplit

    path = urlsplit(base).path.rstrip("/")
    served_as_well_known = root.resolve().as_posix().endswith("/.well-known/csaf")
    if not path.endswith("/.well-known/csaf"):
        where = f"{base}/provider-metadata.json"
        if served_as_well_known:
            yield (
                f"the directory is served as /.well-known/csaf but --base-url {base} does not end there:"
                f" every URL in provider-metadata.json would point to {where}"
                " (use https://<your host>/.well-known/csaf)"
            )
        else:
            yield (
                f"provider-metadata.json will be announced at {where}; CSAF 2.0 requirement 9 expects"
                " /.well-known/csaf/provider-metadata.json, otherwise name it in security.txt (requirement 10)"
            )


def publish(
    root: Path, sources: Iterable[tuple[str, bytes]], options: PublishOptions, signer: Signer | None = None
) -> PublishResult:
    """Add the documents to the provider directory at ``root`` and rewrite its indexes and metadata."""
    now = (options.now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    base = options.base_url.rstrip("/")
    if not base.startswith("https://"):
        raise CsafInputError(f"--base-url must be https (CSAF 2.0 requirement 3), not {options.base_url!r}")
    if options.role == "csaf_trusted_provider" and signer is None:
        raise CsafInputError("a trusted provider signs every document (requirement 19): give a signing key")
    loaded = []
    for source, data in sources:
        doc = load_document(data, source)
        report = validate(doc)
        if not report.valid:
            first = next(m for m in report.messages if m.severity == "error")
            raise CsafInvalid(
                f"{source}: not published, fails CSAF test {first.test} at {first.path}: {first.text}"
            )
        loaded.append((source, data, doc))
    if not loaded:
        raise CsafInputError("no document to publish")
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    warnings: list[str] = list(_base_url_warnings(root, base))
    entries = _existing(root)
    publishers = []
    for source, data, doc in loaded:
        tlp, relpath = _placement(doc, source)
        if tlp in ("amber", "red"):
            warnings.append(
                f"{source}: TLP:{tlp.upper()} must be served with access control (CSAF 2.0 requirement 5)"
            )
        target = root / tlp / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)  # byte for byte: hashes and signatures cover exactly what is served
        written += [target, _digest_file(target, "sha256"), _digest_file(target, "sha512")]
        if signer is not None:
            written.append(signer(target))
        entries[(tlp, relpath)] = _entry(tlp, relpath, doc)
        publishers.append(doc["document"]["publisher"])
    by_tlp: dict[str, list[Entry]] = {}
    for entry in entries.values():
        by_tlp.setdefault(entry.tlp, []).append(entry)
    distributions = []
    for tlp, items in sorted(by_tlp.items()):
        folder = root / tlp
        index = folder / "index.txt"
        index.write_text(
            "".join(f"{e.relpath}\n" for e in sorted(items, key=lambda e: e.relpath)), encoding="utf-8"
        )
        changes = folder / "changes.csv"
        ordered = sorted(
            items,
            key=lambda e: (parse_datetime(e.updated) or dt.datetime.min.replace(tzinfo=dt.UTC), e.relpath),
            reverse=True,
        )
        changes.write_text("".join(f'"{e.relpath}","{e.updated}"\n' for e in ordered), encoding="utf-8")
        written += [index, changes]
        distribution: dict[str, Any] = {"directory_url": f"{base}/{tlp}/"}
        if options.rolie:
            feed_name = f"csaf-feed-tlp-{tlp}.json"
            feed = _rolie_feed(base, tlp, feed_name, ordered, signer is not None, now)
            (folder / feed_name).write_bytes(orjson.dumps(feed, option=orjson.OPT_INDENT_2) + b"\n")
            written.append(folder / feed_name)
            distribution["rolie"] = {
                "feeds": [
                    {
                        "summary": f"All TLP:{tlp.upper()} advisories.",
                        "tlp_label": tlp.upper(),
                        "url": f"{base}/{tlp}/{feed_name}",
                    }
                ]
            }
        distributions.append(distribution)
    metadata: dict[str, Any] = {
        "canonical_url": f"{base}/{PROVIDER_METADATA}",
        "distributions": distributions,
        "last_updated": now,
        "list_on_CSAF_aggregators": options.list_on_aggregators,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": options.mirror_on_aggregators,
        "publisher": publishers[0],
        "role": options.role,
    }
    if options.openpgp_keys:
        metadata["public_openpgp_keys"] = [
            {"fingerprint": fp, "url": url} for fp, url in options.openpgp_keys
        ]
    if any(p != publishers[0] for p in publishers):
        warnings.append("the documents name different publishers; provider-metadata.json uses the first")
    problems = list(schema.errors(schema.provider_validator(), metadata))
    if problems:
        path, text = problems[0]
        raise CsafInputError(f"provider-metadata.json would be invalid at {path or '/'}: {text}")
    (root / PROVIDER_METADATA).write_bytes(dumps(metadata))
    written.append(root / PROVIDER_METADATA)
    return PublishResult(
        tuple(written), tuple(sorted(entries.values(), key=lambda e: (e.tlp, e.relpath))), tuple(warnings)
    )


def _rolie_feed(
    base: str, tlp: str, name: str, entries: list[Entry], signed: bool, now: str
) -> dict[str, Any]:
    items = []
    for e in entries:
        url = f"{base}/{tlp}/{e.relpath}"
        links = [
            {"rel": "self", "href": url},
            {"rel": "hash", "href": url + ".sha256"},
            {"rel": "hash", "href": url + ".sha512"},
        ]
        if signed:
            links.append({"rel": "signature", "href": url + ".asc"})
        item: dict[str, Any] = {
            "id": e.id,
            "title": e.title,
            "link": links,
            "published": e.published,
            "updated": e.updated,
            "content": {"type": "application/json", "src": url},
            "format": {"schema": schema.CSAF_SCHEMA_URI, "version": "2.0"},
        }
        if e.summary:
            item["summary"] = {"content": e.summary}
        items.append(item)
    return {
        "feed": {
            "id": f"csaf-feed-tlp-{tlp}",
            "title": f"CSAF feed (TLP:{tlp.upper()})",
            "link": [{"rel": "self", "href": f"{base}/{tlp}/{name}"}],
            "category": [{"scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf"}],
            "updated": now,
            "entry": items,
        }
    }


def read_sources(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    out = []
    for path in paths:
        out.append((str(path), read_limited(path, MAX_DOCUMENT_BYTES, "CSAF document")))
    return out


__all__ = ["PublishOptions", "PublishResult", "gpg_signer", "publish", "read_sources"]


# The name the package face exports (the module is called ``publish`` too).
publish_directory = publish
