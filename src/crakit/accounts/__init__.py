"""Accounts shared by crakit's web applications: organisations (tenants), people with argon2id
passwords and TOTP, memberships with feature-defined roles, expiring invitations, hashed API
tokens, server-side sessions and database-backed throttling counters.

Domain code only: no web framework here; the web layer passes sessions, times and secrets in.
"""

from crakit.accounts.errors import (
    AccountConflict,
    AccountsError,
    InvitationInvalid,
    NotAuthenticated,
    PermissionDenied,
    Throttled,
    UnknownOrganisation,
)
from crakit.accounts.invitations import Invitation, accept, invite, pending
from crakit.accounts.models import AccountsBase
from crakit.accounts.people import (
    NewPerson,
    Person,
    add_membership,
    count_members,
    create_person,
    memberships,
    verify_login,
)
from crakit.accounts.principal import Organisation, OrganisationId, Principal
from crakit.accounts.sessions import (
    StartedSession,
    end_session,
    session_principal,
    start_session,
    switch_organisation,
)
from crakit.accounts.tenants import ensure_organisation, find_organisation, get_organisation, organisations
from crakit.accounts.throttle import check_allowed, forget_old, hit, rate_limit
from crakit.accounts.tokens import IssuedToken, authenticate_token, issue_token, revoke_token
from crakit.store import MigrationTree

MIGRATIONS = MigrationTree("crakit.accounts", "alembic_version_accounts")

__all__ = [
    "MIGRATIONS",
    "AccountConflict",
    "AccountsBase",
    "AccountsError",
    "Invitation",
    "InvitationInvalid",
    "IssuedToken",
    "NewPerson",
    "NotAuthenticated",
    "Organisation",
    "OrganisationId",
    "PermissionDenied",
    "Person",
    "Principal",
    "StartedSession",
    "Throttled",
    "UnknownOrganisation",
    "accept",
    "add_membership",
    "authenticate_token",
    "check_allowed",
    "count_members",
    "create_person",
    "end_session",
    "ensure_organisation",
    "find_organisation",
    "forget_old",
    "get_organisation",
    "hit",
    "invite",
    "issue_token",
    "memberships",
    "organisations",
    "pending",
    "rate_limit",
    "revoke_token",
    "session_principal",
    "start_session",
    "switch_organisation",
    "verify_login",
]
