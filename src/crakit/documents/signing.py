"""OpenPGP cleartext signing and verification of security.txt through GnuPG (RFC 9116 2.3).

GnuPG is called as a program: it is the reference OpenPGP implementation, it reads the user's existing
keyring and agent (a Python library would need the secret key exported to it), and it is a Debian
package. Every call has a timeout and its error output becomes a one-line message.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from crakit.documents.errors import DocumentError

TIMEOUT_SECONDS = 60


def gpg_program() -> str:
    found = shutil.which("gpg")
    if found is None:
        raise DocumentError(
            "signing needs GnuPG (gpg), which is not installed", hint="Debian: apt-get install gnupg"
        )
    return found


def _run(args: list[str], data: bytes, homedir: Path | None) -> subprocess.CompletedProcess[bytes]:
    command = [gpg_program(), "--batch", "--no-tty", "--status-fd", "2"]
    if homedir is not None:
        command += ["--homedir", str(homedir)]
    try:
        return subprocess.run(
            command + args, input=data, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise DocumentError(
            f"gpg did not finish within {TIMEOUT_SECONDS} s (is it waiting for a passphrase?)"
        ) from None


def _reason(stderr: bytes) -> str:
    lines = [line for line in stderr.decode(errors="replace").splitlines() if line.startswith("gpg:")]
    return lines[-1].removeprefix("gpg: ").strip() if lines else "unknown error"


def clearsign(text: str, key: str, homedir: Path | None = None) -> str:
    """``text`` signed as an OpenPGP cleartext message with the secret key ``key`` (id, fingerprint, e-mail)."""
    done = _run(["--clearsign", "--local-user", key, "--digest-algo", "SHA512"], text.encode(), homedir)
    if done.returncode != 0:
        raise DocumentError(f"gpg could not sign with key {key!r}: {_reason(done.stderr)}")
    return done.stdout.decode()


def verify(signed: bytes, homedir: Path | None = None) -> tuple[bool, str]:
    """Whether the cleartext signature verifies with a key in the keyring, and gpg's reason."""
    done = _run(["--verify"], signed, homedir)
    status = done.stderr.decode(errors="replace")
    if done.returncode == 0 and "[GNUPG:] GOODSIG" in status:
        return True, _reason(done.stderr)
    return False, _reason(done.stderr)
