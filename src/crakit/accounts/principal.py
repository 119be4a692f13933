"""Who is calling: a machine token or a signed-in person, acting for one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

OrganisationId = NewType("OrganisationId", int)


@dataclass(frozen=True, slots=True)
class Organisation:
    id: OrganisationId
    kind: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request. ``role`` is the token's role or the person's membership role;
    the feature (platform, workbench) gives it meaning."""

    organisation: Organisation
    role: str
    label: str
    person_id: int | None = None
    token_id: int | None = None
    session_id: int | None = None
    csrf_token: str | None = None

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    @property
    def actor(self) -> str:
        """How audit entries name the caller: ``token:7 (manufacturer ACME)`` or ``person:3 ...``."""
        who = f"person:{self.person_id}" if self.person_id is not None else f"token:{self.token_id}"
        return f"{who} {self.label} ({self.organisation.kind} {self.organisation.name})"
