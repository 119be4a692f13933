"""security.txt: the RFC 9116 validator on the corpus, the writer, and OpenPGP signing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from crakit.documents import DocumentError, check_security_txt, clearsign, verify, write_security_txt
from tests.documents.conftest import COMPLETE, manifest

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
# What RFC 9116 says of each corpus file (its name says what its authors meant, the RFC decides).
EXPECTED = {
    "all-fields.txt": True,
    "expired.txt": False,  # 2.5.5: an Expires in the past makes the file stale
    "extension-fields.txt": True,  # 2.4: unknown fields are ignored
    "invalid-uris.txt": False,  # 2.5: web URIs must be https
    "missing-contact.txt": False,  # 2.5.3: Contact is required
    "preferred-languages.txt": True,
    "valid-signed.txt": True,  # structure; the signature is checked separately
    "valid-unsigned.txt": True,
    "security.txt": False,  # the template: Contact without a URI scheme and no Expires
}


def test_corpus_verdicts_follow_rfc_9116(shared_data: Path) -> None:
    files = [p for p in sorted((shared_data / "securitytxt").rglob("*.txt")) if p.name != "rfc9116.txt"]
    assert files, "no security.txt fixtures in the corpus"
    passed = 0
    for path in files:
        report = check_security_txt(path.read_bytes(), now=NOW)
        expected = EXPECTED.get(path.name)
        assert expected is not None, f"new fixture {path.name}: decide its RFC 9116 verdict"
        assert report.valid is expected, (path.name, [f.message for f in report.findings])
        passed += 1
    assert passed == len(EXPECTED)


def test_rules_one_by_one() -> None:
    base = b"Contact: mailto:s@example.com\nExpires: 2027-06-01T00:00:00Z\n"
    assert check_security_txt(base, now=NOW).valid
    twice = base + b"Expires: 2027-07-01T00:00:00Z\n"
    assert not check_security_txt(twice, now=NOW).valid
    assert not check_security_txt(base + b"Preferred-Languages: en, 12\n", now=NOW).valid
    assert not check_security_txt(base + b"no colon here\n", now=NOW).valid
    assert not check_security_txt(b"Contact: mailto:s@example.com\nExpires: 1 June 2027\n", now=NOW).valid
    assert not check_security_txt(base.replace(b"mailto:s@example.com", b"mailto:nobody"), now=NOW).valid
    crlf = base.replace(b"\n", b"\r\n") + b"# comment\r\n"
    assert check_security_txt(crlf, now=NOW).valid
    far = check_security_txt(b"Contact: tel:+32-2-000\nExpires: 2030-01-01T00:00:00+01:00\n", now=NOW)
    assert far.valid and [f.severity for f in far.findings] == ["warning"]


def test_hostile_input_is_bounded_and_never_a_traceback() -> None:
    assert not check_security_txt(b"\xff\xfe\x00garbage", now=NOW).valid
    with pytest.raises(DocumentError):
        check_security_txt(b"A" * (1 << 20), now=NOW)
    frame = b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b.c\n"
    assert not check_security_txt(frame, now=NOW).valid  # no signature block


def test_writer_output_is_valid_and_carries_every_field() -> None:
    m = manifest(**COMPLETE)
    text = write_security_txt(m, expires=NOW + dt.timedelta(days=300))
    report = check_security_txt(text.encode(), now=NOW)
    assert report.valid and report.findings == ()
    assert report.values("contact") == ["mailto:security@example.be", "https://example.be/security"]
    assert report.values("policy") == ["https://example.be/security/cvd"]
    assert report.values("preferred-languages") == ["en, fr, nl"]
    assert report.values("csaf") == ["https://example.be/.well-known/csaf/provider-metadata.json"]
    assert report.values("expires") == ["2027-09-28T00:00:00Z"]


def test_writer_needs_a_contact() -> None:
    with pytest.raises(DocumentError, match=r"security_contact\.contact"):
        write_security_txt(manifest(), expires=NOW)


@pytest.fixture
def gnupg_home(tmp_path: Path) -> Path:
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed (Debian package gnupg; .ci/run installs it)")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--homedir",
            str(home),
            "--passphrase",
            "",
            "--quick-gen-key",
            "crakit test <security@example.be>",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return home


def test_signed_file_verifies_and_stays_valid(gnupg_home: Path) -> None:
    text = write_security_txt(manifest(**COMPLETE), expires=NOW + dt.timedelta(days=300))
    signed = clearsign(text, "security@example.be", gnupg_home)
    assert signed.startswith("-----BEGIN PGP SIGNED MESSAGE-----")
    report = check_security_txt(signed.encode(), now=NOW)
    assert report.valid and report.signed
    assert report.values("contact") == ["mailto:security@example.be", "https://example.be/security"]
    good, _ = verify(signed.encode(), gnupg_home)
    assert good
    tampered = signed.replace("security@example.be/", "attacker@example.com/").replace(
        "mailto:security@example.be", "mailto:attacker@example.com"
    )
    bad, reason = verify(tampered.encode(), gnupg_home)
    assert not bad and reason


def test_signing_with_an_unknown_key_is_a_clear_error(gnupg_home: Path) -> None:
    with pytest.raises(DocumentError, match="could not sign"):
        clearsign("Contact: mailto:a@b.c\n", "nobody@nowhere.invalid", gnupg_home)
