"""What `platform person add` and `workbench person add` print for a new person (one shape)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from crakit.cli.output import emit_json, info

if TYPE_CHECKING:
    from crakit.accounts import NewPerson


def report_new_person(made: NewPerson, organisation: str, role: str, fmt: str) -> None:
    """Shows the TOTP secret this once, for the authenticator app."""
    if fmt == "json":
        emit_json(
            {
                "email": made.person.email,
                "organisation": organisation,
                "role": role,
                "totp_secret": made.totp_secret,
                "totp_uri": made.provisioning_uri,
            }
        )
        return
    click.echo(made.provisioning_uri)
    info(f"{made.person.email} acts for {organisation} as {role}; add the URI above to an authenticator app")
