"""Settings of a crakit web application: frozen, built from arguments (the CLI) or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from crakit.errors import InputError

LANGUAGES = ("en", "fr", "nl", "de")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What the foundation needs; features keep their own settings (e.g. the platform's master key)."""

    database_url: str
    site_name: str = "crakit"
    secure_cookies: bool = True
    max_body_bytes: int = 1_000_000
    rate_limit: int = 600  # requests per token (or session) per minute
    session_lifetime: timedelta = timedelta(hours=12)
    login_failures: int = 5  # per account per window; ten times that per client address
    login_window: timedelta = timedelta(minutes=15)
    languages: tuple[str, ...] = LANGUAGES
    background_interval: float = 2.0  # seconds between runs of the features' background tasks
    migrate: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            raise InputError("the body size limit must be at least 1024 bytes")
        if self.rate_limit < 1:
            raise InputError("the rate limit must be at least 1 request per minute")

    @classmethod
    def from_env(cls, database_url: str, **overrides: Any) -> WebSettings:
        """``CRAKIT_WEB_*`` variables, then explicit ``overrides`` (the CLI's options) win."""
        env: dict[str, Any] = {}
        if "CRAKIT_WEB_INSECURE_COOKIES" in os.environ:
            env["secure_cookies"] = os.environ["CRAKIT_WEB_INSECURE_COOKIES"] not in ("1", "true", "yes")
        for name, key in (("CRAKIT_WEB_MAX_BODY", "max_body_bytes"), ("CRAKIT_WEB_RATE_LIMIT", "rate_limit")):
            if name in os.environ:
                try:
                    env[key] = int(os.environ[name])
                except ValueError:
                    raise InputError(f"{name} must be a whole number") from None
        env.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(database_url=database_url), **env)
