"""``crakit csaf publish``: a provider directory that aggregators and static web servers accept."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.csaf import schema, validate
from crakit.csaf.errors import CsafInputError, CsafInvalid
from crakit.csaf.publish import PublishOptions, gpg_signer, publish
from crakit.csaf.serialize import dumps

BASE = "https://example.com/.well-known/csaf"


def _doc(minimal: dict[str, Any], tracking_id: str, date: str, tlp: str = "WHITE") -> bytes:
    doc = json.loads(json.dumps(minimal))
    doc["document"]["tracking"]["id"] = tracking_id
    doc["document"]["distribution"]["tlp"]["label"] = tlp
    for key in ("initial_release_date", "current_release_date"):
        doc["document"]["tracking"][key] = date
    doc["document"]["tracking"]["revision_history"][0]["date"] = date
    return dumps(doc)


def test_layout_indexes_hashes_feed_and_metadata(tmp_path: Path, minimal: dict[str, Any]) -> None:
    sources = [
        ("a", _doc(minimal, "EX-2023-1", "2023-05-01T00:00:00Z")),
        ("b", _doc(minimal, "EX-2024-7", "2024-03-01T00:00:00Z")),
        ("c", _doc(minimal, "EX-2024-8", "2024-04-01T00:00:00Z", tlp="GREEN")),
    ]
    result = publish(tmp_path, sources, PublishOptions(BASE, now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC)))
    white = tmp_path / "white"
    assert (white / "2023/ex-2023-1.json").read_bytes() == sources[0][1]
    assert (white / "index.txt").read_text().splitlines() == ["2023/ex-2023-1.json", "2024/ex-2024-7.json"]
    rows = list(csv.reader((white / "changes.csv").open()))
    assert [r[0] for r in rows] == ["2024/ex-2024-7.json", "2023/ex-2023-1.json"]  # newest first
    digest, name = (white / "2024/ex-2024-7.json.sha512").read_text().split()
    assert name == "ex-2024-7.json"
    assert digest == hashlib.sha512(sources[1][1]).hexdigest()
    assert (tmp_path / "green/2024/ex-2024-8.json").exists()
    metadata = json.loads((tmp_path / "provider-metadata.json").read_text())
    assert schema.provider_validator().is_valid(metadata)
    assert metadata["canonical_url"] == f"{BASE}/provider-metadata.json"
    assert {d["directory_url"] for d in metadata["distributions"]} == {f"{BASE}/white/", f"{BASE}/green/"}
    feed = json.loads((white / "csaf-feed-tlp-white.json").read_text())["feed"]
    assert {e["id"] for e in feed["entry"]} == {"EX-2023-1", "EX-2024-7"}
    assert all(e["content"]["src"].startswith(f"{BASE}/white/20") for e in feed["entry"])
    assert result.warnings == ()


def test_republishing_keeps_earlier_documents(tmp_path: Path, minimal: dict[str, Any]) -> None:
    publish(tmp_path, [("a", _doc(minimal, "EX-1", "2023-05-01T00:00:00Z"))], PublishOptions(BASE))
    publish(tmp_path, [("b", _doc(minimal, "EX-2", "2024-05-01T00:00:00Z"))], PublishOptions(BASE))
    assert (tmp_path / "white/index.txt").read_text().splitlines() == ["2023/ex-1.json", "2024/ex-2.json"]


def test_invalid_document_is_not_published(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["product_status"]["fixed"] = ["GHOST"]
    with pytest.raises(CsafInvalid):
        publish(tmp_path, [("bad", dumps(minimal))], PublishOptions(BASE))
    assert not (tmp_path / "white").exists()


def test_trusted_provider_needs_signatures_and_https(tmp_path: Path, minimal: dict[str, Any]) -> None:
    with pytest.raises(CsafInputError):
        publish(tmp_path, [("a", dumps(minimal))], PublishOptions(BASE, role="csaf_trusted_provider"))
    with pytest.raises(CsafInputError):
        publish(tmp_path, [("a", dumps(minimal))], PublishOptions("http://example.com/.well-known/csaf"))


@pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg not installed")
def test_signed_trusted_provider(
    tmp_path: Path, minimal: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    gen = subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "psirt@example.com",
            "ed25519",
            "sign",
            "1d",
        ],
        capture_output=True,
        check=False,
        timeout=60,
        env={**os.environ, "GNUPGHOME": str(home)},
    )
    if gen.returncode != 0:
        pytest.skip(f"gpg cannot make a test key here: {gen.stderr[-200:]!r}")
    out = tmp_path / "site"
    publish(
        out,
        [("a", dumps(minimal))],
        PublishOptions(BASE, role="csaf_trusted_provider"),
        gpg_signer("psirt@example.com"),
    )
    doc = out / "white/2024/ex-1.json"
    verify = subprocess.run(
        ["gpg", "--batch", "--verify", f"{doc}.asc", str(doc)], capture_output=True, check=False, timeout=60
    )
    assert verify.returncode == 0
    feed = json.loads((out / "white/csaf-feed-tlp-white.json").read_text())["feed"]
    assert any(link["rel"] == "signature" for link in feed["entry"][0]["link"])
    assert json.loads((out / "provider-metadata.json").read_text())["role"] == "csaf_trusted_provider"


def test_cli_publish_json(tmp_path: Path, minimal: dict[str, Any]) -> None:
    src = tmp_path / "doc.json"
    src.write_bytes(dumps(minimal))
    result = CliRunner().invoke(
        cli, ["csaf", "publish", str(tmp_path / "site"), str(src), "--base-url", BASE, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["role"] == "csaf_provider"
    assert out["documents"] == [
        {"tlp": "white", "path": "2024/ex-1.json", "id": "EX-1", "updated": "2024-01-02T00:00:00Z"}
    ]
    assert validate(json.loads((tmp_path / "site/white/2024/ex-1.json").read_bytes())).valid
