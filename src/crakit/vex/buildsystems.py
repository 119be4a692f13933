"""Build-time VEX: the CVEs a firmware build system already declares patched or not applicable.

Yocto, Buildroot and OpenWrt track CVEs of the packages they build; their declarations are a
manufacturer's triage (Annex I Part I(2)(a): only *exploitable* vulnerabilities count) and become
VEX statements here, each naming the file it came from:

* Yocto ``cve-check`` JSON output (``cve-summary.json`` / ``<image>.json``): an issue with status
  ``Patched`` is ``fixed``; ``Ignored`` (``CVE_STATUS`` not-applicable-config, cpe-incorrect,
  disputed, ...) is ``not_affected`` with the reason; ``Unpatched`` says nothing.
* Yocto recipes (``.bb``/``.bbappend``/``.inc``): ``CVE_STATUS[CVE-…] = "status: reason"`` and
  patch files whose header carries ``CVE: CVE-…`` (the Yocto patch convention).
* Buildroot packages (``package/<name>/<name>.mk``): ``<PKG>_IGNORE_CVES += CVE-…`` is
  ``fixed`` (Buildroot lists there the CVEs its patches fix or that do not apply).
* OpenWrt packages (``Makefile`` with ``PKG_NAME``): patches under ``patches/`` whose file name
  or header names a CVE are ``fixed``.

Statements name the package by name (recipe / package name), which is how these build systems
name components in the SBOMs they write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, Status, VexStatement

_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
_MAX_FILE = 4 * 1024 * 1024  # recipes, makefiles and patches are small; bigger files are skipped
_MAX_FILES = 200_000  # a build tree larger than this is not a build tree
# Yocto CVE_STATUS reasons (meta/conf/cve-check-map.conf) -> VEX status and justification
_YOCTO_STATUS: dict[str, tuple[Status, str | None]] = {
    "fixed-version": ("fixed", None),
    "backported-patch": ("fixed", None),
    "cpe-stable-backport": ("fixed", None),
    "cpe-incorrect": ("not_affected", "component_not_present"),
    "not-applicable-config": ("not_affected", "vulnerable_code_not_present"),
    "not-applicable-platform": ("not_affected", "vulnerable_code_not_present"),
    "disputed": ("not_affected", None),
    "upstream-wontfix": ("not_affected", None),
    "ignored": ("not_affected", None),
}


def is_cve_check(doc: Any) -> bool:
    """Is ``doc`` (decoded JSON) Yocto cve-check output?"""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("package"), list)
        and all(isinstance(p, dict) and "issue" in p for p in doc["package"][:5])
    )


def read_cve_check(doc: dict[str, Any], source: str) -> list[VexStatement]:
    """Statements from Yocto cve-check JSON (packages with their issues)."""
    out: list[VexStatement] = []
    label = f"Yocto cve-check {source}"
    for pkg in doc.get("package") or ():
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            continue
        version = pkg.get("version") if isinstance(pkg.get("version"), str) else None
        product = ProductRef(name=pkg["name"], version=version)
        for issue in pkg.get("issue") or ():
            if not isinstance(issue, dict) or not isinstance(issue.get("id"), str):
                continue
            status = str(issue.get("status", "")).lower()
            detail = str(issue.get("detail") or "").strip().lower()
            vex: Status
            if status == "patched":
                vex, justification = "fixed", None
            elif status == "ignored":
                vex, justification = _YOCTO_STATUS.get(detail, ("not_affected", None))
            else:
                continue
            out.append(
                VexStatement(
                    issue["id"].upper(),
                    (),
                    (product,),
                    (),
                    vex,
                    justification,
                    f"Yocto: {issue.get('status')}" + (f" ({detail})" if detail else ""),
                    label,
                )
            )
    return out


def read_build_tree(root: Path) -> list[VexStatement]:
    """Statements from a Yocto layer, Buildroot tree or OpenWrt package feed under ``root``."""
    if not root.is_dir():
        raise VexError(f"{root}: not a folder (give a Yocto layer, Buildroot tree or OpenWrt package folder)")
    out: list[VexStatement] = []
    build_files = 0
    for count, path in enumerate(_files(root)):
        if count >= _MAX_FILES:
            raise VexError(f"{root}: more than {_MAX_FILES} files; give the package or layer folder")
        name = path.name
        if name.endswith((".bb", ".bbappend", ".inc")):
            build_files += 1
            out.extend(_yocto_recipe(path))
        elif name.endswith(".mk") and path.parent.name == name[:-3]:
            build_files += 1
            out.extend(_buildroot_package(path))
        elif name == "Makefile":
            build_files += 1
            out.extend(_openwrt_package(path))
    if not build_files:
        raise VexError(
            f"{root}: no Yocto recipe, Buildroot package (.mk) or OpenWrt Makefile found",
            hint="give a layer, a Buildroot package folder or an OpenWrt feed",
        )
    return out


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_FILE:
            return ""
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _statement(
    cve: str, package: str, status: Status, justification: str | None, detail: str, source: str
) -> VexStatement:
    return VexStatement(
        cve.upper(), (), (ProductRef(name=package),), (), status, justification, detail, source
    )


def _recipe_name(path: Path) -> str:
    stem = path.name.rsplit(".", 1)[0]
    return stem.split("_", 1)[0]  # openssl_3.0.8.bb -> openssl


def _yocto_recipe(path: Path) -> Iterator[VexStatement]:
    text = _text(path)
    package = _recipe_name(path)
    for m in re.finditer(r'^CVE_STATUS\[(CVE-\d{4}-\d+)\]\s*\??=\s*"([^"]*)"', text, re.MULTILINE):
        reason = m.group(2).split(":", 1)[0].strip().lower()
        status, justification = _YOCTO_STATUS.get(reason, ("not_affected", None))
        yield _statement(
            m.group(1), package, status, justification, f"Yocto CVE_STATUS: {m.group(2)}", str(path)
        )
    # SRC_URI patches next to the recipe (files/, <recipe>/) with the "CVE:" header tag
    for folder in (
        path.parent / "files",
        path.parent / package,
        path.parent / f"{package}-{path.stem.split('_')[-1]}",
    ):
        if folder.is_dir():
            for patch in sorted(folder.glob("*.patch")):
                for cve in _patch_cves(patch, header_only=True):
                    yield _statement(cve, package, "fixed", None, f"Yocto patch {patch.name}", str(patch))


def _patch_cves(patch: Path, *, header_only: bool) -> list[str]:
    head = _text(patch).split("\n---", 1)[0][:20000]
    found = [c for line in head.splitlines() if line.startswith("CVE:") for c in _CVE.findall(line)]
    if not header_only:
        found += _CVE.findall(patch.name)
    return list(dict.fromkeys(c.upper() for c in found))


def _buildroot_package(path: Path) -> Iterator[VexStatement]:
    text = _text(path).replace("\\\n", " ")
    package = path.parent.name
    var = re.escape(package.upper().replace("-", "_"))
    for m in re.finditer(rf"^{var}_IGNORE_CVES\s*\+?=\s*(.*)$", text, re.MULTILINE):
        for cve in _CVE.findall(m.group(1)):
            yield _statement(cve, package, "fixed", None, "Buildroot IGNORE_CVES", str(path))


def _openwrt_package(path: Path) -> Iterator[VexStatement]:
    text = _text(path)
    m = re.search(r"^PKG_NAME\s*:?=\s*(\S+)", text, re.MULTILINE)
    if m is None or not (path.parent / "patches").is_dir():
        return
    package = m.group(1)
    for patch in sorted((path.parent / "patches").glob("*.patch")):
        for cve in _patch_cves(patch, header_only=False):
            yield _statement(cve, package, "fixed", None, f"OpenWrt patch {patch.name}", str(patch))
