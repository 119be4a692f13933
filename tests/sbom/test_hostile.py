"""Hostile input ends in exit 2 with one line, within seconds and bounded memory (issue 3 item 7)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crakit.sbom import SbomError, parse_sbom
from tests.sbom.test_reader import CDX, CDX_XML, SPDX, SPDX3, TAG_VALUE

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library">
<name>&xxe;</name></component></components></bom>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component><name>&lol3;</name></component></components></bom>"""


YAML_BOMB = (
    b"spdxVersion: SPDX-2.3\n"
    + b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + b"".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n".encode()
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + b"packages:\n  - name: x\n    SPDXID: SPDXRef-x\n    comment: *i\n"
)


def _crakit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (XXE, "DOCTYPE"),
        (YAML_BOMB, "aliases"),
        (LAUGHS, "DOCTYPE"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
            + b'{"name": "a", "components": [' * 100_000,
            "nested too deeply",
        ),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"tools": ' + b"[" * 100_000,
            "nested too deeply",
        ),
        (json.dumps(CDX).encode()[:200], "truncated"),
        (json.dumps(SPDX).encode() + b"\nExtra", "trailing data"),
        (b'{"spdxVersion": "SPDX-2.3", "name": "\xc3\x28"}', "UTF-8"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": []}', "/metadata"),
    ],
    ids=[
        "xxe",
        "yaml-bomb",
        "billion-laughs",
        "deep-components",
        "deep-json",
        "truncated",
        "trailing",
        "bad-utf8",
        "wrong-type",
    ],
)
def test_cli_refuses_with_exit_2_and_one_line(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(content)
    # validate reads wrong types as schema violations (exit 1), so it only joins for unreadable input
    for command in ("info",) if needle.startswith("/") else ("info", "validate"):
        result = _crakit("sbom", command, str(path))
        assert result.returncode == 2, result.stderr
        assert needle in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:  # sparse: 1 GiB of nothing, no disk used
        fh.truncate(1 << 30)
    result = _crakit("sbom", "info", str(path))
    assert result.returncode == 2
    assert "limit" in result.stderr


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(CDX))
    assert _crakit("sbom", "info", "--max-bytes", "100", str(path)).returncode == 2
    assert _crakit("sbom", "info", "--max-bytes", "100000", str(path)).returncode == 0


SEEDS = [
    json.dumps(CDX).encode(),
    json.dumps(SPDX).encode(),
    json.dumps(SPDX3).encode(),
    CDX_XML,
    TAG_VALUE.encode(),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    cut=st.integers(min_value=0, max_value=2000),
    junk=st.binary(max_size=40),
    pos=st.integers(min_value=0, max_value=2000),
)
def test_fuzz_mutated_documents_only_raise_sbom_error(seed: bytes, cut: int, junk: bytes, pos: int) -> None:
    # Truncations, insertions and replacements of real documents: the reader may accept or refuse, never crash.
    data = seed[: max(cut, 1)] if cut < len(seed) else seed
    data = data[:pos] + junk + data[pos + len(junk) // 2 :]
    try:
        parse_sbom(data)
    except SbomError as exc:
        assert "\n" not in exc.message


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=30,
    ),
    st.sampled_from(
        ["components", "packages", "metadata", "dependencies", "relationships", "@graph", "creationInfo"]
    ),
    st.sampled_from(
        [
            {"bomFormat": "CycloneDX", "specVersion": "1.5"},
            {"spdxVersion": "SPDX-2.3"},
            {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []},
        ]
    ),
)
def test_fuzz_wrong_types_only_raise_sbom_error(value: object, key: str, header: dict[str, object]) -> None:
    doc = dict(header, **{key: value})
    with contextlib.suppress(SbomError):
        parse_sbom(json.dumps(doc).encode())
